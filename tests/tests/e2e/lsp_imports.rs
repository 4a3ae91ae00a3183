//! Imports WASI does not provide, from the editor: `[run] mocks` and
//! `plugs` of `wasmlens.toml` stand in for them under ▶ Invoke and Trace;
//! without them, an export that calls no missing import still runs and one
//! that does says which import and how to provide it.

use serde_json::json;
use wasmlens_tests::components::{imports_component, imports_wit, kv_provider_component};

use super::lsp_lenses::LensWorkspace;

async fn workspace(config: &str) -> LensWorkspace {
    let wit = imports_wit();
    LensWorkspace::start(
        &[("wit/app.wit", wit.as_str()), ("wasmlens.toml", config)],
        &[
            ("build/app.wasm", imports_component()),
            ("plugs/provider.wasm", kv_provider_component()),
        ],
        "wit/app.wit",
    )
    .await
}

/// (wasmlens.toml, export, arguments, ok, a piece of the answer's text)
const CASES: &[(&str, &str, &str, bool, &str)] = &[
    // Nothing stands in: the export that calls no import runs...
    ("", "export pure", "(21)", true, "pure(21) = 42"),
    // ...the one that does fails, naming the import and the remedy.
    (
        "",
        "export lookup",
        "(\"k\")",
        false,
        "the guest called the import `eval:host/kv@0.1.0.get`, which nothing provides",
    ),
    (
        "[run]\nmocks = { \"eval:host/kv.get\" = 'some(\"from toml\")' }\n",
        "export lookup",
        "(\"k\")",
        true,
        "lookup(\"k\") = some(\"from toml\")",
    ),
    (
        "[run]\nmocks = { log = '' }\n",
        "export note",
        "(\"four\")",
        true,
        "note(\"four\") = 4",
    ),
    (
        "[run]\nplugs = [\"plugs/provider.wasm\"]\n",
        "export lookup",
        "(\"k\")",
        true,
        "lookup(\"k\") = some(\"plugged:k\")",
    ),
];

#[tokio::test]
async fn mocks_and_plugs_of_wasmlens_toml_stand_in_for_imports() {
    let mut failures = Vec::new();
    for (config, line, arguments, ok, text) in CASES {
        let mut workspace = workspace(config).await;
        let invoke = workspace.lens_command("▶ Invoke", line).await;
        let answer = workspace
            .execute(&invoke, json!({"arguments": arguments}))
            .await;
        if answer["ok"] != *ok || !answer["text"].as_str().unwrap_or("").contains(text) {
            failures.push(format!("{config:?} {line}{arguments}: {answer:#}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_mock_of_the_wrong_type_says_which_type_fits() {
    let mut workspace = workspace("[run]\nmocks = { \"eval:host/kv.get\" = '42' }\n").await;
    let invoke = workspace.lens_command("▶ Invoke", "export pure").await;
    let response = workspace
        .execute_raw(&invoke, json!({"arguments": "(1)"}))
        .await;
    let error = response["error"]["message"].as_str().unwrap_or_default();
    assert!(
        error.contains("mock `eval:host/kv.get`: `42` is not a value of the import's result type `option<string>`"),
        "{response:#}"
    );
}

#[tokio::test]
async fn a_trace_shows_the_mocked_call_in_wave() {
    let mut workspace =
        workspace("[run]\nmocks = { \"eval:host/kv@0.1.0.get\" = 'some(\"m\")' }\n").await;
    let trace = workspace.lens_command("Trace", "export lookup").await;
    let answer = workspace
        .execute(&trace, json!({"arguments": "(\"key\")"}))
        .await;
    let call = &answer["trace"]["calls"][0];
    assert_eq!(call["interface"], "eval:host/kv@0.1.0", "{answer:#}");
    assert_eq!(call["function"], "get");
    assert_eq!(
        call["arguments"],
        json!([{"name": "key", "value": "\"key\""}])
    );
    assert_eq!(call["result"], "some(\"m\")");
}
