//! `wasmlens fmt`: formats WIT files in place, or with `--check` says which
//! are not formatted (a unified diff each) and exits 1.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::exit;
use super::position::Span;
use crate::analysis::Workspace;
use crate::analysis::workspace::find_package_roots;
use crate::syntax::format::{FormatError, format};

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// WIT files or directories (default: the current directory).
    /// Directories are searched for package roots; `deps/`, `target/`,
    /// `node_modules/` and hidden directories are left alone.
    pub paths: Vec<PathBuf>,
    /// Change nothing; print a diff for each file that is not formatted and
    /// exit with 1 if there is one.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &FmtArgs) -> u8 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let files = match wit_files(&paths) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return exit::FAILURE;
        }
    };
    let mut unformatted = 0;
    let mut failed = 0;
    let mut stdout = std::io::stdout().lock();
    for file in &files {
        match format_file(file, args.check) {
            Ok(None) => {}
            Ok(Some(diff)) => {
                unformatted += 1;
                if args.check {
                    let _ = stdout.write_all(diff.as_bytes());
                }
            }
            Err(message) => {
                failed += 1;
                eprintln!("{message}");
            }
        }
    }
    if failed > 0 {
        exit::FAILURE
    } else if args.check && unformatted > 0 {
        eprintln!(
            "{unformatted} of {} WIT files are not formatted; run `wasmlens fmt` to format them",
            files.len()
        );
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

/// The `.wit` files named by `paths`: files as given, directories through
/// their package roots.
fn wit_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let workspace = Workspace::new();
    let mut files = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(format!(
                "`{}` does not exist; pass a WIT file or a directory that holds WIT files",
                path.display()
            ));
        }
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let roots = find_package_roots(&workspace, path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        for root in roots {
            files.extend(
                workspace
                    .wit_files_in(&root)
                    .map_err(|e| format!("cannot read `{}`: {e}", root.display()))?,
            );
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Formats one file: `None` when it already is, else the diff; in place
/// unless `check`. The new text replaces the old one by a rename, so a
/// failed write leaves the old file as it was.
fn format_file(path: &Path, check: bool) -> Result<Option<String>, String> {
    let shown = path.strip_prefix(".").unwrap_or(path).display();
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("error: cannot read `{shown}`: {e}"))?;
    let formatted = format(&text).map_err(|e| match &e {
        FormatError::Syntax { range, .. } => {
            let span = Span::of(&text, Some(*range));
            format!(
                "{shown}:{}:{}: error: {e}",
                span.start.line, span.start.column
            )
        }
        FormatError::Internal(_) => format!("{shown}: error: {e}"),
    })?;
    if formatted == text {
        return Ok(None);
    }
    let diff = similar::TextDiff::from_lines(&text, &formatted)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{shown}"), &format!("{shown} (formatted)"))
        .to_string();
    if !check {
        write_atomically(path, &formatted)
            .map_err(|e| format!("error: cannot write `{shown}`: {e}; the file is unchanged"))?;
    }
    Ok(Some(diff))
}

/// Writes `text` to a new file beside `path` and renames it over `path`.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    if let Ok(metadata) = std::fs::metadata(path) {
        temp.as_file().set_permissions(metadata.permissions())?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
