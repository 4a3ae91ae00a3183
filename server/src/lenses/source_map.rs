//! Where a trap's source file (as DWARF recorded it at build time) is on
//! this machine: the recorded path when it exists, else the file under the
//! workspace whose path ends with the most of the recorded path's parts
//! (a component built elsewhere, or in a checkout that moved).

use std::path::{Component, Path, PathBuf};

/// Folders never searched: build output and tooling.
const SKIPPED: [&str; 4] = ["target", "node_modules", ".git", "deps"];
const MAX_DEPTH: usize = 8;

pub fn source_file(recorded: &str, base: &Path) -> Option<PathBuf> {
    let recorded_path = Path::new(recorded);
    if recorded_path.is_absolute() && recorded_path.is_file() {
        return Some(recorded_path.to_path_buf());
    }
    if recorded_path.is_relative() && base.join(recorded_path).is_file() {
        return Some(base.join(recorded_path));
    }
    let parts: Vec<&std::ffi::OsStr> = recorded_path
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part),
            _ => None,
        })
        .collect();
    let file_name = *parts.last()?;
    let mut best: Option<(usize, PathBuf)> = None;
    let mut stack = vec![(base.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let skipped = SKIPPED.iter().any(|s| entry.file_name() == *s);
                if !skipped && depth < MAX_DEPTH {
                    stack.push((path, depth + 1));
                }
            } else if kind.is_file() && entry.file_name() == file_name {
                let shared = path
                    .components()
                    .rev()
                    .zip(parts.iter().rev())
                    .take_while(|(a, b)| a.as_os_str() == **b)
                    .count();
                if best
                    .as_ref()
                    .is_none_or(|(n, p)| shared > *n || (shared == *n && path < *p))
                {
                    best = Some((shared, path));
                }
            }
        }
    }
    best.map(|(_, path)| path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_checkout_maps_by_the_longest_shared_suffix() {
        let dir = tempfile::tempdir().unwrap();
        for file in ["src/greet.c", "other/greet.c", "target/src/greet.c"] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "").unwrap();
        }
        let found = source_file("/elsewhere/project/src/greet.c", dir.path()).unwrap();
        assert_eq!(found, dir.path().join("src/greet.c"));
        assert_eq!(
            source_file("other/greet.c", dir.path()).unwrap(),
            dir.path().join("other/greet.c")
        );
        assert_eq!(source_file("/nowhere/missing.c", dir.path()), None);
    }
}
