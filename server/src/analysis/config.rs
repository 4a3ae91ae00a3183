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
//! allow-net = false      # these three need the user's consent in the editor
//! inherit-env = false
//! mocks = { "ns:pkg/iface.func" = 'some("x")' }   # an import returns this WAVE
//! plugs = ["build/provider.wasm"]  # components whose exports satisfy imports
//!
//! [discovery]              # where built components are looked for
//! dirs = ["target", "build", "dist", "out"]
//! ```
//!
//! One pipeline for the CLI and the editor: [`LoadedConfig::discover`] finds
//! the file (the nearest `wasmlens.toml` at or above a package), and parsing
//! validates every section, durations and sizes included, collecting every
//! mistake with its place; a value that is wrong is left out, the rest
//! apply. [`component_world_diagnostics`] checks `[[component]] world`
//! against the package's worlds once wit-parser has resolved it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::diagnostic::{Code, Diagnostic, Severity};
use crate::syntax::{TextRange, TextSize};

mod stand_ins;
pub mod units;

pub use stand_ins::mock_diagnostics;

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
    pub run: RunSettings,
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
            run: RunSettings::default(),
            discovery_dirs: DEFAULT_DISCOVERY_DIRS.map(String::from).to_vec(),
        }
    }
}

/// A mistake in `wasmlens.toml` (or in the editor's `[run]` settings), and
/// where (bytes of the file's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    pub span: Option<Range<usize>>,
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

/// `[run]` (or the editor's `wasmlens.run.*` settings), read: limits and
/// grants for running components from the editor. `None` leaves a value
/// to the layer below.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunSettings {
    /// Units of fuel.
    pub fuel: Option<u64>,
    pub timeout: Option<Duration>,
    /// Bytes of linear memory.
    pub max_memory: Option<u64>,
    /// Directories to preopen, relative to the folder of `wasmlens.toml`.
    pub dirs: Vec<RunDir>,
    pub env: BTreeMap<String, String>,
    pub allow_net: Option<bool>,
    /// Hand the guest the editor's whole environment.
    pub inherit_env: Option<bool>,
    /// `[run] mocks`: imports that return a fixed WAVE value.
    pub mocks: Vec<RunMock>,
    /// `[run] plugs`: components whose exports satisfy imports, relative
    /// to the folder of `wasmlens.toml`.
    pub plugs: Vec<RunPlug>,
}

/// One entry of `[run] mocks`, with the place of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunMock {
    /// `ns:pkg/iface.func`, `ns:pkg/iface@1.0.0.func` or `func`.
    pub import: String,
    /// WAVE, checked against the import's type when the component runs.
    pub value: String,
    pub span: Option<Range<usize>>,
}

/// One entry of `[run] plugs`, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunPlug {
    pub path: String,
    pub span: Option<Range<usize>>,
}

/// One directory of `[run] dirs`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RunDir {
    pub host: String,
    pub guest: Option<String>,
    #[serde(default)]
    pub read_only: bool,
}

/// A duration or size as written, with what to call it in a message and,
/// in `wasmlens.toml`, its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenValue {
    pub text: String,
    /// `[run] timeout` or `setting wasmlens.run.timeout`.
    pub name: String,
    pub span: Option<Range<usize>>,
}

/// `[run]` as written, before durations and sizes are read: the shape both
/// `wasmlens.toml` and the editor's settings arrive in.
#[derive(Debug, Clone, Default)]
pub struct WrittenRun {
    pub fuel: Option<u64>,
    pub timeout: Option<WrittenValue>,
    pub max_memory: Option<WrittenValue>,
    pub dirs: Vec<RunDir>,
    pub env: BTreeMap<String, String>,
    pub allow_net: Option<bool>,
    pub inherit_env: Option<bool>,
    pub mocks: Vec<RunMock>,
    pub plugs: Vec<RunPlug>,
}

