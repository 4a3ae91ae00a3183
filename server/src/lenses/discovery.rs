//! Finding the built component of a world among build-output folders.
//!
//! A built component does not carry the name of its world (`wasm-tools
//! component wit` calls it `root:component/root`), so a component is taken
//! for a world when its top-level exports include every export of the
//! world: `add` for `export add: func…`, `ns:pkg/iface@1.0.0` for an
//! exported interface. Among matches the newest file wins.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use wasmparser::{Parser, Payload};

/// How deep below a build-output folder `.wasm` files are looked for
/// (`target/wasm32-wasip2/release/x.wasm` is 3).
const MAX_DEPTH: usize = 6;

/// A built component that matches a world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub modified: SystemTime,
}

/// The names a component exports at its top level, or `None` when `bytes`
/// are not a (readable) component. Reads the export section only; nothing
/// is compiled.
pub fn component_exports(bytes: &[u8]) -> Option<BTreeSet<String>> {
    if !Parser::is_component(bytes) {
        return None;
    }
    let mut names = BTreeSet::new();
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.ok()? {
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
            Payload::End(_) => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            Payload::ComponentExportSection(reader) if depth == 0 => {
                for export in reader {
                    names.insert(export.ok()?.name.name.to_string());
                }
            }
            _ => {}
        }
    }
    Some(names)
}

/// The newest component under `root/<dir>` (for each of `dirs`) whose
/// exports include all of `wanted`.
pub fn find_component(root: &Path, dirs: &[String], wanted: &BTreeSet<String>) -> Option<Found> {
    let mut best: Option<Found> = None;
    for dir in dirs {
        let mut stack = vec![(root.join(dir), 0)];
        while let Some((dir, depth)) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let path = entry.path();
                if kind.is_dir() && depth < MAX_DEPTH {
                    stack.push((path, depth + 1));
                } else if kind.is_file() && path.extension().is_some_and(|e| e == "wasm") {
                    let Ok(modified) = entry.metadata().and_then(|m| m.modified()) else {
                        continue;
                    };
                    if best.as_ref().is_some_and(|b| b.modified >= modified) {
                        continue;
                    }
                    let matches = std::fs::read(&path)
                        .ok()
                        .and_then(|bytes| component_exports(&bytes))
                        .is_some_and(|exports| wanted.is_subset(&exports));
                    if matches {
                        best = Some(Found { path, modified });
                    }
                }
            }
        }
    }
    best
}
