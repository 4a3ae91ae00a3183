//! Fuzzes the WIT parser: any input, no panic, no hang, a lossless tree, and
//! no syntax error on text that wit-parser accepts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        wasmlens::analysis::check_parser_invariants(text);
    }
});
