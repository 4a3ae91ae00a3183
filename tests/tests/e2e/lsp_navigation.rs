//! Navigation through the real server: definition, declaration, type
//! definition, references and highlights, across files and into `deps/`.
//! One helper per request and a table of cases; each answer is rendered as
//! `file:line:col text` (1-based), the text being what the range covers.

use std::path::Path;

use serde_json::{Value, json};
use wasmlens_tests::TestTree;
use wasmlens_tests::lsp_client::{LspClient, cursor_in, file_uri, offset_of};

const TYPES: &str = "package demo:app@0.1.0;

interface types {
    /// A point.
    record point { x: s32, y: s32 }
    type alias = point;
    resource counter {
        constructor(start: u32);
        get: func() -> u32;
    }
}
";

const WORLD: &str = "interface api {
    use types.{point, alias as other};
    use demo:greet/names.{name};
    move: func(p: point, o: other) -> name;
    make: func() -> point;
}

world app {
    import api;
    export types;
}
";

const NAMES: &str = "package demo:greet;

interface names {
    type name = string;
}
";

fn tree() -> TestTree {
    TestTree::new(&[
        ("types.wit", TYPES),
        ("world.wit", WORLD),
        ("deps/greet/names.wit", NAMES),
    ])
}

/// `file:line:col text` for each location, sorted.
fn render(root: &Path, locations: &Value) -> Vec<String> {
    let list = match locations {
        Value::Null => return Vec::new(),
        Value::Array(list) => list.clone(),
        single => vec![single.clone()],
    };
    let mut rendered: Vec<String> = list
        .iter()
        .map(|location| {
            let uri = location["uri"].as_str().unwrap();
            let path = uri.strip_prefix("file://").unwrap();
            let relative = Path::new(path)
                .strip_prefix(root.canonicalize().unwrap())
                .or_else(|_| Path::new(path).strip_prefix(root))
                .unwrap();
            let text = std::fs::read_to_string(path).unwrap();
            format!(
                "{}:{}",
                relative.display(),
                render_range(&text, &location["range"])
            )
        })
        .collect();
    rendered.sort();
    rendered
}

fn render_range(text: &str, range: &Value) -> String {
    let (start, end) = (&range["start"], &range["end"]);
    format!(
        "{}:{} {}",
        start["line"].as_u64().unwrap() + 1,
        start["character"].as_u64().unwrap() + 1,
        &text[offset_of(text, start)..offset_of(text, end)]
    )
}

struct Session {
    tree: TestTree,
    client: LspClient,
}

impl Session {
    async fn start() -> Session {
        let tree = tree();
        let mut client = LspClient::in_memory();
        client.initialize(tree.path(), json!({})).await;
        client.open(&tree.path().join("world.wit"), WORLD).await;
        Session { tree, client }
    }

    async fn at(&mut self, method: &str, file: &str, pattern: &str, extra: Value) -> Vec<String> {
        let path = self.tree.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut params = json!({
            "textDocument": {"uri": file_uri(&path)},
            "position": cursor_in(&text, pattern),
        });
        if let (Some(params), Some(extra)) = (params.as_object_mut(), extra.as_object()) {
            params.extend(extra.clone());
        }
        let result = self.client.request(method, params).await;
        render(self.tree.path(), &result)
    }
}

