//! The ▶ Request and Trace Request lenses through the protocol, on a
//! workspace whose world exports `wasi:http/incoming-handler` and whose
//! built component is the WAT proxy of tests/fixtures/http: which lenses
//! appear, a request's answer (status, headers, body), a trap, a trace,
//! outgoing HTTP without the grant, and what is refused.

use serde_json::{Value, json};
use wasmlens_tests::{crate_dir, workspace_root};

use super::lsp_lenses::{LensWorkspace, borrowed};

/// The proxy's world in `wit/`, the wasi:http tree in `wit/deps/`, the
/// built component in `build/` (where discovery looks).
pub(crate) async fn proxy_workspace(config: Option<&str>) -> LensWorkspace {
    let fixtures = workspace_root().join("tests/fixtures/http");
    let mut files = vec![(
        "wit/proxy.wit".to_string(),
        std::fs::read_to_string(fixtures.join("proxy.wit")).unwrap(),
    )];
    let deps = crate_dir("wasmtime-wasi-http").join("wit/deps");
    for entry in std::fs::read_dir(deps).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "wit") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.push((
                format!("wit/deps/{name}"),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    if let Some(config) = config {
        files.push(("wasmlens.toml".to_string(), config.to_string()));
    }
    let proxy = std::fs::read(fixtures.join("proxy.wasm")).unwrap();
    LensWorkspace::start(
        &borrowed(&files),
        &[("build/proxy.wasm", proxy)],
        "wit/proxy.wit",
    )
    .await
}

#[tokio::test]
async fn request_lenses_sit_above_an_http_world() {
    let mut workspace = proxy_workspace(None).await;
    let lenses = workspace.lenses().await;
    assert!(
        lenses.contains(&"8: \"▶ Request\"".to_string())
            && lenses.contains(&"8: \"Trace Request\"".to_string()),
        "{lenses:?}"
    );
}

/// (what the client adds to the lens' data, status, a piece of the body,
/// a header the answer must have)
type Case = (
    &'static str,
    u16,
    &'static str,
    Option<(&'static str, &'static str)>,
);

const CASES: &[Case] = &[
    // Nothing given: `GET /`.
    ("{}", 200, "hello from wat\n", Some(("x-wasmlens", "proxy"))),
    (
        r#"{"method": "post", "path": "/echo", "headers": [["content-type", "text/plain"]], "body": "echo ✓"}"#,
        200,
        "echo ✓",
        Some(("x-method", "POST")),
    ),
    (
        r#"{"method": "GET", "path": "/nope?x=1"}"#,
        404,
        "not found\n",
        None,
    ),
    // Outgoing HTTP without `allow-net`: the guest is told it is denied.
    (
        r#"{"path": "/fetch", "headers": [["x-target-port", "9"]]}"#,
        502,
        "HTTP-request-denied",
        None,
    ),
];

#[tokio::test]
async fn a_request_answers_with_status_headers_and_body() {
    let mut workspace = proxy_workspace(None).await;
    let request = workspace.lens_command("▶ Request", "world proxy-wat").await;
    assert_eq!(request["command"], "wasmlens.request");
    let mut failures = Vec::new();
    for (extra, status, body, header) in CASES {
        let extra: Value = serde_json::from_str(extra).unwrap();
        let answer = workspace.execute(&request, extra.clone()).await;
        let headers = answer["headers"].as_array().unwrap();
        let has_header = header
            .is_none_or(|(name, value)| headers.iter().any(|h| h[0] == *name && h[1] == *value));
        if answer["kind"] != "request"
            || answer["ok"] != true
            || answer["status"] != *status
            || !answer["body"].as_str().unwrap_or("").contains(body)
            || !has_header
            || answer["bodyIsText"] != true
        {
            failures.push(format!("{extra}: {answer:#}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The text shows the request, the status, the headers and the body.
    let answer = workspace
        .execute(
            &request,
            json!({"method": "POST", "path": "/echo", "body": "hi"}),
        )
        .await;
    let text = answer["text"].as_str().unwrap();
    assert!(text.starts_with("POST /echo → 200"), "{text}");
    assert!(
        text.contains("x-method: POST\n") && text.ends_with("\nhi"),
        "{text}"
    );
}

#[tokio::test]
async fn a_trapping_handler_is_a_failure_with_its_backtrace() {
    let mut workspace = proxy_workspace(None).await;
    let request = workspace.lens_command("▶ Request", "world proxy-wat").await;
    let answer = workspace.execute(&request, json!({"path": "/trap"})).await;
    assert_eq!(answer["ok"], false, "{answer:#}");
    assert!(answer.get("status").is_none(), "{answer:#}");
    let error = answer["error"].as_str().unwrap();
    assert!(
        error.contains("wasm `unreachable` instruction executed"),
        "{error}"
    );
    assert!(
        answer["backtrace"][0].as_str().unwrap().contains("handle"),
        "{answer:#}"
    );
    // The server is fine: the next request is answered.
    let answer = workspace.execute(&request, json!({})).await;
    assert_eq!(answer["status"], 200);
}

#[tokio::test]
async fn trace_request_records_the_handlers_calls() {
    let mut workspace = proxy_workspace(None).await;
    let trace = workspace
        .lens_command("Trace Request", "world proxy-wat")
        .await;
    let answer = workspace
        .execute(
            &trace,
            json!({"method": "POST", "path": "/echo", "body": "abc"}),
        )
        .await;
    assert_eq!(
        (answer["ok"].clone(), answer["status"].clone()),
        (json!(true), json!(200))
    );
    assert_eq!(answer["trace"]["function"], "handle");
    let tree = answer["tree"].as_str().unwrap();
    // The handler read the body and set the response through wasi:http.
    for call in [
        "[method]incoming-request.consume",
        "[static]response-outparam.set",
    ] {
        assert!(tree.contains(call), "{call} in\n{tree}");
    }
    assert!(answer["text"].as_str().unwrap().ends_with("\nabc"));
}

#[tokio::test]
async fn requests_are_refused_where_they_cannot_go() {
    let mut workspace = proxy_workspace(None).await;
    let request = workspace.lens_command("▶ Request", "world proxy-wat").await;
    for (extra, message) in [
        (json!({"path": "no-slash"}), "is not a request path"),
        (json!({"method": "GE T"}), "is not an HTTP method"),
    ] {
        let response = workspace.execute_raw(&request, extra).await;
        let error = response["error"]["message"].as_str().unwrap_or_default();
        assert!(error.contains(message), "{response:#}");
    }
}