/// Whether `name` has the shape of an imported function's name:
/// `ns:pkg/iface.func` (a version after the interface or the function
/// allowed) or a world-level `func`.
fn is_import_name(name: &str) -> bool {
    let function = match name.split_once('/') {
        Some((package, rest)) => {
            if !package.contains(':') {
                return false;
            }
            // `iface.func`, `iface@1.0.0.func` or `iface.func@1.0.0`.
            let without_trailing_version = match rest.split_once('@') {
                Some((before, _)) if before.contains('.') => before,
                _ => rest,
            };
            match without_trailing_version.rsplit_once('.') {
                Some((_, function)) => function,
                None => return false,
            }
        }
        None => name,
    };
    !function.is_empty()
        && function
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '[' || c == ']' || c == '.')
        && !name.chars().any(char::is_whitespace)
}

impl WrittenRun {
    /// The settings, and a mistake for each value that cannot be read
    /// (left out of the settings).
    pub fn read(self) -> (RunSettings, Vec<ConfigError>) {
        let mut errors = Vec::new();
        let timeout = read_value(self.timeout, units::parse_duration, &mut errors);
        let max_memory = read_value(self.max_memory, units::parse_size, &mut errors);
        let settings = RunSettings {
            fuel: self.fuel,
            timeout,
            max_memory,
            dirs: self.dirs,
            env: self.env,
            allow_net: self.allow_net,
            inherit_env: self.inherit_env,
            mocks: self
                .mocks
                .into_iter()
                .filter(|mock| {
                    let fits = is_import_name(&mock.import);
                    if !fits {
                        errors.push(ConfigError {
                            message: format!(
                                "[run] mocks: `{}` is not the name of an imported function; write `ns:pkg/iface.func` (optionally with `@VERSION` after the interface) or a world-level function's name",
                                mock.import
                            ),
                            span: mock.span.clone(),
                        });
                    }
                    fits
                })
                .collect(),
            plugs: self
                .plugs
                .into_iter()
                .filter(|plug| {
                    let fits = !plug.path.trim().is_empty();
                    if !fits {
                        errors.push(ConfigError {
                            message: "[run] plugs: an empty path; write the path of a component, e.g. `build/provider.wasm`".into(),
                            span: plug.span.clone(),
                        });
                    }
                    fits
                })
                .collect(),
        };
        (settings, errors)
    }
}

/// A written value parsed, or its mistake recorded.
fn read_value<T>(
    value: Option<WrittenValue>,
    parse: fn(&str) -> Result<T, String>,
    errors: &mut Vec<ConfigError>,
) -> Option<T> {
    let value = value?;
    parse(&value.text)
        .map_err(|message| {
            errors.push(ConfigError {
                message: format!("{}: {message}", value.name),
                span: value.span.clone(),
            })
        })
        .ok()
}

impl RunSettings {
    /// These settings over `under`, value by value: a value set here wins;
    /// `dirs` are these when any are listed, else `under`'s; `env` is
    /// `under`'s with these on top.
    pub fn over(&self, under: &RunSettings) -> RunSettings {
        let mut env = under.env.clone();
        env.extend(self.env.iter().map(|(k, v)| (k.clone(), v.clone())));
        RunSettings {
            fuel: self.fuel.or(under.fuel),
            timeout: self.timeout.or(under.timeout),
            max_memory: self.max_memory.or(under.max_memory),
            dirs: if self.dirs.is_empty() {
                under.dirs.clone()
            } else {
                self.dirs.clone()
            },
            env,
            allow_net: self.allow_net.or(under.allow_net),
            inherit_env: self.inherit_env.or(under.inherit_env),
            mocks: if self.mocks.is_empty() {
                under.mocks.clone()
            } else {
                self.mocks.clone()
            },
            plugs: if self.plugs.is_empty() {
                under.plugs.clone()
            } else {
                self.plugs.clone()
            },
        }
    }
}

