//! A workspace cannot grant itself the machine: what a `wasmlens.toml`
//! asks for beyond an empty sandbox (a build command, a directory outside
//! its folder, the network, the editor's environment) is put to the user
//! through `window/showMessageRequest` before the first run; Deny runs
//! without it, "Always" is remembered for that content only, and the
//! editor's own settings ask nothing.

use serde_json::{Value, json};
use wasmlens_tests::components::{grants_command, network_command, wasi_version};

use super::lsp_lenses::LensWorkspace;

/// The text the guest wrote to stdout in the run whose answer is `answer`,
/// and what wasmlens itself said on stderr.
async fn outputs(workspace: &mut LensWorkspace, answer: &Value) -> (String, String) {
    let run_id = answer["runId"].clone();
    let mut stdout = String::new();
    let mut stderr = String::new();
    for message in workspace
        .client
        .arrived(|m| m["method"] == "wasmlens/output" && m["params"]["runId"] == run_id)
    {
        match message["params"]["stream"].as_str() {
            Some("stdout") => stdout.push_str(message["params"]["text"].as_str().unwrap()),
            _ => stderr.push_str(message["params"]["text"].as_str().unwrap()),
        }
    }
    (stdout, stderr)
}

/// A command world `name` importing what `imports` lists, its built
/// component at `build/app.wasm`, and `wasmlens.toml`.
async fn command_workspace(imports: &[&str], component: Vec<u8>, toml: &str) -> LensWorkspace {
    let v = wasi_version();
    let imports: String = imports
        .iter()
        .map(|i| format!("    import wasi:{i}@{v};\n"))
        .collect();
    let world =
        format!("package test:app;\n\nworld app {{\n{imports}    export wasi:cli/run@{v};\n}}\n");
    let files = super::lsp_lenses::command_files(&world);
    let mut files = super::lsp_lenses::borrowed(&files);
    files.push(("wasmlens.toml", toml));
    LensWorkspace::start(&files, &[("build/app.wasm", component)], "wit/world.wit").await
}

const GRANTS_IMPORTS: [&str; 4] = [
    "cli/environment",
    "filesystem/preopens",
    "cli/stdout",
    "io/streams",
];

#[tokio::test]
async fn a_build_command_asks_each_time_until_always_and_again_once_edited() {
    let mut workspace =
        LensWorkspace::calc_with_build("mkdir -p out && cp stash/calc.wasm out/").await;
    let config = std::fs::read_to_string(workspace.root.join("wasmlens.toml")).unwrap();
    let build = workspace.lens_command("Build", "world calc").await;
    // Table: (answer to the prompt) -> whether the build ran.
    for (choice, ran) in [("Deny", false), ("Allow once", true), ("Allow once", true)] {
        std::fs::remove_dir_all(workspace.root.join("out")).ok();
        let (prompt, response) = workspace
            .execute_consenting(&build, json!({}), choice)
            .await;
        let question = prompt["message"].as_str().unwrap();
        assert!(
            question.contains("wasmlens.toml asks to:\n• run the shell command `mkdir -p out && cp stash/calc.wasm out/`"),
            "{question}"
        );
        assert_eq!(
            workspace.root.join("out/calc.wasm").is_file(),
            ran,
            "{choice}"
        );
        if ran {
            assert_eq!(response["result"]["ok"], true, "{response}");
        } else {
            let message = response["error"]["message"].as_str().unwrap();
            assert!(
                message.contains("was not run: it was not allowed"),
                "{message}"
            );
        }
    }
    // Always: remembered outside the workspace, and no more prompts.
    workspace
        .execute_consenting(&build, json!({}), "Always for this workspace")
        .await;
    let stored =
        std::fs::read_to_string(workspace.client.state_dir().join("consent.json")).unwrap();
    assert!(stored.contains("wasmlens.toml"), "{stored}");
    let answer = workspace.execute(&build, json!({})).await;
    assert_eq!(answer["ok"], true, "{answer}");
    assert!(
        workspace
            .client
            .arrived(|m| m["method"] == "window/showMessageRequest")
            .is_empty()
    );
    // An edited file asks again.
    let toml = workspace.root.join("wasmlens.toml");
    std::fs::write(&toml, format!("{config}# edited\n")).unwrap();
    let (prompt, response) = workspace
        .execute_consenting(&build, json!({}), "Allow once")
        .await;
    assert!(
        prompt["message"]
            .as_str()
            .unwrap()
            .contains("run the shell command")
    );
    assert_eq!(response["result"]["ok"], true, "{response}");
}

