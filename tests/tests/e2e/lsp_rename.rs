//! Rename through the real server: on a fixture (a table of renames and of
//! refusals) and on the real WASI 0.2 and 0.3 trees, where every use of the
//! renamed type changes and nothing else does.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};
use wasmlens::syntax::SyntaxKind;
use wasmlens::syntax::lexer::tokenize;
use wasmlens_tests::lsp_client::{LspClient, apply_text_edits, cursor_in, file_uri};
use wasmlens_tests::{TestTree, wasi_p2_dir, wasi_p3_dir};

const TYPES: &str = "package demo:app@0.1.0;

interface types {
    /// A point; `point` in docs stays.
    record point { x: s32, y: s32 }
    type alias = point;
    resource counter {
        get: func() -> u32;
    }
}
";

const WORLD: &str = "interface api {
    use types.{point, alias as other};
    use demo:greet/names.{name};
    move: func(p: point, o: other) -> name;
}
";

const NAMES: &str = "package demo:greet;

interface names {
    type name = string;
}
";

/// Applies a `WorkspaceEdit`'s `changes` to the files on disk (in memory):
/// the new text of each file it touches, by path.
fn apply(edit: &Value) -> BTreeMap<String, String> {
    let mut result = BTreeMap::new();
    for (uri, edits) in edit["changes"].as_object().unwrap() {
        let path = uri.strip_prefix("file://").unwrap().replace("%3A", ":");
        let text = std::fs::read_to_string(&path).unwrap();
        let edits: Vec<&Value> = edits.as_array().unwrap().iter().collect();
        result.insert(path, apply_text_edits(&text, &edits));
    }
    result
}

async fn rename(
    client: &mut LspClient,
    path: &Path,
    text: &str,
    pattern: &str,
    new_name: &str,
) -> Value {
    client
        .request_raw(
            "textDocument/rename",
            json!({
                "textDocument": {"uri": file_uri(path)},
                "position": cursor_in(text, pattern),
                "newName": new_name,
            }),
        )
        .await
}

/// (file, cursor, new name, expected: the changed lines of each file, or
/// the start of the refusal)
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "types.wit",
        "record po$0int",
        "pos",
        "types.wit:    record pos { x: s32, y: s32 }\ntypes.wit:    type alias = pos;\nworld.wit:    use types.{pos, alias as other};\nworld.wit:    move: func(p: pos, o: other) -> name;",
    ),
    // From a use site, the same symbol.
    (
        "world.wit",
        "p: poi$0nt",
        "pos",
        "types.wit:    record pos { x: s32, y: s32 }\ntypes.wit:    type alias = pos;\nworld.wit:    use types.{pos, alias as other};\nworld.wit:    move: func(p: pos, o: other) -> name;",
    ),
    // A name given by `as` is its own symbol.
    (
        "world.wit",
        "o: oth$0er",
        "thing",
        "world.wit:    use types.{point, alias as thing};\nworld.wit:    move: func(p: point, o: thing) -> name;",
    ),
    // A keyword becomes an escaped identifier.
    (
        "types.wit",
        "g$0et: func",
        "record",
        "types.wit:        %record: func() -> u32;",
    ),
    (
        "types.wit",
        "record po$0int",
        "Bad_Name",
        "error: `Bad_Name` is not a WIT identifier",
    ),
    (
        "types.wit",
        "record po$0int",
        "counter",
        "error: `counter` is already defined in `types`",
    ),
    (
        "world.wit",
        "-> na$0me",
        "title",
        "error: `name` is defined in a dependency",
    ),
    (
        "types.wit",
        "package de$0mo",
        "x",
        "error: packages are renamed",
    ),
    (
        "types.wit",
        "/// A po$0int",
        "x",
        "error: there is no name to rename here",
    ),
];

