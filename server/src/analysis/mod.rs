//! The analysis layer: packages, the wit-parser verdict, the symbol index
//! and lints, over the current text of every file (unsaved buffers included).
//!
//! Invariant: results are plain Rust values in byte offsets and paths; this
//! layer knows nothing of LSP, JSON or terminals. Its verdict on validity is
//! wit-parser's: no error on a tree wit-parser accepts, at least one (at
//! wit-parser's position) on a tree it rejects.

pub mod actions;
pub mod completion;
pub mod config;
pub mod diagnostic;
mod guard;
pub mod highlighting;
pub mod hover;
pub mod index;
mod invariants;
pub mod line_index;
mod lints;
mod load;
pub mod navigation;
pub mod rename;
pub mod structure;
pub mod symbols;
mod verdict;
pub mod workspace;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use config::Config;
pub use diagnostic::{Code, Diagnostic, Severity};
pub use index::SymbolIndex;
pub use invariants::check_parser_invariants;
pub use line_index::LineIndex;
pub use workspace::{PackageLayout, Workspace};

use crate::syntax::{self, Parse};

/// Index of a file in [`PackageAnalysis::files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A replacement in one file of a package (rename, fixes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    pub file: FileId,
    pub range: crate::syntax::TextRange,
    pub new_text: String,
}

/// One WIT source file as analysed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub parse: Parse,
    /// Which [`SourceGroup`] (main package or a `deps/` entry) it is in.
    pub group: usize,
}

/// The files that wit-parser parses together as one package group: the
/// main package, or one entry of `deps/`.
#[derive(Debug, Clone)]
pub struct SourceGroup {
    pub path: PathBuf,
    pub files: Vec<FileId>,
    pub is_main: bool,
}

/// Everything known about one package root.
#[derive(Debug)]
pub struct PackageAnalysis {
    pub layout: PackageLayout,
    pub files: Vec<SourceFile>,
    pub groups: Vec<SourceGroup>,
    /// `deps/*.wasm` packages; they have no text, so no symbols.
    pub binary_deps: Vec<PathBuf>,
    /// All diagnostics, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    pub index: SymbolIndex,
    /// wit-parser's resolved packages when the tree is valid.
    pub resolve: Option<wit_parser::Resolve>,
}

impl PackageAnalysis {
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The text a reference was written as (`%` escape included).
    pub fn reference_text(&self, reference: &index::Reference) -> &str {
        &self.file(reference.file).text[reference.range]
    }

    pub fn file_id(&self, path: &Path) -> Option<FileId> {
        let key = std::path::absolute(path).ok()?;
        self.files
            .iter()
            .position(|f| std::path::absolute(&f.path).ok().as_ref() == Some(&key))
            .map(|i| FileId(i as u32))
    }
}

/// Analyses the package rooted at `root` with the `wasmlens.toml` that
/// applies to it: its mistakes, and `[[component]]` worlds the package does
/// not have, are diagnostics in that file; a broken file never hides the
/// WIT's diagnostics (the valid parts of it apply). The one pipeline the
/// CLI and the language server share.
pub fn analyze_root(workspace: &Workspace, root: &Path) -> PackageAnalysis {
    let loaded = config::LoadedConfig::discover(root);
    let mut analysis = analyze_package(workspace, root, &loaded.config);
    analysis.diagnostics.extend(loaded.diagnostics());
    if let Some(resolve) = &analysis.resolve {
        analysis
            .diagnostics
            .extend(config::component_world_diagnostics(&loaded, resolve));
        analysis
            .diagnostics
            .extend(config::mock_diagnostics(&loaded, resolve));
    }
    analysis
}

/// Analyses the package rooted at `root` (a directory or a single `.wit`
/// file) with the texts `workspace` gives.
pub fn analyze_package(workspace: &Workspace, root: &Path, config: &Config) -> PackageAnalysis {
    // wit-parser needs only the texts and our parser does not need
    // wit-parser, so the two run side by side: our parse and index on a
    // second thread, started first and fed each text as it is read (its
    // start-up latency hides behind the reading), and wit-parser, the
    // longer and fixed part, on this thread once everything is read.
    let (texts, received) = std::sync::mpsc::channel::<Received>();
    let (loaded, wit_parser, (files, index)) = std::thread::scope(|scope| {
        let ours = scope.spawn(move || {
            let mut files = Vec::new();
            for received in received {
                match received {
                    Received::Text(path, text, group) => files.push(parse_file(path, text, group)),
                    Received::Groups(groups) => {
                        let index = index::SymbolIndex::build(&files, &groups);
                        return (files, index);
                    }
                }
            }
            (files, SymbolIndex::default())
        });
        let loaded = load::load(workspace, root, &mut |input, group| {
            let text = Received::Text(input.path.clone(), input.text.clone(), group);
            // A send fails only if our thread panicked; `join` reports it.
            let _ = texts.send(text);
        });
        let _ = texts.send(Received::Groups(loaded.groups.clone()));
        let wit_parser =
            verdict::run_wit_parser(&loaded.inputs, &loaded.groups, &loaded.binary_deps, config);
        let ours = ours
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (loaded, wit_parser, ours)
    });
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(verdict::finish(&wit_parser, &files, &loaded.groups));
    diagnostics.extend(lints::run(&files, &index, config));
    diagnostics.sort_by(|a, b| {
        (&a.path, a.range.map(|r| r.start()), a.severity).cmp(&(
            &b.path,
            b.range.map(|r| r.start()),
            b.severity,
        ))
    });
    diagnostics.dedup();
    PackageAnalysis {
        layout: loaded.layout,
        files,
        groups: loaded.groups,
        binary_deps: loaded.binary_deps,
        diagnostics,
        index,
        resolve: wit_parser.resolve,
    }
}

/// What the reading thread sends the parsing thread.
enum Received {
    Text(PathBuf, Arc<str>, usize),
    /// Everything is read; these are the package groups.
    Groups(Vec<SourceGroup>),
}

fn parse_file(path: PathBuf, text: Arc<str>, group: usize) -> SourceFile {
    let parse = syntax::parse(&text);
    SourceFile {
        path,
        text,
        parse,
        group,
    }
}