/// `[run]` as `wasmlens.toml` writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TomlRun {
    fuel: Option<u64>,
    timeout: Option<Spanned<String>>,
    max_memory: Option<Spanned<String>>,
    #[serde(default)]
    dirs: Vec<RunDir>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    allow_net: Option<bool>,
    inherit_env: Option<bool>,
    #[serde(default)]
    mocks: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    plugs: Vec<Spanned<String>>,
}

impl TomlRun {
    fn written(self) -> WrittenRun {
        let written = |value: Option<Spanned<String>>, key: &str| {
            value.map(|value| WrittenValue {
                name: format!("[run] {key}"),
                span: Some(value.span()),
                text: value.into_inner(),
            })
        };
        WrittenRun {
            fuel: self.fuel,
            timeout: written(self.timeout, "timeout"),
            max_memory: written(self.max_memory, "max-memory"),
            dirs: self.dirs,
            env: self.env,
            allow_net: self.allow_net,
            inherit_env: self.inherit_env,
            mocks: self
                .mocks
                .into_iter()
                .map(|(import, value)| RunMock {
                    import,
                    span: Some(value.span()),
                    value: value.into_inner(),
                })
                .collect(),
            plugs: self
                .plugs
                .into_iter()
                .map(|path| RunPlug {
                    span: Some(path.span()),
                    path: path.into_inner(),
                })
                .collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscoverySection {
    dirs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeaturesSection {
    #[serde(default = "yes")]
    all: bool,
    #[serde(default)]
    enabled: Vec<String>,
}

fn yes() -> bool {
    true
}

const SECTIONS: [&str; 5] = ["lint", "features", "component", "run", "discovery"];

impl Config {
    /// The level of a lint: what `wasmlens.toml` says, else its default
    /// (`missing-docs` is off by default, the others warn).
    pub fn lint_level(&self, code: Code) -> LintLevel {
        self.lints.get(&code).copied().unwrap_or(match code {
            Code::MissingDocs => LintLevel::Allow,
            _ => LintLevel::Warn,
        })
    }

    /// The configuration `text` describes, or its first mistake, naming
    /// `path`.
    pub fn parse(text: &str, path: &Path) -> anyhow::Result<Config> {
        let (config, errors) = Config::parse_all(text);
        match errors.into_iter().next() {
            Some(error) => anyhow::bail!("{}: {}", path.display(), error.message),
            None => Ok(config),
        }
    }

    /// Every mistake of `text`, each with its place, and the configuration
    /// without the values that were wrong: a section that does not read is
    /// left at its defaults, the other sections still apply.
    pub fn parse_all(text: &str) -> (Config, Vec<ConfigError>) {
        let mut config = Config::default();
        let mut errors = Vec::new();
        let table = match DeTable::parse(text) {
            Ok(table) => table.into_inner(),
            Err(e) => {
                errors.push(toml_error(&e));
                return (config, errors);
            }
        };
        for (key, value) in table {
            let span = key.span();
            let name = key.into_inner();
            let read = match name.as_ref() {
                "lint" => section(value).map(|lints| {
                    config.lints = read_lints(text, lints, &mut errors);
                }),
                "features" => section::<FeaturesSection>(value).map(|features| {
                    config.all_features = features.all;
                    config.features = features.enabled;
                }),
                "component" => section(value).map(|components| config.components = components),
                "run" => section::<TomlRun>(value).map(|run| {
                    let (run, mistakes) = run.written().read();
                    config.run = run;
                    errors.extend(mistakes);
                }),
                "discovery" => {
                    section::<DiscoverySection>(value).map(|d| config.discovery_dirs = d.dirs)
                }
                other => {
                    errors.push(ConfigError {
                        message: format!(
                            "invalid configuration: unknown section `{other}`; wasmlens.toml has {}",
                            SECTIONS.map(|s| format!("[{s}]")).join(", ")
                        ),
                        span: Some(span),
                    });
                    Ok(())
                }
            };
            if let Err(e) = read {
                errors.push(toml_error(&e));
            }
        }
        errors.sort_by_key(|e| e.span.as_ref().map(|s| s.start));
        (config, errors)
    }
}

fn section<T: serde::de::DeserializeOwned>(
    value: toml::Spanned<DeValue<'_>>,
) -> Result<T, toml::de::Error> {
    T::deserialize(ValueDeserializer::from(value))
}

fn toml_error(error: &toml::de::Error) -> ConfigError {
    ConfigError {
        message: format!("invalid configuration: {}", error.message()),
        span: error.span(),
    }
}

fn read_lints(
    text: &str,
    lints: BTreeMap<Spanned<String>, LintLevel>,
    errors: &mut Vec<ConfigError>,
) -> BTreeMap<Code, LintLevel> {
    let mut levels = BTreeMap::new();
    for (name, level) in lints {
        match Code::from_name(name.get_ref()) {
            Some(code) if code.is_lint() => {
                levels.insert(code, level);
            }
            _ => {
                let known: Vec<&str> = Code::ALL
                    .iter()
                    .filter(|c| c.is_lint())
                    .map(|c| c.as_str())
                    .collect();
                let span = name.span();
                // A key's span covers the key only when it is not quoted.
                let span = (span.end <= text.len()).then_some(span);
                errors.push(ConfigError {
                    message: format!(
                        "unknown lint `{}` in [lint]; known lints: {}",
                        name.get_ref(),
                        known.join(", ")
                    ),
                    span,
                });
            }
        }
    }
    levels
}

/// The configuration that applies to a package, where it came from, and
/// every mistake in it.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    pub config: Config,
    /// The `wasmlens.toml` read, if there is one.
    pub file: Option<PathBuf>,
    pub errors: Vec<ConfigError>,
}

impl LoadedConfig {
    /// The nearest `wasmlens.toml` in `dir` or above it, read; without one,
    /// the defaults.
    pub fn discover(dir: &Path) -> LoadedConfig {
        let start = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let start = if start.is_file() {
            start.parent().map(Path::to_path_buf).unwrap_or(start)
        } else {
            start
        };
        for ancestor in start.ancestors() {
            let file = ancestor.join(CONFIG_FILE);
            if !file.is_file() {
                continue;
            }
            return match std::fs::read_to_string(&file) {
                Ok(text) => {
                    let (config, errors) = Config::parse_all(&text);
                    LoadedConfig {
                        config,
                        file: Some(file),
                        errors,
                    }
                }
                Err(e) => LoadedConfig {
                    config: Config::default(),
                    errors: vec![ConfigError {
                        message: format!("cannot read {CONFIG_FILE}: {e}"),
                        span: None,
                    }],
                    file: Some(file),
                },
            };
        }
        LoadedConfig::default()
    }

    /// The folder relative paths in the file start from.
    pub fn base(&self) -> Option<&Path> {
        self.file.as_deref().and_then(Path::parent)
    }

    /// The mistakes as diagnostics in `wasmlens.toml`.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let Some(file) = &self.file else {
            return Vec::new();
        };
        let mut diagnostics: Vec<Diagnostic> = self
            .errors
            .iter()
            .map(|error| config_diagnostic(file, error.span.clone(), error.message.clone()))
            .collect();
        // A plug that is not there cannot stand in for anything.
        let base = self.base().unwrap_or(Path::new("."));
        for plug in &self.config.run.plugs {
            if !base.join(&plug.path).is_file() {
                diagnostics.push(config_diagnostic(
                    file,
                    plug.span.clone(),
                    format!(
                        "[run] plugs: `{}` does not exist (paths start at the folder of {CONFIG_FILE}); build the provider component first",
                        plug.path
                    ),
                ));
            }
        }
        diagnostics
    }
}

fn config_diagnostic(file: &Path, span: Option<Range<usize>>, message: String) -> Diagnostic {
    Diagnostic {
        path: file.to_path_buf(),
        range: span.map(|span| {
            TextRange::new(
                TextSize::from(span.start as u32),
                TextSize::from(span.end as u32),
            )
        }),
        severity: Severity::Error,
        code: Code::Config,
        message,
    }
}

/// `[[component]] world` entries that name no world of the packages
/// `resolve` holds: an unknown world of a package here, a malformed name,
/// or a package name one typo away from one here (an entry for a package
/// that is not here at all may belong to another package under the same
/// `wasmlens.toml`). An unversioned name matches a versioned world.
pub fn component_world_diagnostics(
    loaded: &LoadedConfig,
    resolve: &wit_parser::Resolve,
) -> Vec<Diagnostic> {
    let Some(file) = &loaded.file else {
        return Vec::new();
    };
    let packages: Vec<(String, Option<String>, Vec<String>)> = resolve
        .packages
        .iter()
        .map(|(_, package)| {
            let name = format!("{}:{}", package.name.namespace, package.name.name);
            let version = package.name.version.as_ref().map(ToString::to_string);
            (name, version, package.worlds.keys().cloned().collect())
        })
        .collect();
    let mut diagnostics = Vec::new();
    for entry in &loaded.config.components {
        let written = entry.world.get_ref();
        let span = Some(entry.world.span());
        let (path, version) = match written.split_once('@') {
            Some((path, version)) => (path, Some(version)),
            None => (written.as_str(), None),
        };
        let Some((package, world)) = path.split_once('/') else {
            diagnostics.push(config_diagnostic(
                file,
                span,
                format!("[[component]] world `{written}` is not a world name; write `namespace:package/world`, e.g. `example:calc/calc`"),
            ));
            continue;
        };
        let same_package: Vec<&(String, Option<String>, Vec<String>)> = packages
            .iter()
            .filter(|(name, v, _)| {
                name == package && (version.is_none() || v.as_deref() == version)
            })
            .collect();
        if same_package
            .iter()
            .any(|(_, _, worlds)| worlds.iter().any(|w| w == world))
        {
            continue;
        }
        if let Some((name, _, worlds)) = same_package.first() {
            let suggestion = closest(world, worlds.iter().map(String::as_str))
                .map(|w| format!("; did you mean `{name}/{w}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "; its worlds: {}",
                        worlds
                            .iter()
                            .map(|w| format!("`{w}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
            diagnostics.push(config_diagnostic(
                file,
                span,
                format!("[[component]] world `{written}`: package {name} has no world `{world}`{suggestion}"),
            ));
            continue;
        }
        let other_version = packages.iter().find(|(name, v, worlds)| {
            name == package && v.is_some() && worlds.iter().any(|w| w == world)
        });
        if let (Some((name, Some(v), _)), Some(version)) = (other_version, version) {
            diagnostics.push(config_diagnostic(
                file,
                span,
                format!("[[component]] world `{written}`: no package `{package}@{version}` here; did you mean `{name}/{world}@{v}`?"),
            ));
            continue;
        }
        let near = closest(package, packages.iter().map(|(name, _, _)| name.as_str()));
        if let Some(near) = near {
            let worlds = &packages.iter().find(|(name, _, _)| name == near).unwrap().2;
            let world = closest(world, worlds.iter().map(String::as_str))
                .or_else(|| worlds.iter().find(|w| *w == world).map(String::as_str))
                .unwrap_or(world);
            diagnostics.push(config_diagnostic(
                file,
                span,
                format!("[[component]] world `{written}`: no package `{package}` here; did you mean `{near}/{world}`?"),
            ));
        }
    }
    diagnostics
}

/// The candidate one or two typos away from `typed` (at most a third of
/// its length), the closest first.
fn closest<'a>(typed: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .filter_map(|candidate| {
            let distance = strsim::damerau_levenshtein(typed, candidate);
            (distance > 0 && distance <= (typed.chars().count() / 3).max(1))
                .then_some((distance, candidate))
        })
        .min()
        .map(|(_, candidate)| candidate)
}
