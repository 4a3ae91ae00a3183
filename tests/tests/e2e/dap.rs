//! `wasmlens dap` end to end, as an editor drives it: the built binary
//! over stdio, a small DAP client, the C fixtures of `tests/fixtures/debug`
//! and WAT components. Breakpoint → stopped at file:line → stack → scopes
//! → variables → step → continue → exit; a trap; launch errors; disconnect
//! while the guest runs.

use serde_json::{Value, json};
use wasmlens_tests::components::{
    CALC_CORE, CALC_WIT, component, debug_command, debug_library, debug_marker, steps_component,
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

/// The variables of a scope or a variable (its `variablesReference`).
fn variables(client: &mut DapClient, of: &Value) -> Vec<Value> {
    let reference = of["variablesReference"].clone();
    let listed = client.ok("variables", json!({"variablesReference": reference}));
    listed["variables"].as_array().unwrap().clone()
}

fn named<'a>(values: &'a [Value], name: &str) -> &'a Value {
    values
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no `{name}` in {values:#?}"))
}

/// Launches the C command with `breakpoints` (`setBreakpoints` entries) in
/// cmd.c and runs it to the first stop.
fn stopped_in_cmd(breakpoints: Value) -> (DapClient, TestTree) {
    let (mut client, tree) = adapter(&debug_command("cmd-O0"));
    launch(&mut client, &tree, json!({}));
    let placed = client.ok(
        "setBreakpoints",
        json!({"source": {"path": cmd_c()}, "breakpoints": breakpoints}),
    );
    for breakpoint in placed["breakpoints"].as_array().unwrap() {
        assert_eq!(breakpoint["verified"], true, "{placed}");
    }
    client.ok("configurationDone", json!({}));
    assert_eq!(client.event("stopped")["body"]["reason"], "breakpoint");
    (client, tree)
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
    assert_eq!(
        names,
        [
            "Locals",
            "Statics",
            "Wasm locals",
            "Operand stack",
            "Globals"
        ]
    );
    let locals = variables(&mut client, &scopes["scopes"][0]);
    assert_eq!(
        (locals[0]["name"].as_str(), locals[0]["value"].as_str()),
        (Some("n"), Some("5")),
        "{locals:?}"
    );
    let wasm_locals = variables(&mut client, &scopes["scopes"][2]);
    assert_eq!(wasm_locals[0]["name"], "$0", "{wasm_locals:?}");
    let evaluated = client.ok("evaluate", json!({"expression": "$0", "frameId": 0}));
    assert_eq!(evaluated["result"], wasm_locals[0]["value"]);

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

#[test]
fn source_values_expand_watch_and_read_memory() {
    let ready = debug_marker("cmd.c", "struct-ready");
    let (mut client, _tree) = stopped_in_cmd(json!([{"line": ready}]));
    top_frame(&mut client);
    let scopes = client.ok("scopes", json!({"frameId": 0}));
    assert_eq!(scopes["scopes"][0]["presentationHint"], "locals");
    let locals = variables(&mut client, &scopes["scopes"][0]);
    assert_eq!(named(&locals, "numbers")["value"], "[3, 1, 4, 1, 5]");
    let message = named(&locals, "message")["value"].as_str().unwrap();
    assert!(message.ends_with(" \"debugging\""), "{message}");

    // A struct opens onto its members, each with how to watch it.
    let square = named(&locals, "square").clone();
    assert_eq!(square["type"], "shape");
    let members = variables(&mut client, &square);
    let origin = named(&members, "origin").clone();
    assert_eq!(origin["value"], "{x: 1, y: -2}");
    assert_eq!(origin["evaluateName"], "square.origin");
    let y = named(&variables(&mut client, &origin), "y").clone();
    assert_eq!(
        (y["value"].as_str(), y["evaluateName"].as_str()),
        (Some("-2"), Some("square.origin.y"))
    );
    let watched = client.ok(
        "evaluate",
        json!({"expression": y["evaluateName"], "frameId": 0, "context": "watch"}),
    );
    assert_eq!(watched["result"], "-2");

    // Hover and the console: members through pointers, elements, errors.
    let cases = [
        ("pointer->sides[2]", "30"),
        ("square.area * 2", "12.5"),
        ("numbers[2] + numbers[4] == 9", "true"),
        ("corner.y", "4"),
    ];
    for (expression, result) in cases {
        let answer = client.ok(
            "evaluate",
            json!({"expression": expression, "frameId": 0, "context": "hover"}),
        );
        assert_eq!(answer["result"], result, "{expression}");
    }
    let pointer = client.ok("evaluate", json!({"expression": "pointer", "frameId": 0}));
    assert!(
        pointer["variablesReference"].as_i64().unwrap() > 0,
        "{pointer}"
    );
    let failed = client.request(
        "evaluate",
        json!({"expression": "square.nope", "frameId": 0}),
    );
    assert_eq!(failed["success"], false);
    assert!(
        failed["message"]
            .as_str()
            .unwrap()
            .contains("has no member `nope`"),
        "{failed}"
    );

    // The struct's bytes: `id` (42) first, little-endian.
    let memory = client.ok(
        "readMemory",
        json!({"memoryReference": square["memoryReference"], "count": 4}),
    );
    assert_eq!(memory["data"], "KgAAAA==", "{memory}");

    // After the guest runs, an old reference is refused, not misread.
    client.ok(
        "setBreakpoints",
        json!({"source": {"path": cmd_c()}, "breakpoints": [{"line": ready + 1}]}),
    );
    client.ok("continue", json!({"threadId": 1}));
    client.event("stopped");
    let stale = client.request(
        "variables",
        json!({"variablesReference": square["variablesReference"]}),
    );
    assert_eq!(stale["success"], false, "{stale}");
    client.ok("disconnect", json!({}));
}

#[test]
fn conditions_hit_counts_and_logpoints_through_dap() {
    let capabilities = adapter(&debug_library()).0.ok("initialize", json!({}));
    for capability in [
        "supportsConditionalBreakpoints",
        "supportsHitConditionalBreakpoints",
        "supportsLogPoints",
    ] {
        assert_eq!(capabilities[capability], true, "{capability}");
    }
    let body = debug_marker("cmd.c", "fact-body");
    let sum = debug_marker("cmd.c", "sum-loop");
    let (mut client, _tree) = stopped_in_cmd(json!([
        {"line": sum, "logMessage": "total={total} i={i}", "condition": "i >= 3"},
        {"line": body, "condition": "n < 5", "hitCondition": "2"},
    ]));
    // The logpoint logged twice and did not stop; the breakpoint stopped
    // at its second hit where n < 5: n = 3.
    let n = client.ok("evaluate", json!({"expression": "n", "frameId": 0}));
    assert_eq!(n["result"], "3");
    assert_eq!(client.output("console"), "total=8 i=3\ntotal=9 i=4\n");
    // A breakpoint whose condition does not parse is refused, saying why.
    let refused = client.ok(
        "setBreakpoints",
        json!({"source": {"path": cmd_c()}, "breakpoints": [{"line": body, "condition": "n ="}]}),
    );
    assert_eq!(refused["breakpoints"][0]["verified"], false);
    let message = refused["breakpoints"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("condition: "), "{message}");
    client.ok("continue", json!({"threadId": 1}));
    assert_eq!(client.event("exited")["body"]["exitCode"], 0);
}

#[test]
fn disassembly_shows_wat_around_the_frame() {
    let (mut client, tree) = adapter(&steps_component());
    let capabilities = client.ok("initialize", json!({}));
    assert_eq!(capabilities["supportsDisassembleRequest"], true);
    launch(&mut client, &tree, json!({"invoke": "mix(3, 2)"}));
    client.ok(
        "setFunctionBreakpoints",
        json!({"breakpoints": [{"name": "square"}]}),
    );
    client.ok("configurationDone", json!({}));
    assert_eq!(client.event("stopped")["body"]["reason"], "breakpoint");
    let top = top_frame(&mut client);
    assert_eq!(top["name"], "square");
    let scopes = client.ok("scopes", json!({"frameId": 0}));
    assert_eq!(
        scopes["scopes"][0]["name"], "Wasm locals",
        "no DWARF: no Locals scope"
    );
    let here = top["instructionPointerReference"].clone();
    let listed = client.ok(
        "disassemble",
        json!({"memoryReference": here, "instructionOffset": -2, "instructionCount": 6}),
    );
    let instructions = listed["instructions"].as_array().unwrap();
    assert_eq!(instructions.len(), 6, "the count asked for: {listed}");
    let text: Vec<&str> = instructions
        .iter()
        .map(|i| i["instruction"].as_str().unwrap())
        .collect();
    // `square` is `local.get $x, local.get $x, i32.mul` after `tick`'s
    // last operators; the frame is at its first operator.
    assert_eq!(instructions[2]["address"], here, "{listed}");
    assert_eq!(
        &text[2..5],
        ["local.get $x", "local.get $x", "i32.mul"],
        "{text:?}"
    );
    assert_eq!(instructions[2]["symbol"], "square");
    assert_eq!(instructions[0]["symbol"], "tick");
    // Past the module's code: placeholders, addresses still increasing.
    let tail = client.ok(
        "disassemble",
        json!({"memoryReference": here, "instructionOffset": 100000, "instructionCount": 2}),
    );
    assert_eq!(tail["instructions"][0]["presentationHint"], "invalid");
    client.ok("disconnect", json!({}));
}

#[test]
fn restart_runs_again_with_the_same_breakpoints() {
    let body = debug_marker("cmd.c", "fact-body");
    let (mut client, _tree) = stopped_in_cmd(json!([{"line": body, "condition": "n == 4"}]));
    let n = client.ok("evaluate", json!({"expression": "n", "frameId": 0}));
    assert_eq!(n["result"], "4");
    client.ok("restart", json!({}));
    // The same breakpoint, condition included, in a fresh run; the old
    // run's end is not reported.
    assert_eq!(client.event("stopped")["body"]["reason"], "breakpoint");
    let n = client.ok("evaluate", json!({"expression": "n", "frameId": 0}));
    assert_eq!(n["result"], "4");
    assert_eq!(top_frame(&mut client)["line"], body);
    client.ok("continue", json!({"threadId": 1}));
    assert_eq!(client.event("exited")["body"]["exitCode"], 0);
    client.event("terminated");
    let terminated = client.output("console");
    assert_eq!(terminated.matches("exited with").count(), 1, "{terminated}");
}
