//! The flags `run` and `serve` share: what the guest is granted, its
//! limits, and what stands in for the imports WASI does not provide.

use std::path::PathBuf;

use clap::Args;
use wasmlens_runtime::{
    Artifact, Capabilities, DirGrant, EngineOptions, Limits, Mock, Plug, PrecompiledPolicy,
    Provisions, Runtime, Stdio, default_cache_dir, load_file,
};

use super::exit;
use crate::analysis::config::units;

#[derive(Debug, Args)]
pub struct GuestArgs {
    /// Let the guest read and write a host directory: `HOST[::GUEST]`
    /// (`:ro` at the end makes it read-only).
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    pub dirs: Vec<String>,
    /// Let the guest read a host directory, not write it.
    #[arg(long = "dir-ro", value_name = "HOST[::GUEST]")]
    pub dirs_ro: Vec<String>,
    /// Give the guest an environment variable: `NAME=VALUE`, or `NAME` for
    /// this process's value.
    #[arg(long = "env", value_name = "NAME[=VALUE]")]
    pub env: Vec<String>,
    /// Give the guest this process's whole environment.
    #[arg(long)]
    pub inherit_env: bool,
    /// Let the guest use the network: sockets and outgoing HTTP (denied by
    /// default).
    #[arg(long)]
    pub allow_net: bool,
    /// Stop the guest after this much fuel (about one unit per instruction).
    #[arg(long, value_name = "N")]
    pub fuel: Option<u64>,
    /// Stop the guest after this long: `500ms`, `2s`, `1m`.
    #[arg(long, value_name = "DURATION", value_parser = units::parse_duration)]
    pub timeout: Option<std::time::Duration>,
    /// Limit the guest's linear memory: `64MiB`, `1GiB` (`memory.grow`
    /// past it returns -1).
    #[arg(long, value_name = "SIZE", value_parser = units::parse_size)]
    pub max_memory: Option<u64>,
    #[arg(long, value_name = "N")]
    pub max_instances: Option<usize>,
    #[arg(long, value_name = "N")]
    pub max_tables: Option<usize>,
    /// An import returns this WAVE value every time it is called:
    /// `ns:pkg/iface.func=VALUE` (`ns:pkg/iface@1.0.0.func` with a
    /// version, or a world-level function's name). Repeatable.
    #[arg(long = "mock", value_name = "IMPORT=WAVE")]
    pub mocks: Vec<String>,
    /// A component whose exports satisfy imports of this one, linked at
    /// run time. Repeatable.
    #[arg(long = "plug", value_name = "PROVIDER.wasm")]
    pub plugs: Vec<PathBuf>,
    /// Do not use (or fill) the compiled-code cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Accept precompiled native code (`.cwasm` made by `wasmlens compile`).
    #[arg(long)]
    pub allow_precompiled: bool,
}

/// A command that cannot go on: its exit code and message.
pub struct Failure(pub u8, pub String);

pub fn usage(message: impl Into<String>) -> Failure {
    Failure(exit::FAILURE, message.into())
}

pub fn runtime(fuel: bool, epochs: bool, no_cache: bool) -> Result<Runtime, Failure> {
    engine(fuel, epochs, no_cache, None)
}

/// An engine with a pool of `pool` instances (`None`: none).
pub fn engine(
    fuel: bool,
    epochs: bool,
    no_cache: bool,
    pool: Option<u32>,
) -> Result<Runtime, Failure> {
    Runtime::with_options(EngineOptions {
        cache_dir: if no_cache { None } else { default_cache_dir() },
        fuel,
        epochs,
        pooling: pool,
        guest_debug: false,
    })
    .map_err(|e| usage(format!("{e:#}")))
}

impl GuestArgs {
    /// The engine these flags need (fuel and epochs only when limited).
    pub fn runtime(&self) -> Result<Runtime, Failure> {
        runtime(self.fuel.is_some(), self.timeout.is_some(), self.no_cache)
    }

    /// The same for a server: instances pooled, as a request after
    /// request reuses them.
    pub fn server_runtime(&self) -> Result<Runtime, Failure> {
        engine(
            self.fuel.is_some(),
            self.timeout.is_some(),
            self.no_cache,
            Some(wasmlens_runtime::SERVER_POOL),
        )
    }

    pub fn policy(&self) -> PrecompiledPolicy {
        if self.allow_precompiled {
            PrecompiledPolicy::Allow
        } else {
            PrecompiledPolicy::Refuse
        }
    }

    pub fn load(&self, runtime: &Runtime, file: &std::path::Path) -> Result<Artifact, Failure> {
        load_file(runtime, file, self.policy()).map_err(|e| usage(format!("{e:#}")))
    }

    pub fn limits(&self) -> Limits {
        Limits {
            fuel: self.fuel,
            timeout: self.timeout,
            max_memory: self.max_memory,
            max_instances: self.max_instances,
            max_tables: self.max_tables,
            cancel: None,
        }
    }

    /// The mocks and plugs of the flags, plugs loaded.
    pub fn provisions(&self, runtime: &Runtime) -> Result<Provisions, Failure> {
        let mut provisions = Provisions::default();
        for text in &self.mocks {
            provisions
                .mocks
                .push(Mock::parse(text).map_err(|e| usage(format!("--mock: {e}")))?);
        }
        for path in &self.plugs {
            match self.load(runtime, path)? {
                Artifact::Component(component) => provisions.plugs.push(Plug {
                    path: path.clone(),
                    component,
                }),
                Artifact::Module(_) => {
                    return Err(usage(format!(
                        "--plug {}: a plug must be a component; this is a core module",
                        path.display()
                    )));
                }
            }
        }
        Ok(provisions)
    }

    /// What the guest is granted; `argv` is `program` then `args`.
    pub fn capabilities(&self, program: String, args: &[String]) -> Result<Capabilities, Failure> {
        let mut dirs = Vec::new();
        for (text, read_only) in self
            .dirs
            .iter()
            .map(|d| (d, false))
            .chain(self.dirs_ro.iter().map(|d| (d, true)))
        {
            dirs.push(DirGrant::parse(text, read_only).map_err(|e| usage(format!("--dir: {e}")))?);
        }
        let mut env = Vec::new();
        for entry in &self.env {
            match entry.split_once('=') {
                Some((name, value)) => env.push((name.to_string(), value.to_string())),
                None => {
                    if let Ok(value) = std::env::var(entry) {
                        env.push((entry.clone(), value));
                    }
                }
            }
        }
        Ok(Capabilities {
            dirs,
            env,
            inherit_env: self.inherit_env,
            allow_net: self.allow_net,
            args: std::iter::once(program)
                .chain(args.iter().cloned())
                .collect(),
            stdio: Stdio::Inherit,
        })
    }
}
