//! The lossless parser on every real WIT file we can find: the tree prints
//! back byte-identical, and files wit-parser accepts parse without errors.

use wasmlens::syntax;
use wasmlens_tests::{all_real_wit_files, wasi_p2_dir, wasi_p3_dir, wit_files_under};

#[test]
fn every_real_wit_file_prints_back_byte_identical() {
    let files = all_real_wit_files();
    assert!(files.len() > 500, "corpus too small: {} files", files.len());
    let mut mismatches = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let parse = syntax::parse(&text);
        if parse.syntax().to_string() != text {
            mismatches.push(path.display().to_string());
        }
    }
    assert!(mismatches.is_empty(), "not byte-identical: {mismatches:#?}");
}

#[test]
fn wasi_files_parse_without_errors() {
    for dir in [wasi_p2_dir(), wasi_p3_dir()] {
        let files = wit_files_under(&dir);
        assert!(files.len() >= 6, "{} has too few WIT files", dir.display());
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let errors = syntax::parse(&text).errors;
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        }
    }
}