#[tokio::test]
async fn a_rename_that_would_break_a_dependency_is_refused() {
    // wasi:filesystem (a dependency here) uses wasi:clocks' `datetime`.
    let tree = wasi_root(&wasi_p2_dir(), "clocks.wit", None);
    let path = tree.path().join("clocks.wit");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut client = LspClient::in_memory();
    client.initialize(tree.path(), json!({})).await;
    let response = rename(&mut client, &path, &text, "record date$0time", "moment").await;
    let message = response["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("filesystem.wit"), "{response}");
    client.shutdown().await;
}

fn changed_lines(
    before: &BTreeMap<&str, &str>,
    after: &BTreeMap<String, String>,
    root: &Path,
) -> String {
    let mut lines = Vec::new();
    for (path, text) in after {
        let name = Path::new(path)
            .strip_prefix(root)
            .unwrap()
            .display()
            .to_string();
        let old = before[name.as_str()];
        for (new_line, old_line) in text.lines().zip(old.lines()) {
            if new_line != old_line {
                lines.push(format!("{name}:{new_line}"));
            }
        }
    }
    lines.join("\n")
}

#[tokio::test]
async fn renames_change_every_occurrence_or_say_why_not() {
    let tree = TestTree::new(&[
        ("types.wit", TYPES),
        ("world.wit", WORLD),
        ("deps/greet/names.wit", NAMES),
    ]);
    let root = std::path::absolute(tree.path()).unwrap();
    let before: BTreeMap<&str, &str> = [("types.wit", TYPES), ("world.wit", WORLD)].into();
    let mut client = LspClient::in_memory();
    client.initialize(tree.path(), json!({})).await;
    let mut failures = Vec::new();
    for (file, pattern, new_name, expected) in CASES {
        let path = tree.path().join(file);
        let text = before[file];
        let response = rename(&mut client, &path, text, pattern, new_name).await;
        let got = match response.get("error") {
            Some(error) => format!("error: {}", error["message"].as_str().unwrap()),
            None => changed_lines(&before, &apply(&response["result"]), &root),
        };
        let matches = if expected.starts_with("error: ") {
            got.starts_with(expected)
        } else {
            got == *expected
        };
        if !matches {
            failures.push(format!("{file} {pattern:?} -> {new_name}:\n{got}\n"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    client.shutdown().await;
}

#[tokio::test]
async fn prepare_rename_gives_the_range_and_the_current_name() {
    let tree = TestTree::new(&[
        ("types.wit", TYPES),
        ("world.wit", WORLD),
        ("deps/greet/names.wit", NAMES),
    ]);
    let path = tree.path().join("world.wit");
    let mut client = LspClient::in_memory();
    client.initialize(tree.path(), json!({})).await;
    let prepared = client
        .request(
            "textDocument/prepareRename",
            json!({"textDocument": {"uri": file_uri(&path)}, "position": cursor_in(WORLD, "p: poi$0nt")}),
        )
        .await;
    assert_eq!(prepared["placeholder"], "point");
    assert_eq!(
        prepared["range"]["start"],
        json!({"line": 3, "character": 18})
    );
    let refused = client
        .request_raw(
            "textDocument/prepareRename",
            json!({"textDocument": {"uri": file_uri(&path)}, "position": cursor_in(WORLD, "-> na$0me")}),
        )
        .await;
    let message = refused["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("read-only"), "{refused}");
    client.shutdown().await;
}

/// Every identifier token `name` replaced by `new_name`: what a correct
/// rename of a name used for one symbol only must produce.
fn replace_identifier(text: &str, name: &str, new_name: &str) -> String {
    let (tokens, _) = tokenize(text);
    let mut out = String::new();
    let mut offset = 0;
    for token in tokens {
        let piece = &text[offset..offset + token.len as usize];
        if token.kind == SyntaxKind::IDENT && piece == name {
            out.push_str(new_name);
        } else {
            out.push_str(piece);
        }
        offset += token.len as usize;
    }
    out
}

/// A WASI package as a root of its own, with the packages it needs in
/// deps/ (`deps`: their file names, or all with `None`).
fn wasi_root(wasi: &Path, main: &str, deps_wanted: Option<&[&str]>) -> TestTree {
    let deps = wasi.join("deps");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&deps).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        if name == main {
            files.push((name, text));
        } else if deps_wanted.is_none_or(|wanted| wanted.contains(&name.as_str())) {
            files.push((format!("deps/{name}"), text));
        }
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    TestTree::new(&borrowed)
}

#[tokio::test]
async fn renaming_a_wasi_type_changes_every_use_and_nothing_else() {
    // (tree, package file, the deps it needs, type, its definition, new name)
    let cases: [(_, _, Option<&[&str]>, _, _, _); 2] = [
        (
            wasi_p2_dir(),
            "clocks.wit",
            Some(&["io.wit"]),
            "datetime",
            "record datetime",
            "moment",
        ),
        (
            wasi_p3_dir(),
            "cli.wit",
            None,
            "error-code",
            "enum error-code",
            "failure",
        ),
    ];
    for (wasi, main, deps, name, definition, new_name) in cases {
        let tree = wasi_root(&wasi, main, deps);
        let path = tree.path().join(main);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut client = LspClient::in_memory();
        client.initialize(tree.path(), json!({})).await;
        let pattern = definition.replacen(name, &format!("{}$0{}", &name[..1], &name[1..]), 1);
        let response = rename(&mut client, &path, &text, &pattern, new_name).await;
        let edited = apply(&response["result"]);
        let main_path = std::path::absolute(&path).unwrap().display().to_string();
        assert_eq!(
            edited.keys().collect::<Vec<_>>(),
            [&main_path],
            "only {main} changes"
        );
        let expected = replace_identifier(&text, name, new_name);
        assert_ne!(expected, text);
        assert!(
            edited[&main_path] == expected,
            "{main}: the rename differs from replacing every identifier `{name}`"
        );
        // And the references agree: as many as identifiers, declaration included.
        let references = client
            .request(
                "textDocument/references",
                json!({
                    "textDocument": {"uri": file_uri(&path)},
                    "position": cursor_in(&text, &pattern),
                    "context": {"includeDeclaration": true},
                }),
            )
            .await;
        let identifiers = tokenize(&text)
            .0
            .iter()
            .scan(0usize, |offset, t| {
                let piece = &text[*offset..*offset + t.len as usize];
                *offset += t.len as usize;
                Some(t.kind == SyntaxKind::IDENT && piece == name)
            })
            .filter(|&hit| hit)
            .count();
        assert_eq!(references.as_array().unwrap().len(), identifiers, "{main}");
        client.shutdown().await;
    }
}
