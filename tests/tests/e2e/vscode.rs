//! A real VS Code: `editors/vscode/scripts/e2e.sh` builds the `.vsix`,
//! installs code-server from npm (once, under the target directory),
//! installs the `.vsix` into it and drives it in Debian's headless Chromium
//! with playwright-core (`editors/vscode/test/e2e/driver.mjs`): open a WIT
//! file, type an error and see it in the Problems panel, click ▶ Invoke,
//! type arguments and read the WAVE result in the output and at the end
//! of the line; trace; show a component's WIT; check the workspace. Screenshots of
//! each checkpoint are left in `target/tmp/vscode-e2e/out/`.

use std::process::Command;

use serde_json::Value;
use wasmlens_tests::components::{CALC_CORE, CALC_WIT, component};
use wasmlens_tests::{wasmlens_bin, workspace_root};

#[test]
fn vscode_shows_problems_and_invokes_from_a_lens() {
    let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("vscode-e2e");
    let workspace = root.join("workspace");
    let _ = std::fs::remove_dir_all(&workspace);
    std::fs::create_dir_all(workspace.join("wit")).unwrap();
    std::fs::write(workspace.join("wit/calc.wit"), CALC_WIT).unwrap();
    std::fs::write(workspace.join("wasmlens.toml"), "[run]\ntimeout = \"5s\"\n").unwrap();
    let component_path = workspace.join("target/wasm32-wasip2/release/calc.wasm");
    std::fs::create_dir_all(component_path.parent().unwrap()).unwrap();
    std::fs::write(&component_path, component(CALC_WIT, CALC_CORE)).unwrap();
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
            ("install the .vsix", true),
            ("the workbench loads", true),
            ("the WIT file opens", true),
            ("the grammar colours keywords", true),
            ("the server's lenses appear", true),
            ("an error shows in the Problems panel", true),
            ("reverting clears the problem", true),
            ("Invoke asks with the WAVE template", true),
            ("the WAVE result is in the output", true),
            ("the result is shown at the end of the export's line", true),
            ("the last arguments are remembered", true),
            ("Trace opens the call tree", true),
            ("Show Component Exports lists the component's WIT", true),
            ("Check Workspace reports", true),
        ],
        "{result:#}"
    );
    assert!(out.join("3-invoked.png").exists(), "a screenshot is kept");
}
