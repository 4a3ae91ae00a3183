//! Semantic tokens through the real server, decoded back to text and
//! snapshotted: what each word is, and its modifiers.

use serde_json::{Value, json};
use wasmlens_tests::lsp_client::{Opened, file_uri};

const TEXT: &str = "package demo:app@0.1.0;

/// Types.
interface types {
    record point { x: s32 }
    @deprecated(version = 0.1.0)
    type old = u8;
    resource types-holder;
}

interface api {
    use types.{point, old};
    /* a block
       comment */
    move: func(p: point, o: old) -> list<point>;
}
";

/// `line:col text type [modifiers]` for each token, decoding LSP's
/// relative encoding with the legend from `initialize`.
fn decode(text: &str, legend: &Value, data: &Value) -> Vec<String> {
    let types = legend["tokenTypes"].as_array().unwrap();
    let modifiers = legend["tokenModifiers"].as_array().unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    let numbers: Vec<u64> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut start) = (0u64, 0u64);
    numbers
        .chunks(5)
        .map(|t| {
            if t[0] > 0 {
                start = 0;
            }
            line += t[0];
            start += t[1];
            let units: Vec<u16> = lines[line as usize].encode_utf16().collect();
            let word = String::from_utf16(&units[start as usize..(start + t[2]) as usize]).unwrap();
            let mods: Vec<&str> = (0..modifiers.len())
                .filter(|i| t[4] & (1 << i) != 0)
                .map(|i| modifiers[i].as_str().unwrap())
                .collect();
            format!(
                "{}:{} {word} {} {mods:?}",
                line + 1,
                start + 1,
                types[t[3] as usize].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn semantic_tokens_classify_every_word() {
    let Opened {
        tree: _tree,
        path,
        mut client,
        init,
        ..
    } = Opened::start(&[("a.wit", TEXT)], "a.wit", json!({})).await;
    let legend = init["capabilities"]["semanticTokensProvider"]["legend"].clone();
    let full = client
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": file_uri(&path)}}),
        )
        .await;
    let decoded = decode(TEXT, &legend, &full["data"]);
    insta::assert_snapshot!("semantic_tokens", decoded.join("\n"));

    // A range gives the same tokens, limited to it (line 15 only here).
    let ranged = client
        .request(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": file_uri(&path)},
                   "range": {"start": {"line": 14, "character": 0}, "end": {"line": 15, "character": 0}}}),
        )
        .await;
    let expected: Vec<String> = decoded
        .iter()
        .filter(|t| t.starts_with("15:"))
        .cloned()
        .collect();
    assert_eq!(decode(TEXT, &legend, &ranged["data"]), expected);
    client.shutdown().await;
}
