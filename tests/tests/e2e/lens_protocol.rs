//! The lens protocol's contract: one real answer of each kind (and the
//! notification and arguments the client sends), taken through the
//! protocol and kept as a snapshot named after its type in
//! `server/src/lsp/ext.rs` and `editors/vscode/src/protocol.ts`
//! (`<Type>` or `<Type>-<case>`). The extension's test type-checks every
//! snapshot against its TypeScript type (`scripts/check-protocol.mjs`), and
//! the README's table of answers is checked against their fields here, so
//! neither can drift from the server.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use wasmlens_tests::components::{CALC_WIT, hello_command, wasi_version};
use wasmlens_tests::lsp_client::file_uri;
use wasmlens_tests::workspace_root;

use super::lsp_lenses::{CALC_PATH, LensWorkspace, borrowed, calc_component, command_files};

/// Volatile values made stable: times become 1.5, the workspace's path
/// `/workspace`, durations in text `<t>`, run ids `1`, a source location's
/// folder `…`.
fn stable(value: &Value, root: &str) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        (key, Value::Number(_)) if key.ends_with("Ms") => json!(1.5),
                        ("runId", _) => json!("1"),
                        // Where a source file is found depends on the
                        // machine (the recorded path, else the workspace).
                        ("uri", Value::String(uri)) if key_is_location(fields) => {
                            json!(format!("file:///…/{}", uri.rsplit('/').next().unwrap()))
                        }
                        _ => stable(value, root),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| stable(v, root)).collect()),
        Value::String(text) => Value::String(stable_text(&text.replace(root, "/workspace"))),
        other => other.clone(),
    }
}

/// An object that is a source location (`uri`, `line`, `character`).
fn key_is_location(fields: &serde_json::Map<String, Value>) -> bool {
    fields.contains_key("line") && fields.contains_key("character")
}

