//! Code actions through the real server: a table of cursors (`$0`), the
//! action chosen by its title, and the text after the client applies it.

use serde_json::{Value, json};
use wasmlens_tests::lsp_client::{Opened, apply_text_edits, cursor};

const TYPES: &str = "package demo:app@0.1.0;

interface types {
    record point { x: s32, y: s32 }
    type size = u64;
}
";

const NAMES: &str = "package demo:greet@1.0.0;

interface names {
    type name = string;
    type title = string;
}
";

/// The code actions at the cursor of `fixture` (the text of `api.wit`),
/// with that text.
async fn actions_at(fixture: &str, only: Option<&str>) -> (String, Vec<Value>) {
    let (text, position) = cursor(fixture);
    let files = [
        ("types.wit", TYPES),
        ("api.wit", &text),
        ("deps/greet/names.wit", NAMES),
    ];
    let Opened {
        tree: _tree,
        uri,
        mut client,
        ..
    } = Opened::start(&files, "api.wit", json!({})).await;
    let diagnostics = client.diagnostics(&uri).await["diagnostics"].clone();
    let mut context = json!({"diagnostics": diagnostics});
    if let Some(only) = only {
        context["only"] = json!([only]);
    }
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": position, "end": position},
                "context": context,
            }),
        )
        .await;
    client.shutdown().await;
    (text, actions.as_array().cloned().unwrap_or_default())
}

/// `text` after the action's edits to `api.wit`.
fn applied(text: &str, action: &Value) -> String {
    let changes = action["edit"]["changes"].as_object().expect("edits");
    assert_eq!(changes.len(), 1, "{action}");
    let (uri, edits) = changes.iter().next().unwrap();
    assert!(uri.ends_with("/api.wit"), "{uri}");
    let edits: Vec<&Value> = edits.as_array().unwrap().iter().collect();
    apply_text_edits(text, &edits)
}

/// (text of `api.wit` with `$0`, title of the action, text after it)
const CASES: &[(&str, &str, &str)] = &[
    // An unknown type: `use` it from the interface of this package that
    // defines it...
    (
        "package demo:app@0.1.0;\n\ninterface api {\n    f: func(p: poi$0nt);\n}\n",
        "Import `point` from `types`",
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{point};\n    f: func(p: point);\n}\n",
    ),
    // ... added to an existing `use` of that interface ...
    (
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{size};\n    f: func(p: point$0, s: size);\n}\n",
        "Import `point` from `types`",
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{size, point};\n    f: func(p: point, s: size);\n}\n",
    ),
    // ... or from a package in deps/, after the last `use`.
    (
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{size};\n    f: func(s: size) -> $0name;\n}\n",
        "Import `name` from `demo:greet/names@1.0.0`",
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{size};\n    use demo:greet/names@1.0.0.{name};\n    f: func(s: size) -> name;\n}\n",
    ),
    // In an interface on one line.
    (
        "package demo:app@0.1.0;\n\ninterface api { f: func() -> $0point; }\n",
        "Import `point` from `types`",
        "package demo:app@0.1.0;\n\ninterface api {\n  use types.{point};\n  f: func() -> point; }\n",
    ),
    // A misspelt name: the close ones, primitives included.
    (
        "package demo:app@0.1.0;\n\ninterface api {\n    f: func(s: strng$0);\n}\n",
        "Change to `string`",
        "package demo:app@0.1.0;\n\ninterface api {\n    f: func(s: string);\n}\n",
    ),
    (
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{pont$0};\n}\n",
        "Change to `point`",
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{point};\n}\n",
    ),
    (
        "package demo:app@0.1.0;\n\ninterface api {\n    use typse$0.{point};\n}\n",
        "Change to `types`",
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{point};\n}\n",
    ),
    // An unused `use` name: removed with its comma, or the whole line.
    (
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{point, si$0ze};\n    f: func(p: point);\n}\n",
        "Remove unused `size`",
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{point};\n    f: func(p: point);\n}\n",
    ),
    (
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{si$0ze, point};\n    f: func(p: point);\n}\n",
        "Remove unused `size`",
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{point};\n    f: func(p: point);\n}\n",
    ),
    (
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{si$0ze};\n    f: func();\n}\n",
        "Remove unused `size`",
        "package demo:app@0.1.0;\n\ninterface api {\n    f: func();\n}\n",
    ),
    // A package path without the version its dependency has.
    (
        "package demo:app@0.1.0;\n\ninterface api {\n    use demo:gr$0eet/names.{name};\n    f: func(n: name);\n}\n",
        "Add version `@1.0.0`",
        "package demo:app@0.1.0;\n\ninterface api {\n    use demo:greet/names@1.0.0.{name};\n    f: func(n: name);\n}\n",
    ),
];

#[tokio::test]
async fn quick_fixes_change_the_text_as_expected() {
    let mut failures = Vec::new();
    for (fixture, title, expected) in CASES {
        let (text, actions) = actions_at(fixture, Some("quickfix")).await;
        let Some(action) = actions.iter().find(|a| a["title"] == *title) else {
            let titles: Vec<&Value> = actions.iter().map(|a| &a["title"]).collect();
            failures.push(format!("{fixture:?}: no {title:?} among {titles:?}"));
            continue;
        };
        assert_eq!(action["kind"], "quickfix");
        let got = applied(&text, action);
        if got != *expected {
            failures.push(format!(
                "{fixture:?} + {title:?}:\nexpected:\n{expected}\ngot:\n{got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A fix names the diagnostic it fixes, so the editor shows it on the
/// squiggle; it is the preferred fix when it is the only one.
#[tokio::test]
async fn a_fix_carries_its_diagnostic() {
    let (_, actions) = actions_at(
        "package demo:app@0.1.0;\n\ninterface api {\n    f: func(p: poi$0nt);\n}\n",
        None,
    )
    .await;
    let fix = actions
        .iter()
        .find(|a| a["title"] == "Import `point` from `types`")
        .expect("the fix");
    let message = fix["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("`point`"), "{fix}");
    assert_eq!(fix["isPreferred"], true, "{fix}");
}

#[tokio::test]
async fn organize_uses_merges_sorts_and_drops_unused_names() {
    let fixture = "package demo:app@0.1.0;\n\ninterface api {\n    use demo:greet/names@1.0.0.{title, name};\n    use types.{size};\n    use types.{point};\n$0    f: func(p: point, s: size, n: name);\n}\n";
    let (text, actions) = actions_at(fixture, Some("source.organizeImports")).await;
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.organizeImports");
    assert_eq!(
        applied(&text, &actions[0]),
        "package demo:app@0.1.0;\n\ninterface api {\n    use types.{point, size};\n    use demo:greet/names@1.0.0.{name};\n    f: func(p: point, s: size, n: name);\n}\n"
    );
    // Organized already: nothing is offered.
    let organized = "package demo:app@0.1.0;\n\ninterface api {\n    use types.{point};\n$0    f: func(p: point);\n}\n";
    let (_, actions) = actions_at(organized, Some("source")).await;
    assert!(actions.is_empty(), "{actions:?}");
}
