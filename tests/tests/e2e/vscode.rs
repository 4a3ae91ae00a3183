//! A real VS Code: `editors/vscode/scripts/e2e.sh` builds the universal
//! `.vsix` and a linux-x64 one that bundles the server, installs
//! code-server from npm (once, under the target directory) and drives it
//! in Debian's headless Chromium with playwright-core
//! (`editors/vscode/test/e2e/driver.mjs`), twice:
//! - trusted, on a copy of `examples/calc`: open a WIT file, type an error
//!   and see it in the Problems panel, complete a type, go to a definition
//!   in `deps/`, click ▶ Invoke, type arguments and read the WAVE result in
//!   the output and at the end of the line; trace; ▶ Run a command; cancel
//!   a run from the status bar; a `wasmlens.run` setting limits the next
//!   run; Format; show a component's WIT; Check Workspace reports a closed
//!   file; server traces in the log; Restart Server; ⏵ Debug on an export
//!   without DWARF, then on a C export with DWARF: a breakpoint in lib.c,
//!   its C variables, Step Over, Continue;
//! - untrusted, with the bundled server only: diagnostics but no lenses,
//!   then trust granted and ▶ Invoke works.
//!
//! Screenshots of each checkpoint are left in
//! `target/tmp/vscode-e2e/out/{trusted,untrusted}/`.

use std::process::Command;

use std::path::Path;

use serde_json::Value;
use wasmlens_tests::components::debug_library;
use wasmlens_tests::{crate_dir, wasmlens_bin, workspace_root};

/// Valid WIT in anything but the canonical layout, for Format.
const MESSY_WIT: &str = "interface   messy{
record point{x:u32,y:u32}
   /// The distance from the origin.
distance:func(p:point)->u32;}
";

const BROKEN_WIT: &str = "package test:other;

interface uses-nothing {
  f: func() -> nothing-here;
}
";

