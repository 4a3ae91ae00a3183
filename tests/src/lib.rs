//! Helpers shared by the end-to-end tests: where the real WIT corpora live.
//!
//! The corpora are the WIT trees that crates in our dependency graph publish
//! (WASI 0.2 and 0.3 from `wasmtime-wasi`, wit-parser's own UI tests). They
//! are found through `cargo metadata`, never copied into this repository.

pub mod components;
pub mod dap_client;
pub mod http;
pub mod lsp_client;
pub mod peers;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// `cargo metadata` of the workspace, read once.
fn metadata() -> &'static serde_json::Value {
    static METADATA: OnceLock<serde_json::Value> = OnceLock::new();
    METADATA.get_or_init(|| {
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
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
    })
}

/// The source directory of each package in the dependency graph, by
/// `name-version`.
fn package_dirs() -> &'static BTreeMap<String, PathBuf> {
    static DIRS: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    DIRS.get_or_init(|| {
        metadata()["packages"]
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

/// The `wasmlens` binary, built (once per test process) by the same cargo
/// that runs the tests; cargo only hands binary paths to the binary's own
/// package, so the end-to-end crate asks for it.
/// The target directory's `tmp/`, where tests keep what they fetch or
/// build once (as `CARGO_TARGET_TMPDIR`, which only test files see).
pub fn target_tmp() -> PathBuf {
    let target = metadata()["target_directory"]
        .as_str()
        .expect("target_directory");
    PathBuf::from(target).join("tmp")
}

pub fn wasmlens_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "-p",
                "wasmlens",
                "--bin",
                "wasmlens",
                "--manifest-path",
            ])
            .arg(workspace_root().join("Cargo.toml"))
            .status()
            .expect("cargo build runs");
        assert!(status.success(), "building wasmlens failed");
        let target = metadata()["target_directory"]
            .as_str()
            .expect("target_directory");
        let profile = if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        };
        PathBuf::from(target).join(profile).join("wasmlens")
    })
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

/// A WIT tree written to a temporary directory for one test.
pub struct TestTree {
    dir: tempfile::TempDir,
}

impl TestTree {
    /// Writes `files` (relative path, text) below a new temporary directory.
    pub fn new(files: &[(&str, &str)]) -> TestTree {
        let dir = tempfile::tempdir().expect("temporary directory");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        TestTree { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes raw bytes (for binary deps or invalid UTF-8).
    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let path = self.dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Every diagnostic of the package at the tree's root, one line each:
    /// `severity code file:line:col: message` (first message line only).
    pub fn diagnostics(&self) -> Vec<String> {
        self.diagnostics_with(
            &wasmlens::analysis::Workspace::new(),
            &wasmlens::analysis::Config::default(),
        )
    }

    pub fn diagnostics_with(
        &self,
        workspace: &wasmlens::analysis::Workspace,
        config: &wasmlens::analysis::Config,
    ) -> Vec<String> {
        let analysis = wasmlens::analysis::analyze_package(workspace, self.path(), config);
        analysis
            .diagnostics
            .iter()
            .map(|d| {
                let file = d
                    .path
                    .strip_prefix(self.path())
                    .unwrap_or(&d.path)
                    .display()
                    .to_string();
                let location = match (d.range, analysis.file_id(&d.path)) {
                    (Some(range), Some(id)) => {
                        let text = &analysis.file(id).text;
                        let index = wasmlens::analysis::LineIndex::new(text);
                        let lc = index.line_col(
                            text,
                            range.start(),
                            wasmlens::analysis::line_index::ColumnUnit::Char,
                        );
                        format!("{file}:{}:{}", lc.line + 1, lc.col + 1)
                    }
                    _ => file,
                };
                format!(
                    "{} {} {location}: {}",
                    d.severity.as_str(),
                    d.code.as_str(),
                    d.message.lines().next().unwrap_or_default()
                )
            })
            .collect()
    }

    /// wit-parser's own verdict on the tree, as `wasm-tools component wit`
    /// would give it: `None` when accepted, else the first line of its
    /// message and `file:line:col`.
    pub fn wit_parser_error(&self) -> Option<String> {
        let mut resolve = wit_parser::Resolve::new();
        resolve.all_features = true;
        let error = resolve.push_path(self.path()).err()?;
        let (span, message) = if let Some(e) = error.downcast_ref::<wit_parser::ParseError>() {
            (e.kind().span(), e.kind().to_string())
        } else if let Some(e) = error.downcast_ref::<wit_parser::ResolveError>() {
            (e.kind().span(), e.kind().to_string())
        } else {
            return Some(format!("{error:#}"));
        };
        let message = message.lines().next().unwrap_or_default().to_string();
        let Some(location) = resolve.source_map.resolve_span(span) else {
            return Some(message);
        };
        let path = Path::new(location.path);
        let text = std::fs::read_to_string(path).unwrap();
        let before = &text[..location.range.start];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
        let file = path.strip_prefix(self.path()).unwrap_or(path).display();
        Some(format!("{file}:{line}:{col}: {message}"))
    }
}

/// What a run of the `wasmlens` binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `wasmlens ARGS` in `dir` (with `NO_COLOR` unset, so colour
/// choices are the flags' alone).
pub fn wasmlens(dir: &Path, args: &[&str]) -> Run {
    let output = std::process::Command::new(wasmlens_bin())
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("wasmlens runs");
    Run {
        code: output.status.code().expect("exited normally"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}
