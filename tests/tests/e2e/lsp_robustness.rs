//! The server survives what goes wrong: a panic in a request is an error
//! response plus a log line, a cancelled request answers "cancelled" at
//! once, and `shutdown` + `exit` end the process with status 0.

use std::time::{Duration, Instant};

use serde_json::json;
use wasmlens_tests::lsp_client::{LspClient, Opened, file_uri};
use wasmlens_tests::{TestTree, wasmlens_bin};

const TEXT: &str = "package a:b;\n\ninterface i {\n    type t = u32;\n}\n";

#[tokio::test]
async fn a_panic_is_an_error_response_and_the_server_lives_on() {
    let mut opened = Opened::start(&[("a.wit", TEXT)], "a.wit", json!({})).await;
    let response = opened
        .client
        .request_raw("wasmlens/debug", json!({"panic": true}))
        .await;
    assert_eq!(response["error"]["code"], -32603, "{response}");
    let message = response["error"]["message"].as_str().unwrap();
    assert!(message.contains("asked to panic"), "{message}");
    // Logged for the user too.
    let log = opened
        .client
        .next_message(|m| m["method"] == "window/logMessage" && m["params"]["type"] == 1)
        .await;
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap()
            .contains("asked to panic")
    );
    // Still serving.
    let hover = opened
        .client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": opened.uri}, "position": {"line": 3, "character": 10}}),
        )
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("type t = u32")
    );
    opened.client.shutdown().await;
}

#[tokio::test]
async fn a_cancelled_request_is_answered_at_once() {
    let mut opened = Opened::start(&[("a.wit", TEXT)], "a.wit", json!({})).await;
    let started = Instant::now();
    let slow = opened
        .client
        .request_raw_with_cancel(
            "wasmlens/debug",
            json!({"sleepMs": 30_000}),
            Duration::from_millis(100),
        )
        .await;
    assert_eq!(slow["error"]["code"], -32800, "{slow}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // Other requests go on.
    let answer = opened.client.request("wasmlens/debug", json!({})).await;
    assert_eq!(answer, "ok");
    opened.client.shutdown().await;
}

#[tokio::test]
async fn shutdown_and_exit_end_the_binary_cleanly() {
    let tree = TestTree::new(&[("a.wit", TEXT)]);
    let path = tree.path().join("a.wit");
    let mut client = LspClient::spawn_binary(wasmlens_bin());
    client.initialize(tree.path(), json!({})).await;
    client.open(&path, TEXT).await;
    client.diagnostics(&file_uri(&path)).await;
    client.shutdown().await;
    let status = client.exit_status().await;
    assert!(status.success(), "{status}");
}
