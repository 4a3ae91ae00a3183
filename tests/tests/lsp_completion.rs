//! Completion through the real server: a table of cursors (`$0`) in a
//! fixture that is half-typed on purpose, with the labels offered.

use serde_json::json;
use wasmlens_tests::TestTree;
use wasmlens_tests::lsp_client::{LspClient, cursor, file_uri};

const TYPES: &str = "package demo:app@0.1.0;

interface types {
    record point { x: s32, y: s32 }
    type %record = u8;
    resource counter;
}
";

const NAMES: &str = "package demo:greet@1.0.0;

interface names {
    type name = string;
    record title { text: string }
}
";

/// (text of `api.wit` with `$0`, labels that must be offered, labels that
/// must not)
const CASES: &[(&str, &[&str], &[&str])] = &[
    // A type position in a function: primitives, generics, in-scope types
    // (`use`d ones too), not keywords of items.
    (
        "interface api {\n    use types.{point};\n    f: func(p: $0\n}\n",
        &["u32", "string", "list", "result", "point"],
        &["record", "interface", "counter"],
    ),
    // A half-typed word still gets the list.
    (
        "interface api {\n    use types.{point};\n    f: func() -> po$0\n}\n",
        &["point", "u8", "option"],
        &["func"],
    ),
    // Item keywords at the start of an interface item.
    (
        "interface api {\n    $0\n}\n",
        &["use", "record", "resource", "func", "record …"],
        &["import", "u32"],
    ),
    // World items.
    (
        "world w {\n    $0\n}\n",
        &["import", "export", "include", "use"],
        &["func"],
    ),
    // Top level.
    (
        "$0\n",
        &["interface", "world", "package", "interface …"],
        &["record"],
    ),
    // After `use`: interfaces of this package and package paths from deps/.
    (
        "interface api {\n    use $0\n}\n",
        &["types", "demo:greet/names@1.0.0"],
        &["api", "u32"],
    ),
    // After a package name: its interfaces.
    (
        "interface api {\n    use demo:greet/$0\n}\n",
        &["names"],
        &["types"],
    ),
    // Inside `use x.{…}`: the types of `x`, escaped where a keyword.
    (
        "interface api {\n    use types.{$0};\n}\n",
        &["point", "record", "counter"],
        &["u32", "x"],
    ),
    (
        "interface api {\n    use demo:greet/names@1.0.0.{$0};\n}\n",
        &["name", "title"],
        &["point"],
    ),
    // After `name:` in an interface: `func`.
    (
        "interface api {\n    f: $0\n}\n",
        &["func", "async"],
        &["u32"],
    ),
    // Record fields take types.
    (
        "interface api {\n    record r { a: $0 }\n}\n",
        &["u32", "list"],
        &["record"],
    ),
    // Nothing in a comment, or where a new name is being written.
    ("interface api {\n    // a $0\n}\n", &[], &["u32", "record"]),
    (
        "interface api {\n    record $0\n}\n",
        &[],
        &["u32", "record"],
    ),
];

#[tokio::test]
async fn completion_offers_what_is_valid_at_the_cursor() {
    let mut failures = Vec::new();
    for (fixture, wanted, unwanted) in CASES {
        let (text, position) = cursor(fixture);
        let tree = TestTree::new(&[
            ("types.wit", TYPES),
            ("api.wit", &text),
            ("deps/greet/names.wit", NAMES),
        ]);
        let path = tree.path().join("api.wit");
        let mut client = LspClient::in_memory();
        client.initialize(tree.path(), json!({})).await;
        client.open(&path, &text).await;
        let items = client
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": file_uri(&path)}, "position": position}),
            )
            .await;
        let labels: Vec<&str> = items
            .as_array()
            .map(|a| a.iter().map(|i| i["label"].as_str().unwrap()).collect())
            .unwrap_or_default();
        let missing: Vec<_> = wanted.iter().filter(|w| !labels.contains(w)).collect();
        let extra: Vec<_> = unwanted.iter().filter(|u| labels.contains(u)).collect();
        if !missing.is_empty() || !extra.is_empty() || (wanted.is_empty() && !labels.is_empty()) {
            failures.push(format!(
                "{fixture:?}: missing {missing:?}, unexpected {extra:?}, got {labels:?}"
            ));
        }
        // Keywords as names are escaped when inserted.
        if let Some(record) = items
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["label"] == "record" && i["kind"] != 14)
        {
            assert_eq!(record["insertText"], "%record", "{fixture:?}");
        }
        client.shutdown().await;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
