//! The fuzz target's invariants on a fixed, reproducible corpus: every real
//! WIT file, plus mutations of each made by a seeded generator, plus the
//! inputs the fuzzer ever found problems with (`server/fuzz/regressions`).

use wasmlens::analysis::check_parser_invariants;
use wasmlens_tests::{all_real_wit_files, workspace_root};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens that, dropped anywhere, tend to break WIT in interesting ways.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    ";",
    ":",
    ",",
    "<",
    ">",
    "(",
    ")",
    "->",
    "@",
    "%",
    "\"",
    "/*",
    "*/",
    "//",
    "-",
    ".",
    "/",
    "func",
    "interface",
    "world",
    "package",
    "use",
    "resource",
    "record",
    "type",
    "import",
    "export",
    "include",
    "with",
    "as",
    "static",
    "constructor",
    "async",
    "list<",
    "result<_,",
    "0.1.0",
    "@since(version = 1.0.0)",
    "\u{202e}",
    "é",
    "\r",
    "\t",
    "\0",
];

/// A mutation of `text`, cut only at character boundaries.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let at = |rng: &mut Rng| boundaries[rng.below(boundaries.len())];
    let (mut a, mut b) = (at(rng), at(rng));
    if a > b {
        std::mem::swap(&mut a, &mut b);
    }
    match rng.below(4) {
        0 => format!("{}{}", &text[..a], &text[b.min(a + 40).max(a)..]).replace('\u{0}', ""),
        1 => format!(
            "{}{}{}",
            &text[..a],
            FRAGMENTS[rng.below(FRAGMENTS.len())],
            &text[a..]
        ),
        2 => format!("{}{}{}", &text[..b], &text[a..b], &text[b..]),
        _ => text[..a].to_string(),
    }
}

#[test]
fn invariants_hold_on_real_files_and_their_mutations() {
    let files = all_real_wit_files();
    let mut rng = Rng(SEED);
    let mut checked = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        check_parser_invariants(&text);
        let mut current = text;
        for _ in 0..12 {
            current = mutate(&current, &mut rng);
            let result = std::panic::catch_unwind(|| check_parser_invariants(&current));
            assert!(
                result.is_ok(),
                "invariant broken by a mutation of {}:\n{current}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 5000, "only {checked} mutations checked");
}

#[test]
fn inputs_the_fuzzer_found_stay_fixed() {
    let dir = workspace_root().join("server/fuzz/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("server/fuzz/regressions exists") {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        if let Ok(text) = std::str::from_utf8(&bytes) {
            check_parser_invariants(text);
            count += 1;
        }
    }
    assert!(count > 0, "no regression inputs in {}", dir.display());
}

/// The generator's seed: fixed, so every run checks the same inputs.
const SEED: u64 = 0x7761_736d_6c65_6e73;
