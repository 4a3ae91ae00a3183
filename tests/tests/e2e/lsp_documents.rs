//! Documents and diagnostics through the real server: incremental edits in
//! both position encodings, pushed diagnostics tagged with versions and
//! never stale, refreshes across the files of a package, clearing on close,
//! pulled diagnostics, files changed on disk, and the binary over stdio.

use serde_json::{Value, json};
use wasmlens_tests::lsp_client::{LspClient, Opened, file_uri};
use wasmlens_tests::{TestTree, wasmlens_bin};

/// Client capabilities offering UTF-8 positions (as Neovim does).
fn utf8_client() -> Value {
    json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}})
}

fn messages(diagnostics: &Value) -> Vec<String> {
    diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}-{}:{} {}",
                d["range"]["start"]["line"],
                d["range"]["start"]["character"],
                d["range"]["end"]["line"],
                d["range"]["end"]["character"],
                d["message"].as_str().unwrap().lines().next().unwrap()
            )
        })
        .collect()
}

fn change(uri: &str, version: i32, range: Value, text: &str) -> Value {
    json!({
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": range, "text": text}],
    })
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": {"line": start.0, "character": start.1},
           "end": {"line": end.0, "character": end.1}})
}

#[tokio::test]
async fn edits_push_versioned_diagnostics_and_fixes_clear_them() {
    let text = "package a:b;\n\ninterface i {\n    f: func() -> u32;\n}\n";
    let Opened {
        tree: _tree,
        uri,
        mut client,
        ..
    } = Opened::start(&[("a.wit", text)], "a.wit", json!({})).await;
    let opened = client.diagnostics(&uri).await;
    assert_eq!(opened["version"], 1);
    assert_eq!(messages(&opened), Vec::<String>::new());

    // `u32` → `nope`: wit-parser's verdict, at its position.
    client
        .notify(
            "textDocument/didChange",
            change(&uri, 2, range((3, 17), (3, 20)), "nope"),
        )
        .await;
    let broken = client.diagnostics(&uri).await;
    assert_eq!(broken["version"], 2);
    assert_eq!(messages(&broken), ["3:17-3:21 name `nope` does not exist"]);

    client
        .notify(
            "textDocument/didChange",
            change(&uri, 3, range((3, 17), (3, 21)), "u64"),
        )
        .await;
    let fixed = client.diagnostics(&uri).await;
    assert_eq!(fixed["version"], 3);
    assert!(messages(&fixed).is_empty(), "{fixed}");
    client.shutdown().await;
}

#[tokio::test]
async fn a_burst_of_edits_publishes_only_for_the_last_version() {
    let text = "package a:b;\n\ninterface i {\n    type t = u8;\n}\n";
    let Opened {
        tree: _tree,
        uri,
        mut client,
        ..
    } = Opened::start(&[("a.wit", text)], "a.wit", json!({})).await;
    client.diagnostics(&uri).await;
    // Ten edits sent at once: each types one more character of `u8` →
    // `u8xxxxxxxxxx` (unknown until the last edit makes it `u8` again).
    for version in 2..=11 {
        client
            .notify(
                "textDocument/didChange",
                change(&uri, version, range((3, 15), (3, 15)), "x"),
            )
            .await;
    }
    client
        .notify(
            "textDocument/didChange",
            change(&uri, 12, range((3, 15), (3, 25)), ""),
        )
        .await;
    // Whatever was published in between, every publication carries a
    // version and the last one is for version 12, clean.
    loop {
        let published = client.diagnostics(&uri).await;
        let version = published["version"].as_i64().expect("a version");
        assert!((2..=12).contains(&version), "{published}");
        if version == 12 {
            assert!(messages(&published).is_empty(), "{published}");
            break;
        }
    }
    // Nothing older may follow: results of superseded versions are dropped.
    // One more edit is the event to wait for: every publication up to its
    // own (version 13) is for version 12 or 13.
    client
        .notify(
            "textDocument/didChange",
            change(&uri, 13, range((0, 0), (0, 0)), "// thirteen\n"),
        )
        .await;
    let mut later = Vec::new();
    loop {
        let published = client.diagnostics(&uri).await;
        let version = published["version"].clone();
        later.push(published);
        if version == 13 {
            break;
        }
    }
    let stale: Vec<&Value> = later
        .iter()
        .filter(|p| p["version"] != 12 && p["version"] != 13)
        .collect();
    assert!(stale.is_empty(), "{stale:#?}");
    client.shutdown().await;
}

