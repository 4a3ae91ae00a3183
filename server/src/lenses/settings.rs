//! `wasmlens.toml`'s `[run]` section as the runtime's limits and
//! capabilities, and its mistakes as diagnostics in that file.
//!
//! The editor always runs with limits: a value `[run]` leaves out takes the
//! editor default ([`Limits::editor`]), never "unlimited". Capabilities are
//! only what `[run]` grants; nothing else (not the server's environment)
//! reaches a guest.

use std::ops::Range;
use std::path::{Path, PathBuf};

use wasmlens_runtime::limits::{parse_duration, parse_size};
use wasmlens_runtime::{Capabilities, DirGrant, Limits, Stdio};

use crate::analysis::config::{CONFIG_FILE, RunSection};
use crate::analysis::{Code, Config, Diagnostic, Severity};
use crate::syntax::{TextRange, TextSize};

/// A mistake in `wasmlens.toml`, with its place (bytes of the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    pub message: String,
    pub span: Option<Range<usize>>,
}

/// The configuration that applies to files under `dir`, and the directory
/// relative paths in it start from (the one that holds `wasmlens.toml`).
#[derive(Debug, Clone)]
pub struct Settings {
    pub config: Config,
    pub file: Option<PathBuf>,
    /// What `wasi:cli/run` gets after its own name (a Run lens' arguments).
    pub program_args: Vec<String>,
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
                    program_args: Vec::new(),
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
        Ok(Settings {
            config: Config::default(),
            file: None,
            program_args: Vec::new(),
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

    /// The limits of `[run]` over the editor's defaults.
    pub fn limits(&self) -> Result<Limits, SettingError> {
        limits(&self.config.run)
    }

    /// The grants of `[run]`, with `stdio` for the guest's output.
    pub fn capabilities(&self, base: &Path, stdio: Stdio) -> Capabilities {
        let run = &self.config.run;
        Capabilities {
            dirs: run
                .dirs
                .iter()
                .map(|dir| DirGrant {
                    host: base.join(&dir.host),
                    guest: dir.guest.clone().unwrap_or_else(|| dir.host.clone()),
                    read_only: dir.read_only,
                })
                .collect(),
            env: run
                .env
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            inherit_env: false,
            allow_net: run.allow_net,
            args: Vec::new(),
            stdio,
        }
    }
}

fn limits(run: &RunSection) -> Result<Limits, SettingError> {
    let mut limits = Limits::editor();
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
        assert_eq!(limits(&run_section("")).unwrap(), Limits::editor());
        let set = limits(&run_section(
            "[run]\nfuel = 5\ntimeout = \"250ms\"\nmax-memory = \"1MiB\"\n",
        ))
        .unwrap();
        assert_eq!(set.fuel, Some(5));
        assert_eq!(set.timeout, Some(std::time::Duration::from_millis(250)));
        assert_eq!(set.max_memory, Some(1 << 20));
        assert_eq!(set.max_instances, Limits::editor().max_instances);
    }

    #[test]
    fn bad_values_point_at_themselves() {
        let text = "[run]\ntimeout = \"5 parsecs\"\n";
        let error = limits(&run_section(text)).unwrap_err();
        assert!(
            error.message.starts_with("[run] timeout:"),
            "{}",
            error.message
        );
        assert_eq!(&text[error.span.unwrap()], "\"5 parsecs\"");
    }
}
