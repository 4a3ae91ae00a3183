//! The first half of every lens, shared by code lenses and commands:
//! discover the package's `wasmlens.toml`, fix the folder its relative
//! paths start from, list the package's worlds and locate each world's
//! component.

use std::path::{Path, PathBuf};

use super::runner::{Located, Runner};
use super::settings::Settings;
use super::targets::{WorldTarget, world_targets};
use crate::analysis::PackageAnalysis;
use crate::analysis::config::{ConfigError, RunSettings};

/// A package's run settings and the folder they are relative to.
#[derive(Debug, Clone)]
pub struct PackageRuns {
    pub settings: Settings,
    /// Where `[[component]] path`, `[run] dirs` and build-output folders
    /// start.
    pub base: PathBuf,
}

impl PackageRuns {
    /// The settings of the package at `root` (its `wasmlens.toml` over the
    /// editor's `[run]`), within the workspace `folders`.
    pub fn discover(
        root: &Path,
        folders: &[PathBuf],
        editor: RunSettings,
    ) -> Result<PackageRuns, (PathBuf, ConfigError)> {
        let settings = Settings::discover(root)?;
        Ok(PackageRuns::with(settings, root, folders, editor))
    }

    /// As if the package had no `wasmlens.toml`: what the lenses use while
    /// the file is broken (its mistakes are diagnostics in that file).
    pub fn without_config(root: &Path, folders: &[PathBuf], editor: RunSettings) -> PackageRuns {
        PackageRuns::with(Settings::default(), root, folders, editor)
    }

    fn with(
        mut settings: Settings,
        root: &Path,
        folders: &[PathBuf],
        editor: RunSettings,
    ) -> PackageRuns {
        settings.editor = editor;
        let base = settings.base(&fallback_base(root, folders)).to_path_buf();
        PackageRuns { settings, base }
    }

    /// Every world of the package with its component located.
    pub fn worlds(
        &self,
        analysis: &PackageAnalysis,
        runner: &Runner,
    ) -> Vec<(WorldTarget, Located)> {
        world_targets(analysis)
            .into_iter()
            .map(|world| {
                let located = runner.locate(analysis, &self.settings, &self.base, &world);
                (world, located)
            })
            .collect()
    }

    /// The world a lens names, with its component located.
    pub fn world(
        &self,
        analysis: &PackageAnalysis,
        runner: &Runner,
        name: &str,
    ) -> Option<(WorldTarget, Located)> {
        let world = world_targets(analysis)
            .into_iter()
            .find(|w| w.is_named(name))?;
        let located = runner.locate(analysis, &self.settings, &self.base, &world);
        Some((world, located))
    }
}

/// Where build-output folders are looked for without a `wasmlens.toml`:
/// the workspace folder that holds the package, else the folder above it
/// (a `wit/` folder's project).
fn fallback_base(root: &Path, folders: &[PathBuf]) -> PathBuf {
    folders
        .iter()
        .filter(|f| root.starts_with(f))
        .max_by_key(|f| f.as_os_str().len())
        .cloned()
        .or_else(|| root.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| root.to_path_buf())
}
