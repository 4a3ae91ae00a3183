//! Completion through the real server: a table of cursors (`$0`) in a
//! fixture that is half-typed on purpose, with the labels offered.

use serde_json::{Value, json};
use wasmlens_tests::lsp_client::{Opened, apply_text_edits, cursor};

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

world greeter {
    export names;
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
    // A package path as it is typed: after `ns:` whole paths, after `/`
    // the package's interfaces, after `@` its versions.
    (
        "interface api {\n    use demo:$0\n}\n",
        &["demo:greet/names@1.0.0", "demo:app/types@0.1.0"],
        &["func", "u32"],
    ),
    (
        "interface api {\n    use demo:greet/$0\n}\n",
        &["names@1.0.0"],
        &["types@0.1.0", "greeter@1.0.0"],
    ),
    (
        "interface api {\n    use demo:greet/na$0\n}\n",
        &["names@1.0.0"],
        &["types@0.1.0"],
    ),
    (
        "interface api {\n    use demo:greet/names@$0\n}\n",
        &["1.0.0"],
        &["0.1.0"],
    ),
    // After `include`: worlds, not interfaces.
    (
        "world w {\n    include demo:greet/$0\n}\n",
        &["greeter@1.0.0"],
        &["names@1.0.0"],
    ),
    // `import x:` may start a package path or a function.
    (
        "world w {\n    import demo:$0\n}\n",
        &["demo:greet/names@1.0.0", "func"],
        &["demo:greet/greeter@1.0.0"],
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

/// The completion items at the `$0` of `fixture` (the text of `api.wit`),
/// and that text without the marker.
async fn complete(fixture: &str) -> (String, Vec<Value>) {
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
    let items = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": position}),
        )
        .await;
    client.shutdown().await;
    (text, items.as_array().cloned().unwrap_or_default())
}

#[tokio::test]
async fn completion_offers_what_is_valid_at_the_cursor() {
    let mut failures = Vec::new();
    for (fixture, wanted, unwanted) in CASES {
        let (_, items) = complete(fixture).await;
        let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
        let missing: Vec<_> = wanted.iter().filter(|w| !labels.contains(w)).collect();
        let extra: Vec<_> = unwanted.iter().filter(|u| labels.contains(u)).collect();
        if !missing.is_empty() || !extra.is_empty() || (wanted.is_empty() && !labels.is_empty()) {
            failures.push(format!(
                "{fixture:?}: missing {missing:?}, unexpected {extra:?}, got {labels:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (text of `api.wit` with `$0`, label chosen, the line of the cursor
/// after the client applies the item's edit)
const EDITS: &[(&str, &str, &str)] = &[
    // The typed part of a word is replaced, not appended to.
    (
        "interface api {\n    use types.{point};\n    f: func() -> po$0\n}\n",
        "point",
        "    f: func() -> point",
    ),
    // Keywords used as names are `%`-escaped.
    (
        "interface api {\n    use types.{rec$0};\n}\n",
        "record",
        "    use types.{%record};",
    ),
    // Package paths replace everything typed since `use`, whatever the
    // client takes a word to be.
    (
        "interface api {\n    use demo:gr$0\n}\n",
        "demo:greet/names@1.0.0",
        "    use demo:greet/names@1.0.0",
    ),
    (
        "interface api {\n    use demo:greet/n$0\n}\n",
        "names@1.0.0",
        "    use demo:greet/names@1.0.0",
    ),
    (
        "interface api {\n    use demo:greet/names@$0\n}\n",
        "1.0.0",
        "    use demo:greet/names@1.0.0",
    ),
    (
        "world w {\n    include demo:greet/$0\n}\n",
        "greeter@1.0.0",
        "    include demo:greet/greeter@1.0.0",
    ),
    // Snippets insert their skeleton.
    (
        "interface api {\n    rec$0\n}\n",
        "record …",
        "    record ${1:name} {",
    ),
];

#[tokio::test]
async fn completion_edits_replace_what_was_typed() {
    let mut failures = Vec::new();
    for (fixture, label, expected_line) in EDITS {
        let (text, items) = complete(fixture).await;
        let Some(item) = items.iter().find(|i| i["label"] == *label) else {
            failures.push(format!("{fixture:?}: no {label:?} offered"));
            continue;
        };
        let after = apply_text_edits(&text, &[&item["textEdit"]]);
        let line = fixture.lines().position(|l| l.contains("$0")).unwrap();
        let got = after.lines().nth(line).unwrap_or_default();
        // The client matches what was typed against the filter text.
        let typed = fixture
            .lines()
            .nth(line)
            .unwrap()
            .split("$0")
            .next()
            .unwrap();
        let filter = item["filterText"]
            .as_str()
            .or(item["label"].as_str())
            .unwrap();
        let range_start = item["textEdit"]["range"]["start"]["character"]
            .as_u64()
            .unwrap() as usize;
        if got != *expected_line || !filter.starts_with(&typed[range_start..]) {
            failures.push(format!(
                "{fixture:?} + {label:?}: got line {got:?}, filter {filter:?} for typed {:?}",
                &typed[range_start..]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Whole completion lists, as the client receives them.
#[tokio::test]
async fn completion_lists_snapshot() {
    let cases = [
        (
            "type_position",
            "interface api {\n    use types.{point};\n    f: func(p: $0\n}\n",
        ),
        ("interface_item", "interface api {\n    $0\n}\n"),
        ("use_path", "interface api {\n    use $0\n}\n"),
        (
            "use_names",
            "interface api {\n    use demo:greet/names@1.0.0.{$0};\n}\n",
        ),
    ];
    for (name, fixture) in cases {
        let (_, items) = complete(fixture).await;
        insta::assert_json_snapshot!(format!("completion_{name}"), items);
    }
}