/// `12 µs`, `1.5 ms`, `0.25 s` → `<t>`.
fn stable_text(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let number_end = from
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(from.len());
        let after = &from[number_end..];
        let unit = ["µs", "ms", "s"]
            .into_iter()
            .find(|unit| after.strip_prefix(' ').is_some_and(|a| a.starts_with(unit)));
        let previous_is_word = before
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        match unit {
            Some(unit) if !previous_is_word => {
                out.push_str("<t>");
                rest = &after[1 + unit.len()..];
            }
            _ => {
                out.push_str(&from[..number_end]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn durations_in_text_become_stable() {
    let cases = [
        ("add(1, 2) = 3  (15 µs)", "add(1, 2) = 3  (<t>)"),
        ("run() -> ok  [1.5 ms]", "run() -> ok  [<t>]"),
        ("exited with 0 after 0.25 s", "exited with 0 after <t>"),
        ("u32 2s", "u32 2s"),
        ("crash_here at greet.c:11", "crash_here at greet.c:11"),
    ];
    for (text, expected) in cases {
        assert_eq!(stable_text(text), expected, "{text}");
    }
}

/// Every snapshot of this module, by name, as the contract holds them.
fn contract() -> BTreeMap<String, Value> {
    let dir = workspace_root().join("tests/tests/e2e/snapshots");
    let mut snapshots = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(name) = name
            .strip_prefix("e2e__lens_protocol__")
            .and_then(|n| n.strip_suffix(".snap"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let body = text.splitn(3, "---\n").nth(2).unwrap();
        snapshots.insert(name.to_string(), serde_json::from_str(body).unwrap());
    }
    snapshots
}

fn snapshot(name: &str, value: &Value, root: &std::path::Path) {
    let root = root.to_string_lossy().into_owned();
    insta::assert_json_snapshot!(name, stable(value, &root));
}

#[tokio::test]
async fn invoke_template_limit_and_exports_answers() {
    let mut workspace = LensWorkspace::start(
        &[
            ("wit/calc.wit", CALC_WIT),
            ("wasmlens.toml", "[run]\nfuel = 1\n"),
        ],
        &[(CALC_PATH, calc_component())],
        "wit/calc.wit",
    )
    .await;
    let root = workspace.root.clone();
    let add = workspace.lens_command("▶ Invoke", "export add").await;
    let mut sent = add["arguments"][0].clone();
    sent["arguments"] = json!("(20, 22)");
    snapshot("LensCommandArgument-invoke", &sent, &root);
    let template = workspace.execute(&add, json!({})).await;
    snapshot("LensAnswer-template", &template, &root);
    let limited = workspace
        .execute(&add, json!({"arguments": "(20, 22)"}))
        .await;
    snapshot("LensAnswer-invoke-limit", &limited, &root);
    let exports = workspace
        .client
        .request(
            "workspace/executeCommand",
            json!({"command": "wasmlens.exports", "arguments": [{"uri": file_uri(&root.join(CALC_PATH))}]}),
        )
        .await;
    snapshot("ExportsAnswer", &exports, &root);
    let debug = json!({"panic": false, "sleepMs": 1});
    assert_eq!(
        workspace
            .client
            .request("wasmlens/debug", debug.clone())
            .await,
        "ok"
    );
    snapshot("DebugParams", &debug, &root);

    // Nothing built: the lens that says so carries its note.
    let mut unbuilt =
        LensWorkspace::start(&[("wit/calc.wit", CALC_WIT)], &[], "wit/calc.wit").await;
    let lenses = unbuilt
        .client
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": file_uri(&unbuilt.root.join("wit/calc.wit"))}}),
        )
        .await;
    let root = unbuilt.root.clone();
    snapshot("LensCommandArgument-missing", &lenses[0]["data"], &root);

    let mut unlimited = LensWorkspace::start(
        &[("wit/calc.wit", CALC_WIT)],
        &[(CALC_PATH, calc_component())],
        "wit/calc.wit",
    )
    .await;
    let root = unlimited.root.clone();
    let add = unlimited.lens_command("▶ Invoke", "export add").await;
    let answer = unlimited
        .execute(&add, json!({"arguments": "(20, 22)"}))
        .await;
    snapshot("LensAnswer-invoke", &answer, &root);
}

#[tokio::test]
async fn run_output_and_trace_answers() {
    let v = wasi_version();
    let world = format!(
        "package test:hello;\n\nworld hello {{\n    import wasi:cli/stdout@{v};\n    import wasi:io/streams@{v};\n    export wasi:cli/run@{v};\n}}\n"
    );
    let files = command_files(&world);
    let mut workspace = LensWorkspace::start(
        &borrowed(&files),
        &[("build/hello.wasm", hello_command(false))],
        "wit/world.wit",
    )
    .await;
    let root = workspace.root.clone();
    let run = workspace.lens_command("▶ Run", "world hello").await;
    let mut sent = run["arguments"][0].clone();
    sent["args"] = json!(["a"]);
    snapshot("LensCommandArgument-run", &sent, &root);
    let answer = workspace.execute(&run, json!({"args": ["a"]})).await;
    snapshot("LensAnswer-run", &answer, &root);
    let output = workspace
        .client
        .next_message(|m| m["method"] == "wasmlens/output")
        .await;
    snapshot("OutputParams", &output["params"], &root);
    let mut trace = run.clone();
    trace["command"] = json!("wasmlens.trace");
    let call = format!("wasi:cli/run@{v}.run");
    let answer = workspace
        .execute(&trace, json!({"export": call, "arguments": "()"}))
        .await;
    snapshot("LensAnswer-trace", &answer, &root);
}

#[tokio::test]
async fn trap_answer_with_its_source_location() {
    let mut workspace = LensWorkspace::greet_command().await;
    let root = workspace.root.clone();
    let run = workspace.lens_command("▶ Run", "world greet").await;
    let answer = workspace.execute(&run, json!({"args": ["trap"]})).await;
    snapshot("LensAnswer-run-trap", &answer, &root);
}

/// The fields the README's answer table lists for `kind`.
fn readme_fields() -> BTreeMap<String, BTreeSet<String>> {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let section = readme
        .split("| answer | fields |")
        .nth(1)
        .expect("README.md has the table of answers (`| answer | fields |`)");
    let mut table = BTreeMap::new();
    for line in section.lines().skip(2) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let kind = cells[1].trim_matches('`').to_string();
        let fields = cells[2]
            .split('`')
            .skip(1)
            .step_by(2)
            .map(|f| f.trim_matches('"').to_string())
            .collect();
        table.insert(kind, fields);
    }
    table
}

/// Which rows of the README's table document a snapshot.
fn readme_rows(name: &str, answer: &Value) -> Vec<String> {
    let kind = answer["kind"].as_str();
    let mut rows = match (name.split('-').next().unwrap(), kind) {
        ("LensAnswer", Some(kind)) => vec![kind.to_string()],
        (other, _) => vec![other.to_string()],
    };
    if matches!(kind, Some("run" | "invoke" | "trace" | "request")) {
        rows.push("execution".to_string());
        if answer["ok"] == false {
            rows.push("failure".to_string());
        }
    }
    rows
}

#[test]
fn the_readme_documents_exactly_the_fields_of_each_answer() {
    let table = readme_fields();
    let contract = contract();
    assert!(contract.len() >= 10, "{:?}", contract.keys());
    let mut documented_and_seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, answer) in &contract {
        let rows = readme_rows(name, answer);
        let mut documented = BTreeSet::new();
        for row in &rows {
            let fields = table
                .get(row)
                .unwrap_or_else(|| panic!("README's answer table has no row `{row}` ({name})"));
            documented.extend(fields.iter().cloned());
        }
        for field in answer.as_object().unwrap().keys() {
            assert!(
                documented.contains(field),
                "README does not document `{field}` of {name} (rows {rows:?})"
            );
            for row in &rows {
                if table[row].contains(field) {
                    documented_and_seen
                        .entry(row.clone())
                        .or_default()
                        .insert(field.clone());
                }
            }
        }
    }
    for (row, fields) in &table {
        let seen = documented_and_seen.get(row).cloned().unwrap_or_default();
        let never: Vec<_> = fields.difference(&seen).collect();
        assert!(
            never.is_empty(),
            "README's row `{row}` lists fields no answer has: {never:?}"
        );
    }
}

#[tokio::test]
async fn request_answers() {
    let mut workspace = super::lsp_request::proxy_workspace(None).await;
    let root = workspace.root.clone();
    let request = workspace.lens_command("▶ Request", "world proxy-wat").await;
    let extra = json!({
        "method": "POST",
        "path": "/echo",
        "headers": [["content-type", "text/plain"]],
        "body": "hello"
    });
    let mut sent = request["arguments"][0].clone();
    for (key, value) in extra.as_object().unwrap() {
        sent[key] = value.clone();
    }
    snapshot("LensCommandArgument-request", &sent, &root);
    let mut answer = workspace.execute(&request, extra).await;
    // The date header is the host's clock.
    answer["headers"]
        .as_array_mut()
        .unwrap()
        .retain(|h| h[0] != "date");
    snapshot("LensAnswer-request", &answer, &root);
    let trace = workspace
        .lens_command("Trace Request", "world proxy-wat")
        .await;
    let answer = workspace.execute(&trace, json!({"path": "/trap"})).await;
    snapshot("LensAnswer-request-trap", &answer, &root);
}

#[tokio::test]
async fn build_answer() {
    let mut workspace =
        LensWorkspace::calc_with_build("mkdir -p out && cp stash/calc.wasm out/").await;
    let root = workspace.root.clone();
    let build = workspace.lens_command("Build", "world calc").await;
    let (_, response) = workspace
        .execute_consenting(&build, json!({}), "Allow once")
        .await;
    snapshot("LensAnswer-build", &response["result"], &root);
}

#[tokio::test]
async fn debug_config_answer() {
    let mut workspace = LensWorkspace::start(
        &[("wit/calc.wit", CALC_WIT)],
        &[(CALC_PATH, calc_component())],
        "wit/calc.wit",
    )
    .await;
    let root = workspace.root.clone();
    let debug = workspace.lens_command("⏵ Debug", "export add").await;
    let answer = workspace
        .execute(&debug, json!({"arguments": "(20, 22)"}))
        .await;
    snapshot("LensAnswer-debugConfig", &answer, &root);
}
