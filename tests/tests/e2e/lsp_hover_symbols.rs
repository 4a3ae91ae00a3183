//! Hover, document symbols and workspace symbols through the real server,
//! snapshotted.

use serde_json::{Value, json};
use wasmlens_tests::TestTree;
use wasmlens_tests::lsp_client::{LspClient, Opened, cursor_in};

const TYPES: &str = "package demo:app@0.1.0;

interface types {
    /// A point on the plane.
    /// In pixels.
    record point { x: s32, y: s32 }
    @since(version = 0.1.0)
    type alias = point;
    /// Counts.
    resource counter {
        constructor(start: u32);
        /// The current count.
        get: func() -> u32;
        merge: static func(a: borrow<counter>, b: borrow<counter>) -> counter;
    }
    variant shape { circle(f64), rect(tuple<point, point>), none }
    big: func(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64,
              j: u64, k: u64, l: u64, m: u64, n: u64, o: u64, p: u64, q: u64) -> string;
}

world app {
    /// Runs it.
    export run: func(p: point) -> result<string, u8>;
    use types.{point};
}
";

const HOVERS: &[&str] = &[
    "record po$0int",
    "type al$0ias",
    "resource cou$0nter",
    "g$0et: func",
    "mer$0ge: static",
    "constr$0uctor",
    "variant sh$0ape",
    "b$0ig: func",
    "export r$0un",
    "x$0: s32",
    "interface ty$0pes",
];

#[tokio::test]
async fn hovers_show_wit_gates_docs_and_abi() {
    let Opened {
        tree: _tree,
        uri,
        mut client,
        ..
    } = Opened::start(&[("types.wit", TYPES)], "types.wit", json!({})).await;
    let mut rendered = String::new();
    for pattern in HOVERS {
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": cursor_in(TYPES, pattern)}),
            )
            .await;
        assert_eq!(hover["contents"]["kind"], "markdown", "{pattern}");
        rendered.push_str(&format!(
            "=== {pattern}\n{}\n",
            hover["contents"]["value"].as_str().unwrap()
        ));
    }
    insta::assert_snapshot!("hovers", rendered);
    client.shutdown().await;
}

fn outline(symbols: &Value, depth: usize, out: &mut String) {
    for symbol in symbols.as_array().unwrap() {
        out.push_str(&format!(
            "{}{} (kind {}) {}:{}\n",
            "  ".repeat(depth),
            symbol["name"].as_str().unwrap(),
            symbol["kind"],
            symbol["selectionRange"]["start"]["line"],
            symbol["selectionRange"]["start"]["character"],
        ));
        outline(&symbol["children"], depth + 1, out);
    }
}

#[tokio::test]
async fn document_symbols_nest_items_and_members() {
    let Opened {
        tree: _tree,
        uri,
        mut client,
        ..
    } = Opened::start(&[("types.wit", TYPES)], "types.wit", json!({})).await;
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let mut rendered = String::new();
    outline(&symbols, 0, &mut rendered);
    insta::assert_snapshot!("document_symbols", rendered);
    client.shutdown().await;
}

#[tokio::test]
async fn workspace_symbols_search_every_package_fuzzily() {
    let tree = TestTree::new(&[
        ("app/types.wit", TYPES),
        (
            "other/o.wit",
            "package demo:other;\n\ninterface points {\n    type pt = u8;\n}\n",
        ),
    ]);
    let mut client = LspClient::in_memory();
    client.initialize(tree.path(), json!({})).await;
    let found = client
        .request("workspace/symbol", json!({"query": "pt"}))
        .await;
    let names: Vec<String> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} in {}",
                s["name"].as_str().unwrap(),
                s["containerName"].as_str().unwrap_or("-")
            )
        })
        .collect();
    // Exact match first, then subsequences (`point`, `points`), shorter first.
    assert_eq!(
        names,
        ["pt in points", "point in types", "points in demo:other"]
    );
    client.shutdown().await;
}
