//! `wasmlens.toml`: which lints run and which feature gates are on.
//!
//! ```toml
//! [lint]
//! unused-use = "warn"      # "allow" | "warn" | "deny"
//! deprecated = "warn"
//! missing-docs = "allow"
//!
//! [features]
//! all = true               # enable every @unstable feature (the default)
//! enabled = ["foo"]        # or only these, with all = false
//!
//! [[component]]            # which built component implements a world
//! world = "example:calc/calc"
//! path = "target/wasm32-wasip2/release/calc.wasm"
//! build = "cargo component build --release"
//!
//! [run]                    # limits and grants for the run lenses
//! fuel = 1_000_000_000
//! timeout = "5s"
//! max-memory = "256MiB"
//! dirs = [{ host = "data", guest = "/data", read-only = true }]
//! env = { RUST_LOG = "info" }
//! allow-net = false
//!
//! [discovery]              # where built components are looked for
//! dirs = ["target", "build", "dist", "out"]
//! ```
//!
//! Values the runtime interprets (durations, sizes) are kept as written,
//! with their place in the file, so the language server can report a bad
//! one there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

use super::diagnostic::{Code, Severity};

pub const CONFIG_FILE: &str = "wasmlens.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    Allow,
    Warn,
    Deny,
}

impl LintLevel {
    pub fn severity(self) -> Option<Severity> {
        match self {
            LintLevel::Allow => None,
            LintLevel::Warn => Some(Severity::Warning),
            LintLevel::Deny => Some(Severity::Error),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    lints: BTreeMap<Code, LintLevel>,
    /// Enable every `@unstable(feature = …)` gate, so gated items are checked
    /// too. On by default.
    pub all_features: bool,
    pub features: Vec<String>,
    /// `[[component]]`: built components by world.
    pub components: Vec<ComponentEntry>,
    /// `[run]`: what the run lenses may use.
    pub run: RunSection,
    /// `[discovery] dirs`: build-output folders searched for components.
    pub discovery_dirs: Vec<String>,
}

/// The build-output folders searched when no `[[component]]` maps a world.
pub const DEFAULT_DISCOVERY_DIRS: [&str; 4] = ["target", "build", "dist", "out"];

impl Default for Config {
    fn default() -> Self {
        Config {
            lints: BTreeMap::new(),
            all_features: true,
            features: Vec::new(),
            components: Vec::new(),
            run: RunSection::default(),
            discovery_dirs: DEFAULT_DISCOVERY_DIRS.map(String::from).to_vec(),
        }
    }
}

/// Why `wasmlens.toml` was not accepted, and where (bytes of its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    pub span: Option<std::ops::Range<usize>>,
}

/// The first place `key` is written as a key (`key =`), for errors that
/// serde reports without a place.
fn find_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let quoted = format!("\"{key}\"");
        for written in [key, quoted.as_str()] {
            if let Some(rest) = trimmed.strip_prefix(written)
                && rest.trim_start().starts_with('=')
            {
                let start = offset + (line.len() - trimmed.len());
                return Some(start..start + written.len());
            }
        }
        offset += line.len();
    }
    None
}

/// A value and the byte range of it in `wasmlens.toml`.
pub type Spanned<T> = toml::Spanned<T>;

/// `[[component]]`: the component that implements `world`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentEntry {
    /// `package/world`, e.g. `example:calc/calc`.
    pub world: Spanned<String>,
    /// Relative to the directory of `wasmlens.toml`.
    pub path: Spanned<String>,
    /// A shell command that builds it, run only when the user asks.
    pub build: Option<Spanned<String>>,
}

/// `[run]`: limits and grants for running components from the editor.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RunSection {
    pub fuel: Option<Spanned<u64>>,
    /// A duration as written (`"5s"`).
    pub timeout: Option<Spanned<String>>,
    /// A size as written (`"256MiB"`).
    pub max_memory: Option<Spanned<String>>,
    #[serde(default)]
    pub dirs: Vec<DirEntry>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Unset lets the editor's setting decide (off by default).
    pub allow_net: Option<bool>,
}

/// One directory of `[run] dirs`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DirEntry {
    pub host: String,
    pub guest: Option<String>,
    #[serde(default)]
    pub read_only: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    lint: BTreeMap<String, LintLevel>,
    #[serde(default)]
    features: FeaturesSection,
    #[serde(default)]
    component: Vec<ComponentEntry>,
    #[serde(default)]
    run: RunSection,
    #[serde(default)]
    discovery: DiscoverySection,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscoverySection {
    #[serde(default = "default_discovery_dirs")]
    dirs: Vec<String>,
}

impl Default for DiscoverySection {
    fn default() -> Self {
        DiscoverySection {
            dirs: default_discovery_dirs(),
        }
    }
}

fn default_discovery_dirs() -> Vec<String> {
    DEFAULT_DISCOVERY_DIRS.map(String::from).to_vec()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeaturesSection {
    #[serde(default = "yes")]
    all: bool,
    #[serde(default)]
    enabled: Vec<String>,
}

impl Default for FeaturesSection {
    fn default() -> Self {
        FeaturesSection {
            all: true,
            enabled: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

impl Config {
    /// The level of a lint: what `wasmlens.toml` says, else its default
    /// (`missing-docs` is off by default, the others warn).
    pub fn lint_level(&self, code: Code) -> LintLevel {
        self.lints.get(&code).copied().unwrap_or(match code {
            Code::MissingDocs => LintLevel::Allow,
            _ => LintLevel::Warn,
        })
    }

    pub fn parse(text: &str, path: &Path) -> anyhow::Result<Config> {
        Config::parse_spanned(text)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.message))
    }

    /// [`Config::parse`] with the error's place in `text`, for the editor
    /// to show it there.
    pub fn parse_spanned(text: &str) -> Result<Config, ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError {
            message: format!("invalid configuration: {}", e.message()),
            span: e.span(),
        })?;
        let mut lints = BTreeMap::new();
        for (name, level) in file.lint {
            match Code::from_name(&name) {
                Some(code) if code.is_lint() => {
                    lints.insert(code, level);
                }
                _ => {
                    let known: Vec<&str> = Code::ALL
                        .iter()
                        .filter(|c| c.is_lint())
                        .map(|c| c.as_str())
                        .collect();
                    return Err(ConfigError {
                        message: format!(
                            "unknown lint `{name}` in [lint]; known lints: {}",
                            known.join(", ")
                        ),
                        span: find_key(text, &name),
                    });
                }
            }
        }
        Ok(Config {
            lints,
            all_features: file.features.all,
            features: file.features.enabled,
            components: file.component,
            run: file.run,
            discovery_dirs: file.discovery.dirs,
        })
    }

    /// The configuration that applies to `dir`: the nearest `wasmlens.toml`
    /// in it or above it, else the defaults.
    pub fn discover(dir: &Path) -> anyhow::Result<(Config, Option<PathBuf>)> {
        let start = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        for ancestor in start.ancestors() {
            let candidate = ancestor.join(CONFIG_FILE);
            if candidate.is_file() {
                let text = std::fs::read_to_string(&candidate)
                    .with_context(|| format!("cannot read {}", candidate.display()))?;
                return Ok((Config::parse(&text, &candidate)?, Some(candidate)));
            }
        }
        Ok((Config::default(), None))
    }
}
