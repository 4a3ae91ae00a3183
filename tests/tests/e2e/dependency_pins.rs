//! The wasm-tools family is pinned to the versions Wasmtime 48 uses, so
//! that nothing is compiled twice.

use std::process::Command;

use wasmlens_tests::workspace_root;

/// The wasm-tools crates and the version each must resolve to.
const FAMILY: &[(&str, &str)] = &[
    ("wasmparser", "0.254.2"),
    ("wasm-encoder", "0.254.2"),
    ("wasmprinter", "0.254.2"),
    ("wit-parser", "0.254.2"),
    ("wit-component", "0.254.2"),
    ("wasm-wave", "0.254.2"),
    ("wasm-metadata", "0.254.2"),
    ("wasm-compose", "0.254.2"),
    ("wast", "254.0.2"),
    ("wat", "1.254.2"),
];

fn cargo(args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn each_wasm_tools_crate_built_is_at_its_pinned_version() {
    // What cargo builds into our code. Proc-macros run at build time and are
    // Wasmtime's own: its `bindgen!` builds wit-parser for the host, and
    // wiggle's `witx` (WASI preview 1) needs the old `wast` 35.
    let tree = cargo(&[
        "tree",
        "--workspace",
        "--prefix",
        "none",
        "--format",
        "{p}",
        "-e",
        "no-proc-macro",
    ]);
    let built: std::collections::BTreeSet<&str> =
        tree.lines().map(|l| l.trim_end_matches(" (*)")).collect();
    for (name, version) in FAMILY {
        let versions: Vec<&&str> = built
            .iter()
            .filter(|p| p.starts_with(&format!("{name} v")))
            .collect();
        assert!(
            versions.iter().all(|p| **p == format!("{name} v{version}")),
            "{name} is built as {versions:?}, expected only {version}"
        );
    }
    let wasmtime: Vec<&&str> = built
        .iter()
        .filter(|p| p.starts_with("wasmtime v"))
        .collect();
    assert!(
        !wasmtime.is_empty() && wasmtime.iter().all(|p| p.starts_with("wasmtime v48.0.")),
        "wasmtime is built as {wasmtime:?}"
    );
}

#[test]
fn cargo_tree_shows_no_second_copy_outside_the_bindgen_proc_macro() {
    // Wasmtime's `bindgen!` proc-macro (which wasmtime-wasi needs) builds
    // wit-parser for the host with other features; that host build is the
    // only place a wasm-tools crate appears twice.
    let tree = cargo(&[
        "tree",
        "--workspace",
        "-d",
        "--depth",
        "0",
        "--prefix",
        "none",
        "-e",
        "no-proc-macro",
    ]);
    let duplicated: Vec<&str> = tree
        .lines()
        .filter(|line| {
            FAMILY
                .iter()
                .any(|(name, _)| line.starts_with(&format!("{name} v")))
        })
        .collect();
    assert!(
        duplicated.is_empty(),
        "duplicated wasm-tools crates:\n{}",
        duplicated.join("\n")
    );
}
