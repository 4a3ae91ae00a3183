//! `wasmlens.toml`'s `[run]` section as the runtime's limits and
//! capabilities, and its mistakes as diagnostics in that file.
//!
//! The editor always runs with limits: a value `[run]` leaves out takes the
//! editor's setting ([`EditorRun`], VS Code's `wasmlens.run.*`), else the
//! editor default ([`Limits::editor`]), never "unlimited". Capabilities are
//! only what `[run]` and those settings grant; nothing else (not the
//! server's environment) reaches a guest. The workspace file wins over the
//! editor's settings, value by value.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use wasmlens_runtime::limits::{parse_duration, parse_size};
use wasmlens_runtime::{Capabilities, DirGrant, Limits, Stdio};

use serde::Deserialize;

use crate::analysis::config::{CONFIG_FILE, RunSection};
use crate::analysis::{Code, Config, Diagnostic, Severity};
use crate::syntax::{TextRange, TextSize};

/// A mistake in `wasmlens.toml`, with its place (bytes of the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    pub message: String,
    pub span: Option<Range<usize>>,
}

/// `[run]` as the editor's settings give it (`initializationOptions.run`,
/// or `wasmlens.run` in `workspace/didChangeConfiguration`): the layer
/// under `wasmlens.toml`. Relative `dirs` start where the toml's do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EditorRun {
    pub fuel: Option<u64>,
    pub timeout: Option<String>,
    pub max_memory: Option<String>,
    pub dirs: Vec<EditorDir>,
    pub env: BTreeMap<String, String>,
    pub allow_net: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EditorDir {
    pub host: String,
    pub guest: Option<String>,
    #[serde(default)]
    pub read_only: bool,
}

impl EditorRun {
    /// The settings' mistakes, named as the user sees the setting.
    pub fn check(&self) -> Result<(), String> {
        editor_limits(self, Limits::editor())
            .map(|_| ())
            .map_err(|e| e.message)
    }
}

/// The configuration that applies to files under `dir`, and the directory
/// relative paths in it start from (the one that holds `wasmlens.toml`).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub config: Config,
    pub file: Option<PathBuf>,
    /// What `wasi:cli/run` gets after its own name (a Run lens' arguments).
    pub program_args: Vec<String>,
    /// The editor's `[run]`, under the file's.
    pub editor: EditorRun,
}

impl Settings {
    /// The nearest `wasmlens.toml` at or above `dir`; a broken one is an
    /// error with its place.
    pub fn discover(dir: &Path) -> Result<Settings, (PathBuf, SettingError)> {
        let start = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        for ancestor in start.ancestors() {
            let file = ancestor.join(CONFIG_FILE);
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            return match Config::parse_spanned(&text) {
                Ok(config) => Ok(Settings {
                    config,
                    file: Some(file),
                    ..Settings::default()
                }),
                Err(e) => Err((
                    file,
                    SettingError {
                        message: e.message,
                        span: e.span,
                    },
                )),
            };
        }
        Ok(Settings::default())
    }

    /// Where `[[component]] path`, `[run] dirs` and `[discovery] dirs` are
    /// relative to; without a `wasmlens.toml`, `fallback`.
    pub fn base<'a>(&'a self, fallback: &'a Path) -> &'a Path {
        self.file
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(fallback)
    }

    /// The limits of `[run]` over the editor's settings, over the editor's
    /// defaults.
    pub fn limits(&self) -> Result<Limits, SettingError> {
        limits(
            &self.config.run,
            editor_limits(&self.editor, Limits::editor())?,
        )
    }

    /// The grants of `[run]`, with `stdio` for the guest's output.
    /// `dirs` are the file's when it lists any, else the editor's; `env`
    /// is the editor's with the file's on top.
    pub fn capabilities(&self, base: &Path, stdio: Stdio) -> Capabilities {
        let run = &self.config.run;
        let grant = |host: &str, guest: &Option<String>, read_only: bool| DirGrant {
            host: base.join(host),
            guest: guest.clone().unwrap_or_else(|| host.to_string()),
            read_only,
        };
        let dirs = if run.dirs.is_empty() {
            let editor = self.editor.dirs.iter();
            editor
                .map(|d| grant(&d.host, &d.guest, d.read_only))
                .collect()
        } else {
            let file = run.dirs.iter();
            file.map(|d| grant(&d.host, &d.guest, d.read_only))
                .collect()
        };
        let mut env = self.editor.env.clone();
        env.extend(run.env.iter().map(|(k, v)| (k.clone(), v.clone())));
        Capabilities {
            dirs,
            env: env.into_iter().collect(),
            inherit_env: false,
            allow_net: run.allow_net.or(self.editor.allow_net).unwrap_or(false),
            args: Vec::new(),
            stdio,
        }
    }
}

/// The editor's limits over `limits`; a mistake names the setting.
fn editor_limits(editor: &EditorRun, mut limits: Limits) -> Result<Limits, SettingError> {
    let mistake = |setting: &str, message: String| SettingError {
        message: format!("setting wasmlens.run.{setting}: {message}"),
        span: None,
    };
    if let Some(fuel) = editor.fuel {
        limits.fuel = Some(fuel);
    }
    if let Some(timeout) = &editor.timeout {
        limits.timeout = Some(parse_duration(timeout).map_err(|m| mistake("timeout", m))?);
    }
    if let Some(size) = &editor.max_memory {
        limits.max_memory = Some(parse_size(size).map_err(|m| mistake("maxMemory", m))?);
    }
    Ok(limits)
}

