//! ⏵ Debug from the lenses: the lens above each export and command world,
//! `wasmlens.debugConfig` answering a template, then a launch
//! configuration (component, call, grants, hints), and that configuration
//! debugged by `wasmlens dap` as an editor would start it.

use serde_json::{Value, json};
use wasmlens_tests::components::{CALC_WIT, debug_library, debug_marker};
use wasmlens_tests::dap_client::DapClient;
use wasmlens_tests::wasmlens_bin;

use super::lsp_lenses::{CALC_PATH, LensWorkspace, calc_component};

/// The Debug lens' command with `extra` in its argument: the answer.
async fn debug_config(workspace: &mut LensWorkspace, line_text: &str, extra: Value) -> Value {
    let debug = workspace.lens_command("⏵ Debug", line_text).await;
    assert_eq!(debug["command"], "wasmlens.debugConfig");
    assert_eq!(debug["arguments"][0]["kind"], "debug");
    workspace.execute(&debug, extra).await
}

#[tokio::test]
async fn the_debug_lens_answers_a_template_then_a_launch_configuration() {
    let mut workspace = LensWorkspace::start(
        &[("wit/calc.wit", CALC_WIT)],
        &[(CALC_PATH, calc_component())],
        "wit/calc.wit",
    )
    .await;
    let lenses = workspace.lenses().await;
    assert!(
        lenses.iter().any(|l| l == "3: \"⏵ Debug\""),
        "a Debug lens beside Invoke: {lenses:?}"
    );
    let template = debug_config(&mut workspace, "export add", json!({})).await;
    assert_eq!(template["kind"], "template");
    assert_eq!(template["template"], "(0, 0)");

    let answer = debug_config(
        &mut workspace,
        "export add",
        json!({"arguments": "(20, 22)"}),
    )
    .await;
    assert_eq!(answer["kind"], "debugConfig", "{answer}");
    let configuration = &answer["configuration"];
    assert_eq!(configuration["type"], "wasmlens");
    assert_eq!(configuration["request"], "launch");
    assert_eq!(configuration["invoke"], "add(20, 22)");
    assert_eq!(
        configuration["component"],
        workspace.root.join(CALC_PATH).display().to_string()
    );
    assert_eq!(configuration["allowNet"], false);
    // The WAT component has no DWARF: it debugs by instruction.
    assert!(
        answer["hint"]
            .as_str()
            .unwrap()
            .contains("has no debug info"),
        "{answer}"
    );

    // The configuration, as an editor hands it to `wasmlens dap`.
    let mut client = DapClient::start(wasmlens_bin(), &workspace.root);
    client.ok("initialize", json!({"adapterID": "wasmlens"}));
    client.ok("launch", configuration.clone());
    client.event("initialized");
    client.ok("configurationDone", json!({}));
    assert_eq!(client.event("exited")["body"]["exitCode"], 0);
    assert!(client.output("console").contains("add(20, 22) = 42"));
}

#[tokio::test]
async fn a_c_export_debugs_from_its_lens_to_a_breakpoint() {
    let wit = std::fs::read_to_string(
        wasmlens_tests::workspace_root().join("tests/fixtures/debug/lib.wit"),
    )
    .unwrap();
    let source = std::fs::read_to_string(
        wasmlens_tests::workspace_root().join("tests/fixtures/debug/lib.c"),
    )
    .unwrap();
    let mut workspace = LensWorkspace::start(
        &[("wit/lib.wit", &wit), ("src/lib.c", &source)],
        &[("build/lib.wasm", debug_library())],
        "wit/lib.wit",
    )
    .await;
    let answer = debug_config(
        &mut workspace,
        "export add",
        json!({"arguments": "(2, 40)"}),
    )
    .await;
    assert!(answer.get("hint").is_none(), "DWARF is there: {answer}");
    let mut client = DapClient::start(wasmlens_bin(), &workspace.root);
    client.ok("initialize", json!({"adapterID": "wasmlens"}));
    client.ok("launch", answer["configuration"].clone());
    client.event("initialized");
    let line = debug_marker("lib.c", "add");
    let source = workspace.root.join("src/lib.c").display().to_string();
    let placed = client.ok(
        "setBreakpoints",
        json!({"source": {"path": source}, "breakpoints": [{"line": line}]}),
    );
    assert_eq!(placed["breakpoints"][0]["verified"], true, "{placed}");
    client.ok("configurationDone", json!({}));
    assert_eq!(client.event("stopped")["body"]["reason"], "breakpoint");
    let stack = client.ok("stackTrace", json!({"threadId": 1}));
    assert_eq!(stack["stackFrames"][0]["name"], "add");
    assert_eq!(stack["stackFrames"][0]["line"], line);
    client.ok("continue", json!({"threadId": 1}));
    assert_eq!(client.event("exited")["body"]["exitCode"], 0);
    assert!(client.output("console").contains("add(2, 40) = 42"));
}

#[tokio::test]
async fn the_launch_configuration_carries_the_grants_the_user_allowed() {
    let config = "[run]\nallow-net = true\nenv = { MODE = \"debug\" }\n";
    let mut workspace = LensWorkspace::start(
        &[("wit/calc.wit", CALC_WIT), ("wasmlens.toml", config)],
        &[(CALC_PATH, calc_component())],
        "wit/calc.wit",
    )
    .await;
    let debug = workspace.lens_command("⏵ Debug", "export add").await;
    // Table: the answer to the prompt -> the network in the configuration.
    for (choice, allowed) in [("Deny", false), ("Allow once", true)] {
        let (prompt, response) = workspace
            .execute_consenting(&debug, json!({"arguments": "(1, 2)"}), choice)
            .await;
        assert!(
            prompt["message"]
                .as_str()
                .unwrap()
                .contains("use the network"),
            "{prompt}"
        );
        let configuration = &response["result"]["configuration"];
        assert_eq!(configuration["allowNet"], allowed, "{choice}: {response}");
        assert_eq!(configuration["env"]["MODE"], "debug");
    }
}
