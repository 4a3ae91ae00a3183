//! The formatter: a table of inputs and their formatted text, a snapshot of
//! a file full of comments, and on every real WIT file: formatting is
//! idempotent, and on the WASI trees wit-parser reads the same packages
//! (docs included) before and after.

use std::path::Path;

use wasmlens::syntax::format::{FormatError, format, format_edits};
use wasmlens_tests::{all_real_wit_files, wasi_p2_dir, wasi_p3_dir, wit_files_under};

/// (input, formatted)
const CASES: &[(&str, &str)] = &[
    // Indentation, one item per line, spaces normalised.
    (
        "package a:b;\ninterface i{f:func( x :u32,y: string )->list< u8 >;g : func ( ) ;}",
        "package a:b;\n\ninterface i {\n  f: func(x: u32, y: string) -> list<u8>;\n  g: func();\n}\n",
    ),
    // Fields and cases one per line, with the trailing comma added.
    (
        "interface i { record r { a: u32, b: s8 } enum e { x, y, } flags f { p }\n  variant v { c(u32), d } }\n",
        "interface i {\n  record r {\n    a: u32,\n    b: s8,\n  }\n  enum e {\n    x,\n    y,\n  }\n  flags f {\n    p,\n  }\n  variant v {\n    c(u32),\n    d,\n  }\n}\n",
    ),
    // Empty bodies stay on one line.
    (
        "interface i {}\nworld w {\n\n}\n",
        "interface i {}\n\nworld w {}\n",
    ),
    // Paths and versions take no spaces; one-line lists lose their trailing comma.
    (
        "interface i {\n use wasi : io / streams @ 0.2.0 . { a , b as c , } ;\n}\n",
        "interface i {\n  use wasi:io/streams@0.2.0.{a, b as c};\n}\n",
    ),
    // Worlds: imports, exports, inline interfaces, include with.
    (
        "world w { import wasi:cli/run@0.2.0; export x: interface { f: func(); } include other with { a as b, c as d } import f: async func() -> result<_, string>; }",
        "world w {\n  import wasi:cli/run@0.2.0;\n  export x: interface {\n    f: func();\n  }\n  include other with { a as b, c as d }\n  import f: async func() -> result<_, string>;\n}\n",
    ),
    // Resources: constructor, methods, static functions.
    (
        "interface i { resource r { constructor(a: u32); m: func() -> own<r>; s: static func(b: borrow<r>); } resource q; }",
        "interface i {\n  resource r {\n    constructor(a: u32);\n    m: func() -> own<r>;\n    s: static func(b: borrow<r>);\n  }\n  resource q;\n}\n",
    ),
    // Gates and docs each on their own line, at the item's indentation.
    (
        "interface i {\n/// Docs.\n   @since(version = 0.2.0) @deprecated( version=0.3.0 )\n        f: func();\n}\n",
        "interface i {\n  /// Docs.\n  @since(version = 0.2.0)\n  @deprecated(version = 0.3.0)\n  f: func();\n}\n",
    ),
    // The author's blank lines between items stay (at most one); none after
    // `{` or before `}`; top-level items always get one.
    (
        "package a:b;\ninterface i {\n\n  type a = u8;\n\n\n\n  type b = u8;\n  type c = u8;\n\n}\ninterface j {}\n",
        "package a:b;\n\ninterface i {\n  type a = u8;\n\n  type b = u8;\n  type c = u8;\n}\n\ninterface j {}\n",
    ),
    // Comments stay where they are: own line, end of line, inside a list.
    (
        "// head\ninterface i { // after brace\n  record r {\n    a: u32, // first\n    // own line\n    b: u32 // last, comma goes before me\n  }\n  f: func(/* inline */ a: u32);\n  // before the brace\n}\n// tail\n",
        "// head\ninterface i { // after brace\n  record r {\n    a: u32, // first\n    // own line\n    b: u32, // last, comma goes before me\n  }\n  f: func(/* inline */ a: u32);\n  // before the brace\n}\n\n// tail\n",
    ),
    // A line comment inside a one-line construct breaks the line there,
    // and the bracket closes on its own line.
    (
        "interface i {\n  f: func(a: u32, // the a\n b: u32);\n}\n",
        "interface i {\n  f: func(a: u32, // the a\n    b: u32\n  );\n}\n",
    ),
    // Trailing whitespace goes, tabs become spaces, CRLF and a BOM stay.
    (
        "\u{feff}interface i {\r\n\tf: func(); // x   \r\n}\r\n",
        "\u{feff}interface i {\r\n  f: func(); // x\r\n}\r\n",
    ),
    // Nested packages, `%` names, fixed-size lists, maps, futures and streams.
    (
        "package a:b { interface %interface { type t = list<u8,4>; type m = map<string,u32>; type f = future<stream<u8>>; } }",
        "package a:b {\n  interface %interface {\n    type t = list<u8, 4>;\n    type m = map<string, u32>;\n    type f = future<stream<u8>>;\n  }\n}\n",
    ),
    // Nothing to format.
    ("", ""),
    ("   \n\n", ""),
];

