//! The settings a run lens runs with: `wasmlens.toml`'s `[run]` over the
//! editor's `wasmlens.run.*` settings, as the runtime's limits and
//! capabilities.
//!
//! The editor always runs with limits: a value neither sets takes the
//! editor default ([`Limits::editor`]), never "unlimited". Capabilities are
//! only what `[run]` and those settings grant; nothing else (not the
//! server's environment) reaches a guest. The workspace file wins over the
//! editor's settings, value by value ([`RunSettings::over`]).

use std::path::{Path, PathBuf};

use wasmlens_runtime::{Capabilities, DirGrant, Limits, Stdio};

use crate::analysis::Config;
use crate::analysis::config::{ConfigError, LoadedConfig, RunSettings};

/// The configuration that applies to files under `dir`, and the directory
/// relative paths in it start from (the one that holds `wasmlens.toml`).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub config: Config,
    pub file: Option<PathBuf>,
    /// What `wasi:cli/run` gets after its own name (a Run lens' arguments).
    pub program_args: Vec<String>,
    /// The editor's `[run]`, under the file's.
    pub editor: RunSettings,
}

impl Settings {
    /// The nearest `wasmlens.toml` at or above `dir`; one with mistakes is
    /// its first mistake (the editor shows them all as diagnostics).
    pub fn discover(dir: &Path) -> Result<Settings, (PathBuf, ConfigError)> {
        let loaded = LoadedConfig::discover(dir);
        if let (Some(file), Some(error)) = (&loaded.file, loaded.errors.first()) {
            return Err((file.clone(), error.clone()));
        }
        Ok(Settings {
            config: loaded.config,
            file: loaded.file,
            ..Settings::default()
        })
    }

    /// Where `[[component]] path`, `[run] dirs` and `[discovery] dirs` are
    /// relative to; without a `wasmlens.toml`, `fallback`.
    pub fn base<'a>(&'a self, fallback: &'a Path) -> &'a Path {
        self.file
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(fallback)
    }

    /// `[run]` over the editor's settings.
    pub fn run(&self) -> RunSettings {
        self.config.run.over(&self.editor)
    }

    /// The limits of `[run]` over the editor's settings, over the editor's
    /// defaults.
    pub fn limits(&self) -> Limits {
        let run = self.run();
        let defaults = Limits::editor();
        Limits {
            fuel: run.fuel.or(defaults.fuel),
            timeout: run.timeout.or(defaults.timeout),
            max_memory: run.max_memory.or(defaults.max_memory),
            ..defaults
        }
    }