#[tokio::test]
async fn an_edit_refreshes_every_file_of_the_package() {
    let a = "package a:b;\n\ninterface types {\n    type id = u32;\n}\n";
    let b = "interface api {\n    use types.{id};\n    get: func() -> id;\n}\n";
    let tree = TestTree::new(&[("a.wit", a), ("b.wit", b)]);
    let (a_path, b_path) = (tree.path().join("a.wit"), tree.path().join("b.wit"));
    let (a_uri, b_uri) = (file_uri(&a_path), file_uri(&b_path));
    let mut client = LspClient::in_memory();
    client.initialize(tree.path(), json!({})).await;
    client.open(&a_path, a).await;
    client.open(&b_path, b).await;
    client.diagnostics(&b_uri).await;
    // Renaming `id` in a.wit breaks b.wit, which is not edited.
    client
        .notify(
            "textDocument/didChange",
            change(&a_uri, 2, range((3, 9), (3, 11)), "key"),
        )
        .await;
    let b_now = loop {
        let published = client.diagnostics(&b_uri).await;
        if !messages(&published).is_empty() {
            break published;
        }
    };
    assert_eq!(b_now["version"], 1, "b.wit was not edited: its own version");
    assert_eq!(messages(&b_now), ["1:15-1:17 name `id` does not exist"]);
    client.shutdown().await;
}

#[tokio::test]
async fn closing_an_unsaved_buffer_goes_back_to_the_disk() {
    let text = "package a:b;\n\ninterface i {\n    type t = u8;\n}\n";
    let tree = TestTree::new(&[("a.wit", text)]);
    let path = tree.path().join("a.wit");
    let uri = file_uri(&path);
    let mut client = LspClient::in_memory();
    client.initialize(tree.path(), json!({})).await;
    client
        .open(
            &path,
            "package a:b;\n\ninterface i {\n    type t = nope;\n}\n",
        )
        .await;
    assert_eq!(messages(&client.diagnostics(&uri).await).len(), 1);
    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let closed = client.diagnostics(&uri).await;
    assert!(messages(&closed).is_empty(), "{closed}");
    assert_eq!(closed["version"], Value::Null, "no open buffer, no version");
    client.shutdown().await;
}

#[tokio::test]
async fn files_changed_on_disk_are_picked_up() {
    let world = "package a:b;\n\nworld w {\n    import demo:dep/api;\n}\n";
    let Opened {
        tree,
        uri,
        mut client,
        ..
    } = Opened::start(&[("w.wit", world)], "w.wit", json!({})).await;
    let missing = client.diagnostics(&uri).await;
    assert!(
        messages(&missing)[0].contains("package 'demo:dep' not found"),
        "{missing}"
    );
    // A package manager writes the dependency; the editor reports it.
    let dep = tree.path().join("deps/dep.wit");
    std::fs::create_dir_all(dep.parent().unwrap()).unwrap();
    std::fs::write(&dep, "package demo:dep;\n\ninterface api {}\n").unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&dep), "type": 1}]}),
        )
        .await;
    let resolved = client.diagnostics(&uri).await;
    assert!(messages(&resolved).is_empty(), "{resolved}");
    client.shutdown().await;
}

