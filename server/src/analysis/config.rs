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
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            lints: BTreeMap::new(),
            all_features: true,
            features: Vec::new(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    lint: BTreeMap<String, LintLevel>,
    #[serde(default)]
    features: FeaturesSection,
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
        let file: ConfigFile = toml::from_str(text)
            .with_context(|| format!("{}: invalid configuration", path.display()))?;
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
                    bail!(
                        "{}: unknown lint `{name}` in [lint]; known lints: {}",
                        path.display(),
                        known.join(", ")
                    );
                }
            }
        }
        Ok(Config {
            lints,
            all_features: file.features.all,
            features: file.features.enabled,
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
