//! Where WIT text comes from: files on disk, overridden by the unsaved text
//! of open editor buffers, and laid out in packages the way wit-parser's
//! `Resolve::push_path` reads them.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file system as analysis sees it: disk plus overlays.
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    overlays: HashMap<PathBuf, Arc<str>>,
}

/// Why a file's text could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    Io(String),
    /// The bytes are not UTF-8; `offset` is the first bad byte.
    NotUtf8 {
        offset: usize,
    },
}

impl Workspace {
    pub fn new() -> Self {
        Self::default()
    }

    fn key(path: &Path) -> PathBuf {
        std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
    }

    /// Makes `text` the content of `path` for analysis, whatever is on disk.
    pub fn set_overlay(&mut self, path: &Path, text: impl Into<Arc<str>>) {
        self.overlays.insert(Self::key(path), text.into());
    }

    pub fn remove_overlay(&mut self, path: &Path) {
        self.overlays.remove(&Self::key(path));
    }

    pub fn read_text(&self, path: &Path) -> Result<Arc<str>, LoadError> {
        if let Some(text) = self.overlays.get(&Self::key(path)) {
            return Ok(text.clone());
        }
        let bytes = std::fs::read(path).map_err(|e| LoadError::Io(e.to_string()))?;
        String::from_utf8(bytes)
            .map(Arc::from)
            .map_err(|e| LoadError::NotUtf8 {
                offset: e.utf8_error().valid_up_to(),
            })
    }

    /// The `.wit` files directly in `dir`: those on disk and unsaved new ones.
    pub fn wit_files_in(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if is_wit_file(&path) && !path.is_dir() {
                files.push(path);
            }
        }
        let dir_key = Self::key(dir);
        let on_disk: std::collections::HashSet<PathBuf> =
            files.iter().map(|f| Self::key(f)).collect();
        for path in self.overlays.keys() {
            if path.parent() == Some(dir_key.as_path())
                && is_wit_file(path)
                && !on_disk.contains(path)
            {
                files.push(dir.join(path.file_name().expect("overlay paths name a file")));
            }
        }
        files.sort();
        Ok(files)
    }
}

pub fn is_wit_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "wit")
}

/// One entry of a `deps/` folder, as wit-parser reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepEntry {
    /// `deps/<pkg>/*.wit`: one package in several files.
    Dir { path: PathBuf, files: Vec<PathBuf> },
    /// `deps/<name>.wit`: one package in one file.
    File(PathBuf),
    /// `deps/<name>.wasm` (or `.wat`): a WIT package encoded as a component.
    Binary(PathBuf),
}

/// A WIT package root: its own files and its `deps/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageLayout {
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
    pub deps: Vec<DepEntry>,
}

impl PackageLayout {
    /// Reads the layout of the package at `root`: a directory of `.wit`
    /// files with an optional `deps/`, or a single `.wit` file (no deps, as
    /// with `wasm-tools component wit file.wit`).
    pub fn read(workspace: &Workspace, root: &Path) -> io::Result<PackageLayout> {
        if !root.is_dir() {
            return Ok(PackageLayout {
                root: root.to_path_buf(),
                files: vec![root.to_path_buf()],
                deps: Vec::new(),
            });
        }
        let files = workspace.wit_files_in(root)?;
        let mut deps = Vec::new();
        let deps_dir = root.join("deps");
        if deps_dir.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&deps_dir)?
                .map(|entry| entry.map(|e| e.path()))
                .collect::<io::Result<_>>()?;
            entries.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
            for path in entries {
                if path.is_dir() {
                    let files = workspace.wit_files_in(&path)?;
                    deps.push(DepEntry::Dir { path, files });
                } else {
                    match path.extension().and_then(|e| e.to_str()) {
                        Some("wit") => deps.push(DepEntry::File(path)),
                        Some("wasm" | "wat") => deps.push(DepEntry::Binary(path)),
                        _ => {}
                    }
                }
            }
        }
        Ok(PackageLayout {
            root: root.to_path_buf(),
            files,
            deps,
        })
    }
}

/// Directories never searched for package roots.
fn is_skipped_dir(name: &str) -> bool {
    name.starts_with('.') || name == "target" || name == "node_modules"
}

/// Every package root under `path`: `path` itself if it is a `.wit` file,
/// else each directory below it that directly holds `.wit` files. `deps/`
/// folders of a root are its dependencies, not roots of their own.
pub fn find_package_roots(workspace: &Workspace, path: &Path) -> io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut roots = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let is_root = !workspace.wit_files_in(&dir)?.is_empty();
        if is_root {
            roots.push(dir.clone());
        }
        let mut subdirs = Vec::new();
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !entry.path().is_dir() || is_skipped_dir(&name) || (is_root && name == "deps") {
                continue;
            }
            subdirs.push(entry.path());
        }
        subdirs.sort();
        stack.extend(subdirs.into_iter().rev());
    }
    roots.sort();
    Ok(roots)
}

/// The package root a `.wit` file is analysed under: its directory, or for
/// a file inside `deps/` (as `deps/<pkg>/x.wit` or `deps/x.wit`) the root
/// whose dependency it is, so that navigation reaches it from the root.
pub fn package_root_of(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("."));
    let is_deps = |p: &Path| p.file_name().is_some_and(|n| n == "deps");
    if is_deps(dir)
        && let Some(root) = dir.parent()
    {
        return root.to_path_buf();
    }
    if let Some(deps) = dir.parent().filter(|p| is_deps(p))
        && let Some(root) = deps.parent()
    {
        return root.to_path_buf();
    }
    dir.to_path_buf()
}