    /// The grants of `[run]` over the editor's, with `stdio` for the guest's
    /// output; relative directories start at `base`.
    pub fn capabilities(&self, base: &Path, stdio: Stdio) -> Capabilities {
        let run = self.run();
        Capabilities {
            dirs: run
                .dirs
                .iter()
                .map(|d| DirGrant {
                    host: base.join(&d.host),
                    guest: d.guest.clone().unwrap_or_else(|| d.host.clone()),
                    read_only: d.read_only,
                })
                .collect(),
            env: run.env.into_iter().collect(),
            inherit_env: run.inherit_env.unwrap_or(false),
            allow_net: run.allow_net.unwrap_or(false),
            args: Vec::new(),
            stdio,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::analysis::config::{RunDir, WrittenRun, WrittenValue};

    fn settings(toml: &str, editor: RunSettings) -> Settings {
        let (config, errors) = Config::parse_all(toml);
        assert!(errors.is_empty(), "{errors:?}");
        Settings {
            config,
            editor,
            ..Settings::default()
        }
    }

    #[test]
    fn unset_limits_are_the_editor_defaults() {
        assert_eq!(
            settings("", RunSettings::default()).limits(),
            Limits::editor()
        );
        let set = settings(
            "[run]\nfuel = 5\ntimeout = \"250ms\"\nmax-memory = \"1MiB\"\n",
            RunSettings::default(),
        )
        .limits();
        assert_eq!(set.fuel, Some(5));
        assert_eq!(set.timeout, Some(std::time::Duration::from_millis(250)));
        assert_eq!(set.max_memory, Some(1 << 20));
        assert_eq!(set.max_instances, Limits::editor().max_instances);
    }

    #[test]
    fn bad_values_point_at_themselves() {
        let text = "[run]\ntimeout = \"5 parsecs\"\n";
        let (config, errors) = Config::parse_all(text);
        assert!(
            errors[0].message.starts_with("[run] timeout:"),
            "{}",
            errors[0].message
        );
        assert_eq!(&text[errors[0].span.clone().unwrap()], "\"5 parsecs\"");
        assert_eq!(config.run.timeout, None, "the wrong value is left out");
    }

    fn editor() -> RunSettings {
        let (run, errors) = WrittenRun {
            fuel: Some(7),
            timeout: Some(WrittenValue {
                text: "2s".into(),
                name: "setting wasmlens.run.timeout".into(),
                span: None,
            }),
            max_memory: Some(WrittenValue {
                text: "8MiB".into(),
                name: "setting wasmlens.run.maxMemory".into(),
                span: None,
            }),
            dirs: vec![RunDir {
                host: "/data".into(),
                guest: Some("/d".into()),
                read_only: true,
            }],
            env: BTreeMap::from([("A".into(), "editor".into()), ("B".into(), "editor".into())]),
            allow_net: Some(true),
            inherit_env: None,
            mocks: Vec::new(),
            plugs: Vec::new(),
        }
        .read();
        assert!(errors.is_empty());
        run
    }

    #[test]
    fn the_file_wins_over_the_editor_value_by_value() {
        let base = Path::new("/project");
        let layered = settings("", editor());
        let (limits, caps) = (layered.limits(), layered.capabilities(base, Stdio::Inherit));
        assert_eq!(limits.fuel, Some(7));
        assert_eq!(limits.timeout, Some(std::time::Duration::from_secs(2)));
        assert_eq!(limits.max_memory, Some(8 << 20));
        assert_eq!(caps.dirs.len(), 1);
        assert_eq!(caps.dirs[0].host, Path::new("/data"));
        assert_eq!(caps.dirs[0].guest, "/d");
        assert!(caps.dirs[0].read_only);
        assert!(caps.allow_net);

        let toml = "[run]\ntimeout = \"1s\"\nallow-net = false\ndirs = [{ host = \"out\" }]\nenv = { B = \"file\" }\n";
        let layered = settings(toml, editor());
        let (limits, caps) = (layered.limits(), layered.capabilities(base, Stdio::Inherit));
        assert_eq!(limits.fuel, Some(7), "unset in the file: the editor's");
        assert_eq!(limits.timeout, Some(std::time::Duration::from_secs(1)));
        assert_eq!(caps.dirs.len(), 1);
        assert_eq!(caps.dirs[0].host, Path::new("/project/out"));
        assert!(!caps.allow_net);
        let env: BTreeMap<_, _> = caps.env.into_iter().collect();
        assert_eq!(env["A"], "editor");
        assert_eq!(env["B"], "file");
    }

    #[test]
    fn nothing_set_anywhere_is_the_editor_default_with_no_grants() {
        let layered = settings("", RunSettings::default());
        let caps = layered.capabilities(Path::new("/p"), Stdio::Inherit);
        assert_eq!(layered.limits(), Limits::editor());
        assert!(
            caps.dirs.is_empty() && caps.env.is_empty() && !caps.allow_net && !caps.inherit_env
        );
    }

    #[test]
    fn a_bad_editor_value_names_the_setting() {
        let (_, errors) = WrittenRun {
            max_memory: Some(WrittenValue {
                text: "lots".into(),
                name: "setting wasmlens.run.maxMemory".into(),
                span: None,
            }),
            ..WrittenRun::default()
        }
        .read();
        assert!(
            errors[0]
                .message
                .starts_with("setting wasmlens.run.maxMemory:"),
            "{}",
            errors[0].message
        );
    }
}
