//! Formatting through the real server: whole documents and ranges, in both
//! position encodings, of the editor's unsaved text, and the refusal of a
//! file with a syntax error.

use serde_json::{Value, json};
use wasmlens::syntax::format::format;
use wasmlens_tests::lsp_client::{Opened, apply_text_edits};

/// Non-ASCII before the edits on their lines, so that UTF-16 and UTF-8
/// columns differ.
const TEXT: &str = "package demo:fmt;\ninterface i {\n    /* héllo wörld 🎉 */ record r {a: u32, b: string}\n    f: func(x:u32)->r;\n    g: func(y:u32);\n}\n";

fn edits(response: &Value) -> Vec<&Value> {
    response
        .as_array()
        .expect("a list of edits")
        .iter()
        .collect()
}

/// Offers each encoding and formats `TEXT`.
#[tokio::test]
async fn formatting_gives_the_formatters_text_in_each_encoding() {
    for encodings in [json!(["utf-16"]), json!(["utf-8", "utf-16"])] {
        let mut opened = Opened::start(
            &[("a.wit", TEXT)],
            "a.wit",
            json!({"general": {"positionEncodings": encodings}}),
        )
        .await;
        let response = opened
            .client
            .request(
                "textDocument/formatting",
                json!({"textDocument": {"uri": opened.uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
            )
            .await;
        let encoding = opened.init["capabilities"]["positionEncoding"]
            .as_str()
            .unwrap()
            .to_string();
        let after = if encoding == "utf-8" {
            apply_utf8(TEXT, &edits(&response))
        } else {
            apply_text_edits(TEXT, &edits(&response))
        };
        assert_eq!(after, format(TEXT).unwrap(), "{encoding}");
        opened.client.shutdown().await;
    }
}

/// Applies edits whose columns count UTF-8 bytes.
fn apply_utf8(text: &str, edits: &[&Value]) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(
            offset(&e["range"]["start"])..offset(&e["range"]["end"]),
            e["newText"].as_str().unwrap(),
        );
    }
    out
}

#[tokio::test]
async fn range_formatting_changes_only_the_range() {
    let mut opened = Opened::start(&[("a.wit", TEXT)], "a.wit", json!({})).await;
    // Line 3 only: `f: func(x:u32)->r;`.
    let response = opened
        .client
        .request(
            "textDocument/rangeFormatting",
            json!({
                "textDocument": {"uri": opened.uri},
                "range": {"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 22}},
                "options": {"tabSize": 4, "insertSpaces": true},
            }),
        )
        .await;
    let after = apply_text_edits(TEXT, &edits(&response));
    let lines: Vec<&str> = after.lines().collect();
    // The line is reindented and its spaces normalised.
    assert_eq!(lines[3], "  f: func(x: u32) -> r;", "{after}");
    // Lines outside the range are as they were.
    assert_eq!(lines[4], "    g: func(y:u32);");
    assert_eq!(lines[2], TEXT.lines().nth(2).unwrap());
    opened.client.shutdown().await;
}

#[tokio::test]
async fn unsaved_text_is_formatted_and_syntax_errors_refused() {
    let mut opened = Opened::start(&[("a.wit", TEXT)], "a.wit", json!({})).await;
    // The buffer changes without being saved: a syntax error.
    let broken = "interface i {\n    f: func(;\n}\n";
    opened
        .client
        .notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": opened.uri, "version": 2},
                "contentChanges": [{"text": broken}],
            }),
        )
        .await;
    let response = opened
        .client
        .request_raw(
            "textDocument/formatting",
            json!({"textDocument": {"uri": opened.uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .await;
    assert_eq!(response["error"]["code"], -32803, "{response}");
    let message = response["error"]["message"].as_str().unwrap();
    assert!(message.contains("syntax error"), "{message}");
    // Fixed, still unsaved: formatted from the buffer, not the disk.
    let fixed = "interface i {\nf: func();\n}\n";
    opened
        .client
        .notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": opened.uri, "version": 3},
                "contentChanges": [{"text": fixed}],
            }),
        )
        .await;
    let response = opened
        .client
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": opened.uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .await;
    assert_eq!(
        apply_text_edits(fixed, &edits(&response)),
        "interface i {\n  f: func();\n}\n"
    );
    opened.client.shutdown().await;
}
