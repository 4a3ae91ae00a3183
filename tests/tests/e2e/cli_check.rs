//! `wasmlens check` as CI runs it: each output format (snapshots), exit
//! codes, and inputs that are not what they should be.

use std::path::Path;

use wasmlens_tests::{Run, TestTree, wasi_p2_dir, wasmlens, workspace_root};

/// Runs `wasmlens check ARGS` in `dir`.
fn check(dir: &Path, args: &[&str]) -> Run {
    let args: Vec<&str> = ["check"].iter().chain(args).copied().collect();
    wasmlens(dir, &args)
}

/// Two errors (one after non-ASCII text on its line, so columns are counted
/// in characters, not bytes), one warning, in two packages.
fn findings_tree() -> TestTree {
    TestTree::new(&[
        (
            "wit/api.wit",
            "package demo:api@0.1.0;\n\ninterface api {\n    use types.{id, unused};\n    /* héllo */ get: func(x: id) -> nope;\n}\n",
        ),
        (
            "wit/types.wit",
            "package demo:api@0.1.0;\n\ninterface types {\n    type id = u32;\n    type unused = u8;\n}\n",
        ),
        (
            "other/bad.wit",
            "package demo:other;\n\ninterface broken {\n    f: func(;\n}\n",
        ),
    ])
}

#[test]
fn each_format_is_stable() {
    let tree = findings_tree();
    for format in ["human", "json", "github", "sarif"] {
        let run = check(tree.path(), &["--format", format, "--color", "never"]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        insta::assert_snapshot!(format!("check_{format}"), run.stdout);
    }
}

#[test]
fn json_positions_are_one_based_characters_and_byte_offsets() {
    let tree = findings_tree();
    let run = check(tree.path(), &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let nope = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"] == "name `nope` does not exist")
        .expect("the unknown-name error");
    assert_eq!(nope["path"], "wit/api.wit");
    assert_eq!(nope["code"], "unknown-name");
    // `    /* héllo */ get: func(x: id) -> nope;`: `nope` is the 37th
    // character but starts at byte 37 of the line, as `é` takes two bytes.
    assert_eq!(nope["range"]["start"]["line"], 5);
    assert_eq!(nope["range"]["start"]["column"], 37);
    let line_start =
        "package demo:api@0.1.0;\n\ninterface api {\n    use types.{id, unused};\n".len();
    assert_eq!(nope["range"]["start"]["offset"], line_start + 37);
    assert_eq!(nope["range"]["end"]["column"], 41);
    assert_eq!(
        json["summary"],
        serde_json::json!({"errors": 2, "warnings": 1, "files": 3})
    );
}

#[test]
fn exit_codes() {
    let clean = TestTree::new(&[("a.wit", "package a:b;\ninterface i {}\n")]);
    let warning = TestTree::new(&[(
        "a.wit",
        "package a:b;\ninterface i {\n    type t = u8;\n}\ninterface j {\n    use i.{t};\n}\n",
    )]);
    let cases: &[(&TestTree, &[&str], i32)] = &[
        (&clean, &[], 0),
        (&warning, &[], 0),
        (&warning, &["--deny-warnings"], 1),
        (&clean, &["--format", "yaml"], 2),
        (&clean, &["does-not-exist"], 2),
    ];
    for (tree, args, code) in cases {
        let run = check(tree.path(), args);
        assert_eq!(
            run.code, *code,
            "check {args:?}: {}{}",
            run.stdout, run.stderr
        );
    }
    let findings = findings_tree();
    assert_eq!(check(findings.path(), &[]).code, 1);
}

#[test]
fn a_missing_path_says_what_to_pass() {
    let tree = TestTree::new(&[]);
    let run = check(tree.path(), &["nowhere"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: `nowhere` does not exist; pass a WIT file or a directory that holds WIT files\n"
    );
}

#[test]
fn bad_inputs_are_diagnostics_not_crashes() {
    let tree = TestTree::new(&[("empty/readme.txt", "no WIT here")]);
    tree.write_bytes(
        "latin1/a.wit",
        b"package a:b;\n// caf\xe9\ninterface i {}\n",
    );
    std::os::unix::fs::symlink(
        "missing-target.wit",
        tree.path().join("latin1/dangling.wit"),
    )
    .unwrap();
    let run = check(tree.path(), &["--format", "github", "empty", "latin1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("check_bad_inputs", run.stdout);
}

#[test]
fn roots_skip_deps_target_node_modules_and_hidden_dirs() {
    let tree = TestTree::new(&[
        ("wit/a.wit", "package a:b;\nworld w { import c:d/i; }\n"),
        ("wit/deps/c/c.wit", "package c:d;\ninterface i {}\n"),
        ("target/x.wit", "this is not WIT"),
        ("node_modules/y/y.wit", "this is not WIT"),
        (".git/z.wit", "this is not WIT"),
        ("nested/pkg/p.wit", "package n:p;\ninterface i {}\n"),
    ]);
    let run = check(tree.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.stdout, "checked 3 files: no problems found\n");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let tree = findings_tree();
    assert!(
        check(tree.path(), &["--color", "always"])
            .stdout
            .contains('\u{1b}')
    );
    assert!(
        !check(tree.path(), &[]).stdout.contains('\u{1b}'),
        "not a terminal: no colour"
    );
}

#[test]
fn wasi_and_the_readme_example_check_clean() {
    let run = check(
        &workspace_root(),
        &[wasi_p2_dir().to_str().unwrap(), "examples/hello"],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.stdout, "checked 11 files: no problems found\n");
}

#[test]
fn wasmlens_toml_mistakes_are_findings_at_their_place() {
    let tree = TestTree::new(&[
        (
            "wasmlens.toml",
            "[lint]\nunused-uses = \"warn\"\n\n[run]\ntimeout = \"5 parsecs\"\n\n[[component]]\nworld = \"a:b/ap\"\npath = \"out/a.wasm\"\n",
        ),
        ("wit/a.wit", "package a:b;\ninterface i {}\nworld app {}\n"),
    ]);
    let run = check(tree.path(), &["--color", "never", "wit"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    insta::assert_snapshot!("check_config_mistakes", run.stdout);
}

#[test]
fn config_above_the_package_root_applies() {
    let tree = TestTree::new(&[
        ("wasmlens.toml", "[lint]\nunused-use = \"deny\"\n"),
        (
            "wit/a.wit",
            "package a:b;\ninterface i {\n    type t = u8;\n}\ninterface j {\n    use i.{t};\n}\n",
        ),
    ]);
    let run = check(tree.path(), &["--format", "github", "wit"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "::error file=wit/a.wit,line=6,col=12,endLine=6,endColumn=13,title=unused-use::`t` is imported by `use` but never used; remove it\n"
    );
}
