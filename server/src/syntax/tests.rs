//! Parser tests as data: one snapshot tree per construct, and a table of
//! broken inputs with the errors each must give.

use super::parse;

/// The tree of `text` as indented kinds with ranges, then its errors.
fn tree_of(text: &str) -> String {
    let parse = parse(text);
    let tree = parse.syntax();
    assert_eq!(
        tree.to_string(),
        text,
        "the tree must print back byte-identical"
    );
    let mut out = format!("{tree:#?}");
    for error in &parse.errors {
        out.push_str(&format!("error {:?}: {}\n", error.range, error.message));
    }
    out
}

#[test]
fn snapshot_each_construct() {
    let cases: &[(&str, &str)] = &[
        (
            "package_with_version",
            "/// Docs.\npackage wasi:io@0.2.0-rc-2023-11-10+build.1;\n",
        ),
        (
            "nested_packages",
            "package a:b { interface i {} }\npackage c:d@1.0.0 { world w { import a:b/i; } }\n",
        ),
        (
            "toplevel_use",
            "package a:b;\nuse wasi:io/streams@0.2.0 as s;\nuse local;\n",
        ),
        (
            "interface_use",
            "interface i {\n  use wasi:io/streams@0.2.0.{input-stream, output-stream as out,};\n  use local.{t};\n}\n",
        ),
        (
            "world_items",
            "world w {\n  import wasi:cli/stdout@0.2.0;\n  import local;\n  export run: func() -> result;\n  import later: async func(x: u32);\n  export inline: interface { f: func(); }\n  import label: wasi:http/handler@0.3.0;\n  import other: local;\n}\n",
        ),
        (
            "include_with",
            "world w {\n  include wasi:cli/imports@0.2.0 with { stdout as out, stderr as err };\n  include other;\n}\n",
        ),
        (
            "resource",
            "interface i {\n  resource r {\n    constructor(a: u32) -> result<r, string>;\n    get: func() -> u32;\n    make: static func() -> r;\n    later: async func();\n  }\n  resource plain;\n}\n",
        ),
        (
            "record_variant_enum_flags",
            "interface i {\n  record r { a: u32, b: string, }\n  variant v { none, some(u64) }\n  enum e { x, y, }\n  flags f { read, write }\n}\n",
        ),
        (
            "types",
            "interface i {\n  type t = tuple<u8, s16, f32>;\n  type l = list<list<char>, 4>;\n  type m = map<string, bool>;\n  type o = option<u64>;\n  type r1 = result;\n  type r2 = result<u32>;\n  type r3 = result<_, string>;\n  type r4 = result<u32, string>;\n  type h = own<res>;\n  type b = borrow<res>;\n  type fu = future;\n  type fs = future<u8>;\n  type st = stream<s64>;\n  type ec = error-context;\n  type e = tuple<>;\n}\n",
        ),
        (
            "explicit_identifiers",
            "interface %interface {\n  %record: func(%type: u32) -> %result;\n}\n",
        ),
        (
            "comments_and_docs",
            "// plain\n/* block /* nested */ */\n/// doc line\n/** doc block */\ninterface i {\n  /// on a function\n  f: func(); // trailing\n}\n",
        ),
        (
            "gates",
            "package a:b@1.0.0;\n@since(version = 1.0.0)\n@unstable(feature = fancy)\ninterface i {\n  @deprecated(version = 1.1.0)\n  f: func();\n}\nworld w {\n  @external-id(\"x\")\n  import i;\n}\n",
        ),
        ("empty", ""),
        (
            "bom_and_crlf",
            "\u{feff}interface i {\r\n  f: func();\r\n}\r\n",
        ),
    ];
    for (name, text) in cases {
        insta::assert_snapshot!(*name, tree_of(text));
    }
}