#[tokio::test]
async fn grants_outside_the_workspace_ask_and_deny_runs_without_them() {
    let outside = tempfile::tempdir().unwrap();
    let toml = "[run]\ndirs = [{ host = \"link\", guest = \"/outside\" }, { host = \"data\" }]\ninherit-env = true\n";
    let mut workspace = command_workspace(&GRANTS_IMPORTS, grants_command(), toml).await;
    std::fs::create_dir_all(workspace.root.join("data")).unwrap();
    // A symlink inside the workspace that points outside counts as outside.
    std::os::unix::fs::symlink(outside.path(), workspace.root.join("link")).unwrap();
    let run = workspace.lens_command("▶ Run", "world app").await;

    let (prompt, response) = workspace.execute_consenting(&run, json!({}), "Deny").await;
    let question = prompt["message"].as_str().unwrap();
    let real = outside.path().canonicalize().unwrap();
    assert!(
        question.contains(&format!(
            "• read and write the directory {} (outside the workspace) as /outside\n• read every environment variable of the editor",
            real.display()
        )),
        "{question}"
    );
    assert!(
        !question.contains("data"),
        "a directory inside needs no consent: {question}"
    );
    let answer = &response["result"];
    let (stdout, stderr) = outputs(&mut workspace, answer).await;
    assert_eq!(
        stdout, "0 1\n",
        "denied: no environment, only the inside directory"
    );
    assert!(
        stderr.starts_with("wasmlens: running without what"),
        "{stderr}"
    );

    let (_, response) = workspace
        .execute_consenting(&run, json!({}), "Allow once")
        .await;
    let (stdout, _) = outputs(&mut workspace, &response["result"]).await;
    let counts: Vec<&str> = stdout.trim_end().split(' ').collect();
    assert_ne!(counts[0], "0", "the environment was granted: {stdout}");
    assert_eq!(counts[1], "2", "both directories: {stdout}");
}

#[tokio::test]
async fn the_network_asks_and_the_editors_own_settings_do_not() {
    let imports = [
        "sockets/instance-network",
        "sockets/tcp-create-socket",
        "sockets/tcp",
        "cli/stdout",
        "io/streams",
    ];
    let mut workspace =
        command_workspace(&imports, network_command(), "[run]\nallow-net = true\n").await;
    let run = workspace.lens_command("▶ Run", "world app").await;
    let (prompt, response) = workspace.execute_consenting(&run, json!({}), "Deny").await;
    assert!(
        prompt["message"]
            .as_str()
            .unwrap()
            .contains("• use the network")
    );
    let (stdout, _) = outputs(&mut workspace, &response["result"]).await;
    assert_eq!(stdout, "1 1\n", "denied: access-denied");

    // The same grant from the editor's settings is the user's own.
    let mut editor = command_workspace(&imports, network_command(), "").await;
    editor
        .client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"wasmlens": {"run": {"allowNet": true}}}}),
        )
        .await;
    let run = editor.lens_command("▶ Run", "world app").await;
    let answer = editor.execute(&run, json!({})).await;
    let (stdout, _) = outputs(&mut editor, &answer).await;
    assert!(
        stdout.starts_with("0 "),
        "allowed without a prompt: {stdout}"
    );
}
