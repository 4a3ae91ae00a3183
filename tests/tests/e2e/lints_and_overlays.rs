//! Lints with their codes and levels, and unsaved buffers overriding disk.

use std::path::Path;

use wasmlens::analysis::{Config, Workspace};
use wasmlens_tests::TestTree;

fn config(text: &str) -> Config {
    Config::parse(text, Path::new("wasmlens.toml")).unwrap()
}

/// The diagnostics of a one-file package `a.wit` under `config_text`.
fn lint(text: &str, config_text: &str) -> Vec<String> {
    let tree = TestTree::new(&[("a.wit", text)]);
    tree.diagnostics_with(&Workspace::new(), &config(config_text))
}

const USES: &str = "package a:b@1.0.0;\ninterface base {\n    type t = u32;\n    @since(version = 1.0.0)\n    @deprecated(version = 1.0.0)\n    type old = u8;\n}\ninterface user {\n    use base.{t, old};\n    f: func() -> old;\n}\n";

#[test]
fn lints_warn_by_default() {
    assert_eq!(
        lint(USES, ""),
        [
            "warning unused-use a.wit:9:15: `t` is imported by `use` but never used; remove it",
            "warning deprecated a.wit:9:18: `old` is deprecated since version 1.0.0",
            "warning deprecated a.wit:10:18: `old` is deprecated since version 1.0.0",
        ]
    );
}

#[test]
fn lint_levels_come_from_the_config() {
    assert_eq!(
        lint(
            USES,
            "[lint]\nunused-use = \"deny\"\ndeprecated = \"allow\"\n"
        ),
        ["error unused-use a.wit:9:15: `t` is imported by `use` but never used; remove it"]
    );
}

#[test]
fn missing_docs_is_off_by_default_and_checks_exports() {
    let text = "package a:b;\ninterface api {\n    /// Documented.\n    good: func();\n    bad: func();\n}\nworld w {\n    export api;\n    export run: func();\n    /// Runs.\n    export documented: func();\n    import not-checked: func();\n}\n";
    assert_eq!(lint(text, ""), Vec::<String>::new());
    assert_eq!(
        lint(text, "[lint]\nmissing-docs = \"warn\"\n"),
        [
            "warning missing-docs a.wit:5:5: exported function `bad` has no doc comment; add `///` docs above it",
            "warning missing-docs a.wit:9:12: exported function `run` has no doc comment; add `///` docs above it",
        ]
    );
}

#[test]
fn a_use_that_is_re_exported_counts_as_used() {
    let text = "package a:b;\ninterface one {\n    type t = u32;\n}\ninterface two {\n    use one.{t};\n}\ninterface three {\n    use two.{t};\n    f: func(x: t);\n}\n";
    assert_eq!(lint(text, ""), Vec::<String>::new());
}

#[test]
fn lints_do_not_run_on_deps() {
    let tree = TestTree::new(&[
        ("a.wit", "package a:b;\nworld w {\n    import c:d/i;\n}\n"),
        (
            "deps/c.wit",
            "package c:d;\ninterface j {\n    type t = u8;\n}\ninterface i {\n    use j.{t};\n}\n",
        ),
    ]);
    assert_eq!(tree.diagnostics(), Vec::<String>::new());
}

#[test]
fn bad_config_is_a_clear_error() {
    let error = Config::parse(
        "[lint]\nno-such-lint = \"warn\"\n",
        Path::new("x/wasmlens.toml"),
    )
    .unwrap_err();
    assert_eq!(
        format!("{error:#}"),
        "x/wasmlens.toml: unknown lint `no-such-lint` in [lint]; known lints: unused-use, deprecated, missing-docs"
    );
    let error = Config::parse(
        "[lint]\nunused-use = \"loud\"\n",
        Path::new("wasmlens.toml"),
    )
    .unwrap_err();
    assert!(
        format!("{error:#}").contains("unknown variant `loud`"),
        "{error:#}"
    );
}

#[test]
fn unsaved_buffers_override_files_on_disk() {
    let tree = TestTree::new(&[(
        "a.wit",
        "package a:b;\ninterface i {\n    f: func() -> u32;\n}\n",
    )]);
    let mut workspace = Workspace::new();
    assert_eq!(
        tree.diagnostics_with(&workspace, &Config::default()),
        Vec::<String>::new()
    );
    workspace.set_overlay(
        &tree.path().join("a.wit"),
        "package a:b;\ninterface i {\n    f: func() -> nope;\n}\n",
    );
    assert_eq!(
        tree.diagnostics_with(&workspace, &Config::default()),
        ["error unknown-name a.wit:3:18: name `nope` does not exist"]
    );
    // A new file that exists only in the editor is part of the package.
    workspace.remove_overlay(&tree.path().join("a.wit"));
    workspace.set_overlay(
        &tree.path().join("new.wit"),
        "package a:b;\ninterface i {}\n",
    );
    assert_eq!(
        tree.diagnostics_with(&workspace, &Config::default()),
        ["error semantic new.wit:2:11: duplicate item named `i`"]
    );
}

/// The sections the run lenses read, as the lens issue writes them; values
/// the runtime interprets keep their place in the file.
#[test]
fn run_sections_parse_with_their_places() {
    let text = r#"[[component]]
world = "example:calc/calc"          # package/world
path = "target/wasm32-wasip2/release/calc.wasm"
build = "cargo component build --release"   # optional, run on request
[run]                                 # defaults for lenses; all optional
fuel = 1_000_000_000
timeout = "5s"
max-memory = "256MiB"
dirs = [{ host = "data", guest = "/data", read-only = true }]
env = { RUST_LOG = "info" }
"#;
    let config = Config::parse(text, Path::new("wasmlens.toml")).unwrap();
    let [component] = config.components.as_slice() else {
        panic!("one component: {:?}", config.components);
    };
    assert_eq!(component.world.get_ref(), "example:calc/calc");
    assert_eq!(&text[component.world.span()], "\"example:calc/calc\"");
    assert_eq!(
        component.path.get_ref(),
        "target/wasm32-wasip2/release/calc.wasm"
    );
    assert_eq!(
        component.build.as_ref().unwrap().get_ref(),
        "cargo component build --release"
    );
    assert_eq!(config.run.fuel, Some(1_000_000_000));
    assert_eq!(config.run.timeout, Some(std::time::Duration::from_secs(5)));
    assert_eq!(config.run.max_memory, Some(256 << 20));
    assert_eq!(config.run.dirs.len(), 1);
    assert!(config.run.dirs[0].read_only);
    assert_eq!(config.run.dirs[0].guest.as_deref(), Some("/data"));
    assert_eq!(
        config.run.env.get("RUST_LOG").map(String::as_str),
        Some("info")
    );
    assert_eq!(
        config.run.allow_net, None,
        "unset: the editor setting decides"
    );
    assert_eq!(config.discovery_dirs, ["target", "build", "dist", "out"]);
    // Unknown keys are still refused, with the key named.
    let error = Config::parse("[run]\nfule = 3\n", Path::new("wasmlens.toml")).unwrap_err();
    assert!(
        format!("{error:#}").contains("unknown field `fule`"),
        "{error:#}"
    );
}
