//! Helpers shared by the end-to-end tests: where the real WIT corpora live.
//!
//! The corpora are the WIT trees that crates in our dependency graph publish
//! (WASI 0.2 and 0.3 from `wasmtime-wasi`, wit-parser's own UI tests). They
//! are found through `cargo metadata`, never copied into this repository.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The source directory of each package in the dependency graph, by
/// `name-version`.
fn package_dirs() -> &'static BTreeMap<String, PathBuf> {
    static DIRS: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    DIRS.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let output = Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--manifest-path"])
            .arg(workspace_root().join("Cargo.toml"))
            .output()
            .expect("cargo metadata runs");
        assert!(
            output.status.success(),
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let metadata: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
        metadata["packages"]
            .as_array()
            .expect("packages array")
            .iter()
            .map(|package| {
                let key = format!(
                    "{}-{}",
                    package["name"].as_str().unwrap(),
                    package["version"].as_str().unwrap()
                );
                let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap());
                (key, manifest.parent().unwrap().to_path_buf())
            })
            .collect()
    })
}

/// The source directory of the dependency `name` (any version; the graph
/// holds one of each crate we take corpora from).
pub fn crate_dir(name: &str) -> PathBuf {
    let prefix = format!("{name}-");
    package_dirs()
        .iter()
        .find(|(key, _)| {
            key.strip_prefix(&prefix)
                .is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()))
        })
        .map(|(_, dir)| dir.clone())
        .unwrap_or_else(|| panic!("{name} is not in the dependency graph"))
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The WASI 0.2 WIT tree (`wasi:cli` and its deps).
pub fn wasi_p2_dir() -> PathBuf {
    crate_dir("wasmtime-wasi").join("src/p2/wit")
}

/// The WASI 0.3 WIT tree.
pub fn wasi_p3_dir() -> PathBuf {
    crate_dir("wasmtime-wasi").join("src/p3/wit")
}

/// wit-parser's UI tests: trees it accepts (`ui/`) and rejects
/// (`ui/parse-fail/`).
pub fn wit_parser_ui_dir() -> PathBuf {
    crate_dir("wit-parser").join("tests/ui")
}

/// Every `.wit` file below `dir`, sorted.
pub fn wit_files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "wit") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Every real WIT file the corpora hold: wit-parser's, wit-component's and
/// WASI's.
pub fn all_real_wit_files() -> Vec<PathBuf> {
    [
        "wit-parser",
        "wit-component",
        "wasmtime-wasi",
        "wasmtime-wasi-io",
        "wasm-wave",
    ]
    .into_iter()
    .flat_map(|name| wit_files_under(&crate_dir(name)))
    .collect()
}
