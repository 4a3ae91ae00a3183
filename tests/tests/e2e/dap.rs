//! `wasmlens dap` end to end, as an editor drives it: the built binary
//! over stdio, a small DAP client, the C fixtures of `tests/fixtures/debug`
//! and WAT components. Breakpoint → stopped at file:line → stack → scopes
//! → variables → step → continue → exit; a trap; launch errors; disconnect
//! while the guest runs.

use serde_json::{Value, json};
use wasmlens_tests::components::{
    CALC_CORE, CALC_WIT, component, debug_command, debug_library, debug_marker,
};
use wasmlens_tests::dap_client::DapClient;
use wasmlens_tests::{TestTree, wasmlens_bin, workspace_root};

fn cmd_c() -> String {
    workspace_root()
        .join("tests/fixtures/debug/cmd.c")
        .display()
        .to_string()
}

/// An adapter, initialized, in a folder holding `component` as `app.wasm`.
fn adapter(component: &[u8]) -> (DapClient, TestTree) {
    let tree = TestTree::new(&[]);
    tree.write_bytes("app.wasm", component);
    let mut client = DapClient::start(wasmlens_bin(), tree.path());
    let capabilities = client.ok("initialize", json!({"adapterID": "wasmlens"}));
    assert_eq!(capabilities["supportsConfigurationDoneRequest"], true);
    assert_eq!(
        capabilities["exceptionBreakpointFilters"][0]["filter"],
        "trap"
    );
    (client, tree)
}

fn launch(client: &mut DapClient, tree: &TestTree, extra: Value) {
    let mut arguments = json!({"type": "wasmlens", "request": "launch", "component": "app.wasm",
        "cwd": tree.path()});
    for (key, value) in extra.as_object().unwrap() {
        arguments[key] = value.clone();
    }
    client.ok("launch", arguments);
    client.event("initialized");
}

fn top_frame(client: &mut DapClient) -> Value {
    let stack = client.ok("stackTrace", json!({"threadId": 1}));
    stack["stackFrames"][0].clone()
}

#[test]
fn a_breakpoint_stops_then_variables_step_continue_and_exit() {
    let (mut client, tree) = adapter(&debug_command("cmd-O0"));
    launch(&mut client, &tree, json!({}));
    let line = debug_marker("cmd.c", "fact-body");
    let placed = client.ok(
        "setBreakpoints",
        json!({"source": {"path": cmd_c()}, "breakpoints": [{"line": line}]}),
    );
    assert_eq!(placed["breakpoints"][0]["verified"], true, "{placed}");
    assert_eq!(placed["breakpoints"][0]["line"], line);
    client.ok("setExceptionBreakpoints", json!({"filters": ["trap"]}));
    client.ok("configurationDone", json!({}));

    let stopped = client.event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint", "{stopped}");
    assert_eq!(
        stopped["body"]["hitBreakpointIds"][0],
        placed["breakpoints"][0]["id"]
    );
    let top = top_frame(&mut client);
    assert_eq!(top["name"], "fact");
    assert_eq!(top["line"], line);
    assert!(
        top["source"]["path"].as_str().unwrap().ends_with("cmd.c"),
        "{top}"
    );
    let scopes = client.ok("scopes", json!({"frameId": 0}));
    let names: Vec<&str> = scopes["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Wasm locals", "Operand stack", "Globals"]);
    let reference = scopes["scopes"][0]["variablesReference"].clone();
    let locals = client.ok("variables", json!({"variablesReference": reference}));
    let first = locals["variables"][0].clone();
    assert_eq!(first["name"], "$0", "{locals}");
    let evaluated = client.ok("evaluate", json!({"expression": "$0", "frameId": 0}));
    assert_eq!(evaluated["result"], first["value"]);

    // No more breakpoints: a step over the recursive call stays in this
    // frame and goes to the next line.
    client.ok(
        "setBreakpoints",
        json!({"source": {"path": cmd_c()}, "breakpoints": []}),
    );
    client.ok("next", json!({"threadId": 1}));
    assert_eq!(client.event("stopped")["body"]["reason"], "step");
    assert_eq!(top_frame(&mut client)["line"], line + 1);

    client.ok("continue", json!({"threadId": 1}));
    assert_eq!(client.event("exited")["body"]["exitCode"], 0);
    client.event("terminated");
    assert!(
        client
            .output("stdout")
            .contains("wasmlens: debugging 14 120"),
        "{}",
        client.output("stdout")
    );
    client.ok("disconnect", json!({}));
    assert_eq!(client.exit_code(), Some(0));
}

#[test]
fn a_trap_stops_as_an_exception_at_its_line() {
    let (mut client, tree) = adapter(&debug_command("cmd-O0"));
    launch(&mut client, &tree, json!({"args": ["trap"]}));
    client.ok("configurationDone", json!({}));
    let stopped = client.event("stopped");
    assert_eq!(stopped["body"]["reason"], "exception");
    assert!(
        stopped["body"]["text"]
            .as_str()
            .unwrap()
            .contains("unreachable"),
        "{stopped}"
    );
    let top = top_frame(&mut client);
    assert_eq!(top["name"], "trap_here");
    assert_eq!(top["line"], debug_marker("cmd.c", "trap"));
    client.ok("continue", json!({"threadId": 1}));
    assert_eq!(client.event("exited")["body"]["exitCode"], 134);
    client.event("terminated");
}

#[test]
fn an_invoke_reports_its_result_before_exiting() {
    let (mut client, tree) = adapter(&debug_library());
    launch(&mut client, &tree, json!({"invoke": "add(2, 40)"}));
    client.ok("configurationDone", json!({}));
    assert_eq!(client.event("exited")["body"]["exitCode"], 0);
    assert!(
        client.output("console").contains("add(2, 40) = 42"),
        "{}",
        client.output("console")
    );
}

#[test]
fn launch_errors_say_what_is_wrong() {
    // Table: launch arguments -> start of the message.
    let cases = [
        (json!({"component": "missing.wasm"}), "missing.wasm"),
        (
            json!({"invoke": "nope()"}),
            "the component exports no function `nope`",
        ),
        (
            json!({"component": null}),
            "the launch configuration has no `component`",
        ),
    ];
    for (extra, message) in cases {
        let (mut client, tree) = adapter(&debug_library());
        let mut arguments = json!({"component": "app.wasm", "cwd": tree.path()});
        for (key, value) in extra.as_object().unwrap() {
            arguments[key] = value.clone();
        }
        let response = client.request("launch", arguments);
        assert_eq!(response["success"], false, "{response}");
        let text = response["message"].as_str().unwrap();
        assert!(text.contains(message), "{extra}: {text}");
    }
}

#[test]
fn disconnect_while_the_guest_runs_ends_it() {
    let (mut client, tree) = adapter(&component(CALC_WIT, CALC_CORE));
    launch(&mut client, &tree, json!({"invoke": "spin()"}));
    client.ok("configurationDone", json!({}));
    client.ok("pause", json!({"threadId": 1}));
    assert_eq!(client.event("stopped")["body"]["reason"], "pause");
    client.ok("continue", json!({"threadId": 1}));
    client.ok("disconnect", json!({"terminateDebuggee": true}));
    client.event("terminated");
    assert_eq!(client.exit_code(), Some(0));
}
