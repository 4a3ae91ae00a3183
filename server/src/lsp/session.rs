//! The server's state: open documents, the workspace they overlay, and the
//! latest analysis of each package root, with the generation it was made at.
//!
//! Every text change bumps a generation and marks the roots that hold the
//! file as changed at it. An analysis is fresh for a root when it was made
//! at or after the root's last change; results made for an older
//! generation are dropped, never published or served.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::documents::{Document, Encoding};
use crate::analysis::workspace::package_root_of;
use crate::analysis::{PackageAnalysis, Workspace, analyze_root};

#[derive(Default)]
struct Root {
    changed_at: u64,
    analysis: Option<(u64, Arc<PackageAnalysis>)>,
    /// Every path the last analysis read (the root's files and deps).
    files: HashSet<PathBuf>,
    /// Paths diagnostics were last published for, to clear them later.
    published: HashSet<PathBuf>,
    published_at: u64,
}

pub struct Session {
    pub encoding: Encoding,
    pub folders: Vec<PathBuf>,
    pub documents: HashMap<PathBuf, Document>,
    workspace: Workspace,
    generation: u64,
    roots: HashMap<PathBuf, Root>,
}

/// What an analysis needs, taken under the lock and used outside it.
pub struct AnalysisInput {
    pub root: PathBuf,
    pub generation: u64,
    workspace: Workspace,
}

impl AnalysisInput {
    pub fn analyze(&self) -> PackageAnalysis {
        analyze_root(&self.workspace, &self.root)
    }
}

impl Default for Session {
    fn default() -> Self {
        Session {
            encoding: Encoding::Utf16,
            folders: Vec::new(),
            documents: HashMap::new(),
            workspace: Workspace::new(),
            generation: 0,
            roots: HashMap::new(),
        }
    }
}

impl Session {
    /// Records a new text for `path` (or, with `None`, that its buffer is
    /// gone and the disk holds the truth) and returns the roots to refresh:
    /// the file's own root and every analysed root that read it.
    pub fn text_changed(&mut self, path: &Path, text: Option<Arc<str>>) -> Vec<PathBuf> {
        match text {
            Some(text) => self.workspace.set_overlay(path, text),
            None => self.workspace.remove_overlay(path),
        }
        self.file_changed(path)
    }

    /// A file changed on disk or in a buffer: marks the roots that hold it.
    pub fn file_changed(&mut self, path: &Path) -> Vec<PathBuf> {
        self.generation += 1;
        let own = package_root_of(path);
        self.roots.entry(own.clone()).or_default();
        let generation = self.generation;
        let mut affected = Vec::new();
        // `wasmlens.toml` applies to every package below its folder.
        let config_dir = path
            .file_name()
            .is_some_and(|n| n == crate::analysis::config::CONFIG_FILE)
            .then(|| path.parent())
            .flatten();
        for (root_path, root) in &mut self.roots {
            // A new or deleted file changes the layout of its directory's
            // root even though no analysis has read it yet.
            let configured = config_dir.is_some_and(|dir| root_path.starts_with(dir));
            if *root_path == own || root.files.contains(path) || configured {
                root.changed_at = generation;
                affected.push(root_path.clone());
            }
        }
        affected.sort();
        affected
    }

    /// Whether `root` changed after `generation`.
    pub fn changed_since(&self, root: &Path, generation: u64) -> bool {
        self.roots
            .get(root)
            .is_some_and(|r| r.changed_at > generation)
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The current analysis of `root` if it is fresh, else what it takes to
    /// make one.
    pub fn analysis_or_input(
        &mut self,
        root: &Path,
    ) -> Result<(u64, Arc<PackageAnalysis>), AnalysisInput> {
        let entry = self.roots.entry(root.to_path_buf()).or_default();
        match &entry.analysis {
            Some((at, analysis)) if *at >= entry.changed_at => Ok((*at, analysis.clone())),
            _ => Err(AnalysisInput {
                root: root.to_path_buf(),
                generation: self.generation,
                workspace: self.workspace.clone(),
            }),
        }
    }

    /// Keeps an analysis made from `input` unless the root changed since;
    /// returns whether it is fresh.
    pub fn store(&mut self, input: &AnalysisInput, analysis: &Arc<PackageAnalysis>) -> bool {
        let root = self.roots.entry(input.root.clone()).or_default();
        if root.changed_at > input.generation {
            return false;
        }
        let newer = root
            .analysis
            .as_ref()
            .is_some_and(|(at, _)| *at > input.generation);
        if !newer {
            root.files = analysis
                .files
                .iter()
                .map(|f| f.path.clone())
                .chain(analysis.binary_deps.iter().cloned())
                .collect();
            root.analysis = Some((input.generation, analysis.clone()));
        }
        true
    }

    /// Claims the right to publish diagnostics of `root` made at
    /// `generation`: only if the root has not changed since and nothing newer
    /// was published. Returns the paths published last time, to clear.
    pub fn claim_publish(
        &mut self,
        root: &Path,
        generation: u64,
        now_published: HashSet<PathBuf>,
    ) -> Option<HashSet<PathBuf>> {
        let root = self.roots.get_mut(root)?;
        if root.changed_at > generation || root.published_at > generation {
            return None;
        }
        root.published_at = generation;
        Some(std::mem::replace(&mut root.published, now_published))
    }

    pub fn version_of(&self, path: &Path) -> Option<i32> {
        self.documents.get(path).map(|d| d.version)
    }
}