/// `text` with the errors our parser reports, as `line:col message`.
fn errors_of(text: &str) -> Vec<String> {
    let parse = parse(text);
    parse
        .errors
        .iter()
        .map(|e| {
            let before = &text[..usize::from(e.range.start())];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
            format!("{line}:{col} {}", e.message)
        })
        .collect()
}

#[test]
fn recovers_at_the_next_item() {
    let cases: &[(&str, &[&str])] = &[
        (
            "interface a {\n  f: func(x: ) -> u32;\n  g: func() -> ;\n  h: func(;\n}\n",
            &[
                "2:14 expected a type, found ')'",
                "3:16 expected a type, found ';'",
                "4:11 expected an identifier or string, found ';'",
            ],
        ),
        (
            "interface a {\n  record r {\n    a: u32\n    b: u32,\n  }\n  f: func();\n}\ninterface b { type t = ; }\nworld w { import ; }\n",
            &[
                "4:5 expected '}', found an identifier",
                "8:24 expected a type, found ';'",
                "9:18 expected an identifier or string, found ';'",
            ],
        ),
        (
            "interface a {\n  f: func()\n}\ninterface b {\n  g: func()\n}\ngarbage here;\ninterface c {}\n",
            &[
                "3:1 expected ';', found '}'",
                "6:1 expected ';', found '}'",
                "7:1 expected `world`, `interface` or `use`, found an identifier",
            ],
        ),
        (
            "interface a {\n  f: func();\n\ninterface b {}\n",
            &["4:1 expected `type`, `resource` or `func`, found keyword `interface`"],
        ),
        (
            "world w {\n  import a:b/c\n  export d;\n  include ;\n  use x.{y as};\n}\n",
            &[
                "3:3 expected ';', found keyword `export`",
                "4:11 expected an identifier or string, found ';'",
                "5:14 expected an identifier or string, found '}'",
            ],
        ),
        (
            "interface i {\n  resource r {\n    constructor(;\n    m: func() -> ;\n    bad;\n  }\n}\n",
            &[
                "3:17 expected an identifier or string, found ';'",
                "4:18 expected a type, found ';'",
                "5:8 expected ':', found ';'",
            ],
        ),
        (
            "interface Bad-id {\n  x: func() -> list<u8, big>;\n}\n@nope interface j {}\n",
            &[
                "1:11 invalid character in identifier 'a'",
                "2:25 expected fixed-length, found an identifier",
                "4:2 unknown attribute `nope`",
            ],
        ),
        (
            "interface i { f: func(); } $ interface j {} /* unterminated",
            &[
                "1:28 unexpected character '$'",
                "1:45 unterminated block comment",
            ],
        ),
        (
            "package a:b@1.0;\ninterface i {}\n",
            &["1:16 expected '.', found ';'"],
        ),
    ];
    for (text, expected) in cases {
        let errors = errors_of(text);
        assert_eq!(errors, *expected, "for:\n{text}");
        assert_eq!(
            errors.first(),
            wit_parser_error(text).as_ref(),
            "the first error must be wit-parser's, for:\n{text}"
        );
    }
}

/// wit-parser's own (first) error for `text` as one file, as `line:col message`.
fn wit_parser_error(text: &str) -> Option<String> {
    let mut map = wit_parser::SourceMap::new();
    map.push_str("test.wit", text);
    let (map, error) = map.parse().err()?;
    let location = map.resolve_span(error.kind().span())?;
    let before = &text[..location.range.start];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    Some(format!("{line}:{col} {}", error.kind()))
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = format!(
        "interface i {{ type t = {}u8{}; }}",
        "list<".repeat(5000),
        ">".repeat(5000)
    );
    let errors = errors_of(&text);
    assert_eq!(
        errors.first().map(String::as_str),
        Some("1:524 type nesting too deep")
    );
    let packages = "package a:b { ".repeat(300);
    let errors = errors_of(&packages);
    assert!(
        errors
            .iter()
            .any(|e| e.ends_with("package nesting too deep")),
        "{errors:?}"
    );
}
