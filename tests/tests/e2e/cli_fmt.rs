//! `wasmlens fmt` and `wasmlens fmt --check`: exit codes, diffs, files
//! written or left alone.

use std::path::Path;

use wasmlens::syntax::format::format;
use wasmlens_tests::{Run, TestTree, wasmlens};

/// Runs `wasmlens fmt ARGS` in `dir`.
fn fmt(dir: &Path, args: &[&str]) -> Run {
    let args: Vec<&str> = ["fmt"].iter().chain(args).copied().collect();
    wasmlens(dir, &args)
}

const UNFORMATTED: &str = "package demo:app;\ninterface api {\n    f: func(a:u32)->u32;\n}\n";
const FORMATTED: &str = "package demo:app;\n\ninterface api {\n  f: func(a: u32) -> u32;\n}\n";
const BROKEN: &str = "package demo:app;\n\ninterface broken {\n    f: func(;\n}\n";
const DEP: &str = "package demo:dep;\ninterface d {    type t = u8;   }\n";

fn read(tree: &TestTree, path: &str) -> String {
    std::fs::read_to_string(tree.path().join(path)).unwrap()
}

#[test]
fn check_reports_a_diff_and_changes_nothing() {
    let tree = TestTree::new(&[("wit/api.wit", UNFORMATTED), ("wit/deps/dep/d.wit", DEP)]);
    let run = fmt(tree.path(), &["--check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("--- wit/api.wit"), "{}", run.stdout);
    assert!(
        run.stdout.contains("-    f: func(a:u32)->u32;"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("+  f: func(a: u32) -> u32;"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("1 of 1 WIT files are not formatted"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&tree, "wit/api.wit"), UNFORMATTED);
}

#[test]
fn fmt_writes_the_formatted_text_and_leaves_deps_alone() {
    let tree = TestTree::new(&[("wit/api.wit", UNFORMATTED), ("wit/deps/dep/d.wit", DEP)]);
    let run = fmt(tree.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&tree, "wit/api.wit"), FORMATTED);
    assert_eq!(format(FORMATTED).unwrap(), FORMATTED);
    assert_eq!(read(&tree, "wit/deps/dep/d.wit"), DEP);
    // Formatted now: `--check` is clean.
    assert_eq!(fmt(tree.path(), &["--check"]).code, 0);
    // A dependency named explicitly is formatted.
    assert_eq!(fmt(tree.path(), &["wit/deps/dep/d.wit"]).code, 0);
    assert_eq!(read(&tree, "wit/deps/dep/d.wit"), format(DEP).unwrap());
}

#[test]
fn a_file_with_a_syntax_error_is_named_and_left_alone() {
    let tree = TestTree::new(&[("wit/api.wit", UNFORMATTED), ("wit/broken.wit", BROKEN)]);
    let run = fmt(tree.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("wit/broken.wit:4:13: error: not formatted: the file has a syntax error"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&tree, "wit/broken.wit"), BROKEN);
    // The other file is still formatted.
    assert_eq!(read(&tree, "wit/api.wit"), FORMATTED);
}

#[test]
fn a_missing_path_is_an_error() {
    let tree = TestTree::new(&[("wit/api.wit", FORMATTED)]);
    let run = fmt(tree.path(), &["nope"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`nope` does not exist"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn permissions_survive_the_rewrite() {
    use std::os::unix::fs::PermissionsExt;
    let tree = TestTree::new(&[("api.wit", UNFORMATTED)]);
    let path = tree.path().join("api.wit");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(fmt(tree.path(), &["api.wit"]).code, 0);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(tree.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["api.wit"]);
}