/// (request, file, cursor pattern, expected locations)
const CASES: &[(&str, &str, &str, &[&str])] = &[
    // A type used in a function, through `use`, leads to the record.
    (
        "textDocument/definition",
        "world.wit",
        "p: poi$0nt",
        &["types.wit:5:12 point"],
    ),
    // Declaration stops at the `use` that brings the name in.
    (
        "textDocument/declaration",
        "world.wit",
        "p: poi$0nt",
        &["world.wit:2:16 point"],
    ),
    // A renamed import: `other` is declared by the `as`, defined as `alias`.
    (
        "textDocument/definition",
        "world.wit",
        "o: oth$0er",
        &["types.wit:6:10 alias"],
    ),
    (
        "textDocument/declaration",
        "world.wit",
        "o: oth$0er",
        &["world.wit:2:32 other"],
    ),
    // Into deps/: the package reference and the type.
    (
        "textDocument/definition",
        "world.wit",
        "-> na$0me;",
        &["deps/greet/names.wit:4:10 name"],
    ),
    (
        "textDocument/definition",
        "world.wit",
        "greet/na$0mes",
        &["deps/greet/names.wit:3:11 names"],
    ),
    (
        "textDocument/definition",
        "world.wit",
        "demo:gr$0eet",
        &["deps/greet/names.wit:1:9 demo:greet"],
    ),
    // Interfaces named by `use`, `import` and `export`.
    (
        "textDocument/definition",
        "world.wit",
        "use ty$0pes",
        &["types.wit:3:11 types"],
    ),
    (
        "textDocument/definition",
        "world.wit",
        "import a$0pi",
        &["world.wit:1:11 api"],
    ),
    (
        "textDocument/definition",
        "world.wit",
        "export t$0ypes",
        &["types.wit:3:11 types"],
    ),
    // On a definition's own name: itself.
    (
        "textDocument/definition",
        "types.wit",
        "record po$0int",
        &["types.wit:5:12 point"],
    ),
    // Type definition of a type alias: the type it names.
    (
        "textDocument/typeDefinition",
        "types.wit",
        "type al$0ias",
        &["types.wit:5:12 point"],
    ),
    // Nothing under the cursor: no answer.
    ("textDocument/definition", "types.wit", "x: s3$02", &[]),
    // References, with the declaration: the record, the `use` and every
    // use under the same name; `alias` is another symbol.
    (
        "textDocument/references",
        "types.wit",
        "record po$0int",
        &[
            "types.wit:5:12 point",
            "types.wit:6:18 point",
            "world.wit:2:16 point",
            "world.wit:4:19 point",
            "world.wit:5:21 point",
        ],
    ),
    (
        "textDocument/references",
        "world.wit",
        "o: oth$0er",
        &["world.wit:4:29 other"],
    ),
    (
        "textDocument/references",
        "world.wit",
        "import a$0pi",
        &["world.wit:1:11 api", "world.wit:9:12 api"],
    ),
];

#[tokio::test]
async fn navigation_requests_answer_as_the_table_says() {
    let mut session = Session::start().await;
    let mut failures = Vec::new();
    for (method, file, pattern, expected) in CASES {
        let extra = if *method == "textDocument/references" {
            json!({"context": {"includeDeclaration": *pattern != "o: oth$0er"}})
        } else {
            json!({})
        };
        let got = session.at(method, file, pattern, extra).await;
        if got != *expected {
            failures.push(format!("{method} {file} {pattern:?}: got {got:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    session.client.shutdown().await;
}

#[tokio::test]
async fn references_without_the_declaration_leave_it_out() {
    let mut session = Session::start().await;
    let got = session
        .at(
            "textDocument/references",
            "types.wit",
            "record po$0int",
            json!({"context": {"includeDeclaration": false}}),
        )
        .await;
    assert!(
        !got.contains(&"types.wit:5:12 point".to_string()),
        "{got:#?}"
    );
    assert_eq!(got.len(), 4, "{got:#?}");
}

#[tokio::test]
async fn highlights_mark_the_definition_as_write_and_uses_as_read() {
    let mut session = Session::start().await;
    let path = session.tree.path().join("world.wit");
    let result = session
        .client
        .request(
            "textDocument/documentHighlight",
            json!({
                "textDocument": {"uri": file_uri(&path)},
                "position": cursor_in(WORLD, "p: poi$0nt"),
            }),
        )
        .await;
    let kinds: Vec<(String, u64)> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                render_range(WORLD, &h["range"]),
                h["kind"].as_u64().unwrap(),
            )
        })
        .collect();
    // The record is in another file: here, the `use` name (the same word,
    // a read of `types.point`) and the two type uses, all reads (2).
    assert_eq!(
        kinds,
        [
            ("2:16 point".to_string(), 2),
            ("4:19 point".to_string(), 2),
            ("5:21 point".to_string(), 2),
        ]
    );
}

#[tokio::test]
async fn package_names_link_to_the_dependency_file() {
    let mut session = Session::start().await;
    let path = session.tree.path().join("world.wit");
    let links = session
        .client
        .request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": file_uri(&path)}}),
        )
        .await;
    let links = links.as_array().unwrap();
    assert_eq!(links.len(), 1, "{links:#?}");
    assert_eq!(render_range(WORLD, &links[0]["range"]), "3:9 demo:greet");
    assert!(
        links[0]["target"]
            .as_str()
            .unwrap()
            .ends_with("/deps/greet/names.wit"),
        "{links:#?}"
    );
}
