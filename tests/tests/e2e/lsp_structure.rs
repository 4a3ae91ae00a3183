//! Folding and selection ranges through the real server.

use serde_json::json;
use wasmlens_tests::TestTree;
use wasmlens_tests::lsp_client::{LspClient, Opened, file_uri};

const TEXT: &str = "package a:b;

/// Shapes.
/// All of them.
interface shapes {
    record point {
        x: s32,
        y: s32,
    }
    f: func(p: point);
}
";

#[tokio::test]
async fn folding_ranges_cover_bodies_and_doc_comments() {
    let Opened {
        tree: _tree,
        uri,
        mut client,
        ..
    } = Opened::start(&[("a.wit", TEXT)], "a.wit", json!({})).await;
    let folds = client
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let got: Vec<String> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}-{} {}",
                f["startLine"],
                f["endLine"],
                f["kind"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(got, ["2-3 comment", "4-10 region", "5-8 region"]);
    client.shutdown().await;
}

#[tokio::test]
async fn selection_ranges_grow_outwards() {
    let tree = TestTree::new(&[("a.wit", TEXT)]);
    let path = tree.path().join("a.wit");
    let mut client = LspClient::in_memory();
    client.initialize(tree.path(), json!({})).await;
    let ranges = client
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": file_uri(&path)}, "positions": [{"line": 6, "character": 8}]}),
        )
        .await;
    let mut lines = Vec::new();
    let mut current = &ranges[0];
    while !current.is_null() {
        let range = &current["range"];
        lines.push(format!(
            "{}:{}-{}:{}",
            range["start"]["line"],
            range["start"]["character"],
            range["end"]["line"],
            range["end"]["character"]
        ));
        current = &current["parent"];
    }
    // `x`, the field `x: s32`, the record, the interface, the file.
    assert_eq!(
        lines,
        ["6:8-6:9", "6:8-6:14", "5:4-8:5", "4:0-10:1", "0:0-11:0"]
    );
    client.shutdown().await;
}