/// `[run]`'s limits over `limits`.
fn limits(run: &RunSection, mut limits: Limits) -> Result<Limits, SettingError> {
    if let Some(fuel) = &run.fuel {
        limits.fuel = Some(*fuel.get_ref());
    }
    if let Some(timeout) = &run.timeout {
        limits.timeout =
            Some(
                parse_duration(timeout.get_ref()).map_err(|message| SettingError {
                    message: format!("[run] timeout: {message}"),
                    span: Some(timeout.span()),
                })?,
            );
    }
    if let Some(size) = &run.max_memory {
        limits.max_memory = Some(parse_size(size.get_ref()).map_err(|message| SettingError {
            message: format!("[run] max-memory: {message}"),
            span: Some(size.span()),
        })?);
    }
    Ok(limits)
}

/// The diagnostics of the `wasmlens.toml` that applies to `dir`: a file
/// that does not parse, or `[run]` values the runtime cannot read.
pub fn config_diagnostics(dir: &Path) -> Vec<Diagnostic> {
    let (file, error) = match Settings::discover(dir) {
        Err((file, error)) => (file, error),
        Ok(settings) => match (settings.limits(), settings.file) {
            (Err(error), Some(file)) => (file, error),
            _ => return Vec::new(),
        },
    };
    let range = error.span.map(|span| {
        TextRange::new(
            TextSize::from(span.start as u32),
            TextSize::from(span.end as u32),
        )
    });
    vec![Diagnostic {
        path: file,
        range,
        severity: Severity::Error,
        code: Code::Config,
        message: error.message,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_section(text: &str) -> RunSection {
        Config::parse_spanned(text).unwrap().run
    }

    #[test]
    fn unset_limits_are_the_editor_defaults() {
        assert_eq!(
            limits(&run_section(""), Limits::editor()).unwrap(),
            Limits::editor()
        );
        let set = limits(
            &run_section("[run]\nfuel = 5\ntimeout = \"250ms\"\nmax-memory = \"1MiB\"\n"),
            Limits::editor(),
        )
        .unwrap();
        assert_eq!(set.fuel, Some(5));
        assert_eq!(set.timeout, Some(std::time::Duration::from_millis(250)));
        assert_eq!(set.max_memory, Some(1 << 20));
        assert_eq!(set.max_instances, Limits::editor().max_instances);
    }

    #[test]
    fn bad_values_point_at_themselves() {
        let text = "[run]\ntimeout = \"5 parsecs\"\n";
        let error = limits(&run_section(text), Limits::editor()).unwrap_err();
        assert!(
            error.message.starts_with("[run] timeout:"),
            "{}",
            error.message
        );
        assert_eq!(&text[error.span.unwrap()], "\"5 parsecs\"");
    }

    /// One case of layering: the editor's settings (JSON, as VS Code sends
    /// them) under a `wasmlens.toml`.
    fn layered(editor: serde_json::Value, toml: &str) -> (Limits, Capabilities) {
        let settings = Settings {
            config: Config::parse_spanned(toml).unwrap(),
            editor: serde_json::from_value(editor).unwrap(),
            ..Settings::default()
        };
        let base = Path::new("/project");
        (
            settings.limits().unwrap(),
            settings.capabilities(base, Stdio::Inherit),
        )
    }

    #[test]
    fn the_file_wins_over_the_editor_value_by_value() {
        let editor = serde_json::json!({
            "fuel": 7, "timeout": "2s", "maxMemory": "8MiB",
            "dirs": [{"host": "/data", "guest": "/d", "readOnly": true}],
            "env": {"A": "editor", "B": "editor"}, "allowNet": true
        });
        let (limits, caps) = layered(editor.clone(), "");
        assert_eq!(limits.fuel, Some(7));
        assert_eq!(limits.timeout, Some(std::time::Duration::from_secs(2)));
        assert_eq!(limits.max_memory, Some(8 << 20));
        assert_eq!(caps.dirs.len(), 1);
        assert_eq!(caps.dirs[0].host, Path::new("/data"));
        assert_eq!(caps.dirs[0].guest, "/d");
        assert!(caps.dirs[0].read_only);
        assert!(caps.allow_net);

        let toml = "[run]\ntimeout = \"1s\"\nallow-net = false\ndirs = [{ host = \"out\" }]\nenv = { B = \"file\" }\n";
        let (limits, caps) = layered(editor, toml);
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
        let (limits, caps) = layered(serde_json::json!({}), "");
        assert_eq!(limits, Limits::editor());
        assert!(caps.dirs.is_empty() && caps.env.is_empty() && !caps.allow_net);
    }

    #[test]
    fn a_bad_editor_value_names_the_setting() {
        let run: EditorRun =
            serde_json::from_value(serde_json::json!({"maxMemory": "lots"})).unwrap();
        let message = run.check().unwrap_err();
        assert!(
            message.starts_with("setting wasmlens.run.maxMemory:"),
            "{message}"
        );
    }
}
