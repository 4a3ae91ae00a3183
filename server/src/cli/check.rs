//! `wasmlens check`: every package root under the given paths, every
//! diagnostic, one report.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};

use super::exit;
use super::output::{self, Report};
use crate::analysis::workspace::find_package_roots;
use crate::analysis::{Code, Diagnostic, Severity, Workspace, analyze_root};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// WIT files or directories to check (default: the current directory).
    /// Directories are searched for package roots, skipping deps/, target/,
    /// node_modules/ and hidden directories.
    pub paths: Vec<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style snippets with a summary line.
    Human,
    /// One JSON document (format version 1).
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

pub fn run(args: &CheckArgs) -> u8 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        if !path.exists() {
            eprintln!(
                "error: `{}` does not exist; pass a WIT file or a directory that holds WIT files",
                path.display()
            );
            return exit::FAILURE;
        }
    }
    let report = match collect(&paths) {
        Ok(report) => report,
        Err(message) => {
            eprintln!("error: {message}");
            return exit::FAILURE;
        }
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = match args.format {
        Format::Human => output::human(&report, color),
        Format::Json => output::json(&report),
        Format::Github => output::github(&report),
        Format::Sarif => output::sarif(&report),
    };
    print!("{text}");
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

/// Analyses every package root under `paths` into one report.
fn collect(paths: &[PathBuf]) -> Result<Report, String> {
    let workspace = Workspace::new();
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let mut diagnostics = Vec::new();
    let mut texts: BTreeMap<PathBuf, Arc<str>> = BTreeMap::new();
    let mut files = BTreeSet::new();
    for path in paths {
        let roots = find_package_roots(&workspace, path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        if roots.is_empty() {
            diagnostics.push(Diagnostic {
                path: path.clone(),
                range: None,
                severity: Severity::Error,
                code: Code::NoWit,
                message: format!(
                    "no WIT files found in `{}`; pass the directory that holds your .wit files",
                    path.display()
                ),
            });
        }
        for root in roots {
            let analysis = analyze_root(&workspace, &root);
            for file in &analysis.files {
                let shown = display_path(&cwd, &file.path);
                files.insert(shown.clone());
                texts.insert(shown, file.text.clone());
            }
            diagnostics.extend(analysis.diagnostics.iter().map(|d| Diagnostic {
                path: display_path(&cwd, &d.path),
                ..d.clone()
            }));
            // The process ends right after the report: freeing every tree
            // node one by one would only delay the exit (~10% of the run).
            std::mem::forget(analysis);
        }
    }
    // Files that could not be loaded as text (not UTF-8) still get line and
    // column: the text before the first bad byte is exact in a lossy read.
    for diagnostic in &diagnostics {
        if diagnostic.range.is_some()
            && !texts.contains_key(&diagnostic.path)
            && let Ok(bytes) = std::fs::read(&diagnostic.path)
        {
            texts.insert(
                diagnostic.path.clone(),
                String::from_utf8_lossy(&bytes).into(),
            );
        }
    }
    // A dependency shared by several roots is reported once.
    diagnostics.sort_by(|a, b| {
        (&a.path, a.range.map(|r| r.start()), a.severity, &a.message).cmp(&(
            &b.path,
            b.range.map(|r| r.start()),
            b.severity,
            &b.message,
        ))
    });
    diagnostics.dedup();
    Ok(Report {
        diagnostics,
        texts,
        files: files.len(),
    })
}

/// `path` relative to the current directory when it is below it.
fn display_path(cwd: &Path, path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let relative = absolute
        .strip_prefix(cwd)
        .map(Path::to_path_buf)
        .unwrap_or(absolute);
    let cleaned: PathBuf = relative
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}
