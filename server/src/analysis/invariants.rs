//! The parser's promises, checked on arbitrary input by the fuzz target
//! (`server/fuzz`) and by the seed-corpus regression test. It lives here,
//! not in `syntax`, because one promise is agreement with wit-parser.

use super::guard::run_guarded;
use crate::syntax::{TextSize, parse};

/// Panics if parsing `text` breaks a promise of the syntax layer:
/// - the tree prints back exactly `text`;
/// - every error range lies inside the text;
/// - a file that wit-parser parses without error has no syntax error of ours
///   (the verdict invariant at the level of one file). Inputs on which
///   wit-parser itself panics are wit-parser's bugs and are skipped here.
/// - on a file without syntax errors the formatter succeeds and is idempotent.
pub fn check_parser_invariants(text: &str) {
    let parse = parse(text);
    assert_eq!(parse.syntax().to_string(), text, "the tree is not lossless");
    let len = TextSize::of(text);
    for error in &parse.errors {
        assert!(
            error.range.end() <= len,
            "error {error:?} lies outside the text"
        );
    }
    let accepted = run_guarded(|| {
        let mut map = wit_parser::SourceMap::new();
        map.push_str("fuzz.wit", text);
        map.parse().is_ok()
    });
    if accepted == Ok(true) {
        assert!(
            parse.errors.is_empty(),
            "wit-parser accepts the text but we report {:?}",
            parse.errors
        );
    }
    if parse.errors.is_empty() {
        check_formatter_invariants(text);
    }
}

/// On text without syntax errors the formatter succeeds (its own check
/// that only layout changed passes), and a second pass changes nothing.
fn check_formatter_invariants(text: &str) {
    let once = match crate::syntax::format::format(text) {
        Ok(once) => once,
        Err(e) => panic!("the formatter failed on a file without syntax errors: {e}"),
    };
    let twice = crate::syntax::format::format(&once).expect("formatted text formats");
    assert_eq!(once, twice, "formatting is not idempotent");
}