#[tokio::test]
async fn utf8_and_utf16_clients_get_positions_in_their_encoding() {
    // `é` is 2 bytes and 1 UTF-16 unit; `𝄞` is 4 bytes and 2 units.
    let text = "package a:b;\n\n/// é𝄞\ninterface i {\n    /* é𝄞 */ type t = nope;\n}\n";
    for (capabilities, encoding, start) in [(json!({}), "utf-16", 23), (utf8_client(), "utf-8", 26)]
    {
        let tree = TestTree::new(&[("a.wit", text)]);
        let path = tree.path().join("a.wit");
        let uri = file_uri(&path);
        let mut client = LspClient::in_memory();
        let init = client.initialize(tree.path(), capabilities).await;
        assert_eq!(init["capabilities"]["positionEncoding"], encoding);
        client.open(&path, text).await;
        let published = client.diagnostics(&uri).await;
        assert_eq!(
            messages(&published),
            [format!(
                "4:{start}-4:{} type `nope` does not exist",
                start + 4
            )],
            "{encoding}"
        );
        // An edit addressed in the same encoding lands where it should:
        // replace `nope` with `u8`.
        client
            .notify(
                "textDocument/didChange",
                change(&uri, 2, range((4, start), (4, start + 4)), "u8"),
            )
            .await;
        let fixed = client.diagnostics(&uri).await;
        assert!(messages(&fixed).is_empty(), "{encoding}: {fixed}");
        client.shutdown().await;
    }
}

#[tokio::test]
async fn clients_that_pull_get_diagnostics_by_request() {
    let text = "package a:b;\n\ninterface i {\n    type t = nope;\n}\n";
    let tree = TestTree::new(&[("a.wit", text)]);
    let path = tree.path().join("a.wit");
    let uri = file_uri(&path);
    let mut client = LspClient::in_memory();
    let init = client
        .initialize(tree.path(), json!({"textDocument": {"diagnostic": {}}}))
        .await;
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    client.open(&path, text).await;
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["items"][0]["code"], "unknown-name");
    client.shutdown().await;
}

#[tokio::test]
async fn the_binary_serves_over_stdio() {
    let text = "package a:b;\n\ninterface i {\n    type t = nope;\n}\n";
    let tree = TestTree::new(&[("a.wit", text)]);
    let path = tree.path().join("a.wit");
    let uri = file_uri(&path);
    let mut client = LspClient::spawn_binary(wasmlens_bin());
    let init = client.initialize(tree.path(), json!({})).await;
    assert_eq!(init["serverInfo"]["name"], "wasmlens");
    client.open(&path, text).await;
    let published = client.diagnostics(&uri).await;
    assert_eq!(
        messages(&published),
        ["3:13-3:17 type `nope` does not exist"]
    );
    let definition = client
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 10}}),
        )
        .await;
    assert_eq!(
        definition["range"]["start"],
        json!({"line": 3, "character": 9})
    );
    client.shutdown().await;
}

#[tokio::test]
async fn a_megabyte_file_and_random_bytes_do_not_stall_the_server() {
    let mut big = String::from("package big:one;\n\ninterface i {\n");
    let mut n = 0;
    while big.len() < 1 << 20 {
        big.push_str(&format!(
            "    record r{n} {{ a: u32, b: list<string>, c: option<r{n}x> }}\n"
        ));
        n += 1;
    }
    big.push_str("}\n");
    // Deterministic noise: every byte value that is valid text, shuffled.
    let mut state = 0x2545_f491_u32;
    let noise: String = (0..50_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            char::from_u32(state % 0x3000).unwrap_or('?')
        })
        .collect();
    for (name, text) in [("big.wit", big.as_str()), ("noise.wit", noise.as_str())] {
        let Opened {
            tree: _tree,
            uri,
            mut client,
            ..
        } = Opened::start(&[(name, text)], name, json!({})).await;
        let published = client.diagnostics(&uri).await;
        assert!(
            !messages(&published).is_empty(),
            "{name}: errors are expected"
        );
        // Every request still answers (within the client's timeout).
        for method in [
            "textDocument/semanticTokens/full",
            "textDocument/documentSymbol",
            "textDocument/foldingRange",
        ] {
            client
                .request(method, json!({"textDocument": {"uri": uri}}))
                .await;
        }
        client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 12}}),
            )
            .await;
        client.shutdown().await;
    }
}