#[test]
fn vscode_shows_problems_and_invokes_from_a_lens() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("vscode-e2e");
    let workspace = root.join("workspace");
    let _ = std::fs::remove_dir_all(&workspace);
    // The README's example, as a newcomer opens it, plus what the steps
    // beyond the example need.
    copy_tree(&workspace_root().join("examples/calc"), &workspace);
    let config = std::fs::read_to_string(workspace.join("wasmlens.toml")).unwrap();
    assert!(config.contains("timeout = \"5s\""), "{config}");
    // Long enough that only the status bar's cancel can stop `spin` in time.
    std::fs::write(
        workspace.join("wasmlens.toml"),
        config.replace("timeout = \"5s\"", "timeout = \"30s\""),
    )
    .unwrap();
    std::fs::write(workspace.join("wit/messy.wit"), MESSY_WIT).unwrap();
    // A second package, never opened: only Check Workspace reports it.
    std::fs::create_dir_all(workspace.join("other/wit")).unwrap();
    std::fs::write(workspace.join("other/wit/broken.wit"), BROKEN_WIT).unwrap();
    // A C component with DWARF, for a source-level debug session: its
    // source, its WIT and its built component, found by its wasmlens.toml.
    let clib = workspace.join("clib");
    std::fs::create_dir_all(clib.join("wit")).unwrap();
    let fixtures = workspace_root().join("tests/fixtures/debug");
    std::fs::copy(fixtures.join("lib.c"), clib.join("lib.c")).unwrap();
    std::fs::copy(fixtures.join("lib.wit"), clib.join("wit/lib.wit")).unwrap();
    std::fs::write(clib.join("lib.wasm"), debug_library()).unwrap();
    std::fs::write(
        clib.join("wasmlens.toml"),
        "[[component]]\nworld = \"test:lib/lib\"\npath = \"lib.wasm\"\n",
    )
    .unwrap();
    // An HTTP handler (the WAT proxy of tests/fixtures/http) with its world
    // and the wasi:http tree: ▶ Request sends it a request.
    let http = workspace.join("http");
    std::fs::create_dir_all(http.join("wit/deps")).unwrap();
    std::fs::create_dir_all(http.join("build")).unwrap();
    let http_fixtures = workspace_root().join("tests/fixtures/http");
    std::fs::copy(http_fixtures.join("proxy.wit"), http.join("wit/proxy.wit")).unwrap();
    std::fs::copy(
        http_fixtures.join("proxy.wasm"),
        http.join("build/proxy.wasm"),
    )
    .unwrap();
    for entry in std::fs::read_dir(crate_dir("wasmtime-wasi-http").join("wit/deps")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, http.join("wit/deps").join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(http.join("wasmlens.toml"), "").unwrap();
    std::fs::create_dir_all(workspace.join(".vscode")).unwrap();
    std::fs::write(workspace.join(".vscode/settings.json"), "{}").unwrap();
    let out = root.join("out");
    let result_path = root.join("result.json");
    let _ = std::fs::remove_file(&result_path);

    let output = Command::new("bash")
        .arg(workspace_root().join("editors/vscode/scripts/e2e.sh"))
        .arg(root.join("cache"))
        .arg(&workspace)
        .arg(wasmlens_bin())
        .arg(&out)
        .arg(&result_path)
        .output()
        .expect("bash runs");
    let result: Value = match std::fs::read_to_string(&result_path) {
        Ok(text) => serde_json::from_str(&text).unwrap(),
        Err(_) => panic!(
            "the VS Code driver wrote no result ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    };
    let steps: Vec<(&str, bool)> = result["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["ok"] == true))
        .collect();
    assert_eq!(
        steps,
        [
            ("trusted: install the .vsix", true),
            ("the workbench loads", true),
            ("the WIT file opens", true),
            ("the grammar colours keywords", true),
            ("the server's lenses appear", true),
            ("an error shows in the Problems panel", true),
            ("completion offers types", true),
            ("reverting clears the problem", true),
            ("go to definition opens the interface in deps/", true),
            ("Invoke asks with the WAVE template", true),
            ("the WAVE result is in the output", true),
            ("the result is shown at the end of the export's line", true),
            ("the last arguments are remembered", true),
            ("Trace opens the call tree", true),
            ("Request asks with GET / first", true),
            (
                "Request shows the response's headers and body in the output",
                true,
            ),
            ("the last request is remembered", true),
            ("▶ Run runs the command and shows its output", true),
            ("the status bar shows the run and a click cancels it", true),
            ("a wasmlens.run setting limits the next run", true),
            ("Format gives the file the canonical layout", true),
            ("Show Component Exports lists the component's WIT", true),
            ("Check Workspace reports", true),
            (
                "Check Workspace puts a closed file's error in Problems",
                true
            ),
            ("the server's messages are traced in its log", true),
            (
                "Restart Server starts a new server and the lenses work on it",
                true
            ),
            (
                "Debug asks for arguments, starting from the last ones",
                true
            ),
            ("Debug says the component has no debug info", true),
            (
                "a debug session runs the call, shows its result in the Debug Console and ends",
                true
            ),
            (
                "a breakpoint in C source stops the call there, with its frame and C variables shown",
                true
            ),
            ("Step Over runs the line and the new local shows", true),
            (
                "Continue ends the C call with its result in the Debug Console",
                true
            ),
            ("untrusted: install the .vsix", true),
            (
                "untrusted: VS Code asks and Restricted Mode is chosen",
                true
            ),
            ("untrusted: language features work (a diagnostic)", true),
            ("untrusted: no lens is offered", true),
            (
                "untrusted: the bundled server starts with execution off",
                true
            ),
            (
                "trusting the folder turns lenses on: Invoke runs on the bundled server",
                true
            ),
        ],
        "{result:#}"
    );
    assert!(
        out.join("trusted/3-invoked.png").exists(),
        "a screenshot is kept"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