#[test]
fn formats_to_the_canonical_layout() {
    let mut failures = Vec::new();
    for (input, expected) in CASES {
        match format(input) {
            Ok(got) if got == *expected => {
                let again = format(&got).unwrap();
                if again != got {
                    failures.push(format!("{input:?}: not idempotent:\n{got}\n---\n{again}"));
                }
            }
            Ok(got) => failures.push(format!("{input:?}:\nexpected:\n{expected}\ngot:\n{got}")),
            Err(e) => failures.push(format!("{input:?}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_file_with_a_syntax_error_is_refused() {
    let text = "interface i {\n  record r { a: u32\n  f: func();\n}\n";
    match format_edits(text) {
        Err(FormatError::Syntax { range, message }) => {
            assert!(usize::from(range.start()) > 0, "{message}");
            assert!(!message.is_empty());
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn comments_everywhere_snapshot() {
    let text = r#"// A file with comments in every place the grammar allows them.
package demo:comments@1.0.0; // after the package

/* a block
   comment over lines */
/// Docs of `types`.
@since(version = 1.0.0)
interface types {
    /// A point.
    record point { x: s32, /* between */ y: s32 }   // end of the record
    type ids = list< /* element */ u64 >;
    variant shape {
        // circles first
        circle(f32),


        square(point), // squares
    }
    f: func(
        // the input
        p: point,
    ) -> result<_, /* no error */ point>;
    /** a block doc */ g: func();
}
world w { /* empty */ }
"#;
    insta::assert_snapshot!(format(text).unwrap());
}

/// Every real WIT file that parses: formatting succeeds and a second
/// formatting changes nothing.
#[test]
fn every_real_wit_file_formats_idempotently() {
    let mut failures = Vec::new();
    let mut formatted_files = 0;
    for path in all_real_wit_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        match format(&text) {
            Ok(once) => {
                formatted_files += 1;
                let twice = format(&once).expect("formatted text formats");
                if once != twice {
                    failures.push(format!("{}: not idempotent", path.display()));
                }
            }
            Err(FormatError::Syntax { .. }) => {}
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        formatted_files > 300,
        "only {formatted_files} files formatted"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// wit-parser's packages of `dir` (docs included), printed.
fn printed_packages(dir: &Path) -> String {
    let mut resolve = wit_parser::Resolve::new();
    resolve.all_features = true;
    let (main, _) = resolve.push_path(dir).unwrap();
    let mut printer = wit_component::WitPrinter::default();
    printer.print(&resolve, main, &[]).unwrap();
    printer.output.to_string()
}

/// The WASI trees, every file (deps included) formatted: wit-parser reads
/// the same packages, and the text did change (the test is not vacuous).
#[test]
fn formatted_wasi_trees_mean_the_same() {
    for dir in [wasi_p2_dir(), wasi_p3_dir()] {
        let copy = tempfile::tempdir().unwrap();
        let mut changed = 0;
        for file in wit_files_under(&dir) {
            let relative = file.strip_prefix(&dir).unwrap();
            let target = copy.path().join(relative);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            let text = std::fs::read_to_string(&file).unwrap();
            let formatted = format(&text).unwrap();
            changed += usize::from(formatted != text);
            std::fs::write(target, formatted).unwrap();
        }
        assert!(changed > 0, "{}: nothing changed", dir.display());
        assert_eq!(
            printed_packages(&dir),
            printed_packages(copy.path()),
            "{}",
            dir.display()
        );
    }
}
