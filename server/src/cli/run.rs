//! `wasmlens run`: runs a command component or WASI program, invokes an
//! export with WAVE arguments (`--invoke`), or lists exports (`--list`).
//! Nothing is granted unless asked for: no files, env or network.

use std::path::PathBuf;

use clap::Args;
use wasmlens_runtime::{
    Artifact, Capabilities, DirGrant, EngineOptions, ExportKind, LimitHit, Limits,
    PrecompiledPolicy, Prepared, RunError, Runtime, Stdio, default_cache_dir, exports, imports,
    load_file,
};

use super::exit;
use crate::analysis::config::units;

/// Exit code of a run that a trap or a limit stopped (as `wasmtime run`).
const TRAPPED: u8 = 134;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The component or module: `.wasm`, `.wat`, or `.cwasm` with
    /// `--allow-precompiled`.
    pub file: PathBuf,
    /// Arguments for the program (`argv[1..]`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
    /// Call an export instead of running the command: a WAVE call such as
    /// `add(1, 2)`, `greet("x")` or `ns:pkg/iface@1.0.0.f(…)`.
    #[arg(long, value_name = "CALL")]
    pub invoke: Option<String>,
    /// List the imports and exports with their WIT types, and exit.
    #[arg(long)]
    pub list: bool,
    /// With `--list`: JSON instead of text.
    #[arg(long, requires = "list")]
    pub json: bool,
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
    /// Let the guest use the network (denied by default).
    #[arg(long)]
    pub allow_net: bool,
    /// Stop the guest after this much fuel (about one unit per instruction).
    #[arg(long, value_name = "N")]
    pub fuel: Option<u64>,
    /// Stop the guest after this long: `500ms`, `2s`, `1m`.
    #[arg(long, value_name = "DURATION", value_parser = units::parse_duration)]
    pub timeout: Option<std::time::Duration>,
    /// Limit the guest's linear memory: `64MiB`, `1GiB`.
    #[arg(long, value_name = "SIZE", value_parser = units::parse_size)]
    pub max_memory: Option<u64>,
    #[arg(long, value_name = "N")]
    pub max_instances: Option<usize>,
    #[arg(long, value_name = "N")]
    pub max_tables: Option<usize>,
    /// Do not use (or fill) the compiled-code cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Accept precompiled native code (`.cwasm` made by `wasmlens compile`).
    #[arg(long)]
    pub allow_precompiled: bool,
}

#[derive(Debug, Args)]
pub struct CompileArgs {
    /// The component or module to compile (`.wasm` or `.wat`).
    pub file: PathBuf,
    /// Where to write the native code (default: FILE with `.cwasm`).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(args: &RunArgs) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(Failure(code, message)) => {
            eprintln!("error: {message}");
            code
        }
    }
}

struct Failure(u8, String);

fn usage(message: impl Into<String>) -> Failure {
    Failure(exit::FAILURE, message.into())
}

fn runtime(fuel: bool, epochs: bool, no_cache: bool) -> Result<Runtime, Failure> {
    Runtime::with_options(EngineOptions {
        cache_dir: if no_cache { None } else { default_cache_dir() },
        fuel,
        epochs,
        pooling: false,
        guest_debug: false,
    })
    .map_err(|e| usage(format!("{e:#}")))
}

fn run_inner(args: &RunArgs) -> Result<u8, Failure> {
    let runtime = runtime(args.fuel.is_some(), args.timeout.is_some(), args.no_cache)?;
    let policy = if args.allow_precompiled {
        PrecompiledPolicy::Allow
    } else {
        PrecompiledPolicy::Refuse
    };
    let artifact = load_file(&runtime, &args.file, policy).map_err(|e| usage(format!("{e:#}")))?;
    if args.list {
        return list(&runtime, &artifact, args.json);
    }
    let capabilities = capabilities(args)?;
    let limits = Limits {
        fuel: args.fuel,
        timeout: args.timeout,
        max_memory: args.max_memory,
        max_instances: args.max_instances,
        max_tables: args.max_tables,
        cancel: None,
    };
    let prepared = Prepared::new(&runtime, &artifact).map_err(|e| usage(format!("{e:#}")))?;
    let executor = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| usage(format!("cannot start: {e}")))?;
    let outcome = executor.block_on(async {
        match &args.invoke {
            Some(call) => prepared
                .invoke(call, &capabilities, &limits)
                .await
                .map(|invocation| {
                    for result in invocation.results {
                        println!("{result}");
                    }
                    0
                }),
            None => prepared.run(&capabilities, &limits).await,
        }
    });
    match outcome {
        Ok(code) => Ok(u8::try_from(code).unwrap_or(1)),
        Err(error @ (RunError::Trap(_) | RunError::Limit(..))) => {
            let mut message = error.to_string();
            if let RunError::Limit(hit, _) = &error {
                message.push_str(remedy(hit));
            }
            if let RunError::Limit(_, frames) = &error
                && !frames.is_empty()
            {
                message.push_str("\nwasm backtrace:");
                for (i, frame) in frames.iter().enumerate() {
                    message.push_str(&format!("\n  {i}: {frame}"));
                }
            }
            Err(Failure(TRAPPED, message))
        }
        Err(RunError::Exit(code)) => Ok(u8::try_from(code).unwrap_or(1)),
        Err(error) => Err(usage(error.to_string())),
    }
}

/// How to raise the limit that stopped a run, as a flag of this command.
fn remedy(hit: &LimitHit) -> &'static str {
    match hit {
        LimitHit::Fuel(_) => "; raise it with `--fuel`",
        LimitHit::Timeout(_) => "; raise it with `--timeout`",
        LimitHit::Memory(_) => "; raise it with `--max-memory`",
        LimitHit::Instances(_) => "; raise it with `--max-instances`",
        LimitHit::Tables(_) => "; raise it with `--max-tables`",
        LimitHit::Cancelled => "",
    }
}

fn capabilities(args: &RunArgs) -> Result<Capabilities, Failure> {
    let mut dirs = Vec::new();
    for (text, read_only) in args
        .dirs
        .iter()
        .map(|d| (d, false))
        .chain(args.dirs_ro.iter().map(|d| (d, true)))
    {
        dirs.push(DirGrant::parse(text, read_only).map_err(|e| usage(format!("--dir: {e}")))?);
    }
    let mut env = Vec::new();
    for entry in &args.env {
        match entry.split_once('=') {
            Some((name, value)) => env.push((name.to_string(), value.to_string())),
            None => {
                if let Ok(value) = std::env::var(entry) {
                    env.push((entry.clone(), value));
                }
            }
        }
    }
    let program = args.file.display().to_string();
    Ok(Capabilities {
        dirs,
        env,
        inherit_env: args.inherit_env,
        allow_net: args.allow_net,
        args: std::iter::once(program)
            .chain(args.args.iter().cloned())
            .collect(),
        stdio: Stdio::Inherit,
    })
}

fn list(runtime: &Runtime, artifact: &Artifact, json: bool) -> Result<u8, Failure> {
    let Artifact::Component(component) = artifact else {
        return Err(usage(
            "`--list` shows the WIT types of a component; this is a core module",
        ));
    };
    let sections = [
        ("import", imports(runtime, component)),
        ("export", exports(runtime, component)),
    ];
    if json {
        let mut document = serde_json::Map::new();
        for (section, items) in &sections {
            let items: Vec<serde_json::Value> = items
                .iter()
                .map(|item| {
                    let (kind, signature) = describe(&item.kind);
                    serde_json::json!({"name": item.name, "kind": kind, "signature": signature})
                })
                .collect();
            document.insert(format!("{section}s"), items.into());
        }
        println!("{}", serde_json::Value::Object(document));
    } else {
        for (section, items) in &sections {
            for item in items {
                let (kind, signature) = describe(&item.kind);
                match signature {
                    Some(signature) => {
                        println!("{section} {}: {signature}", display_name(&item.name))
                    }
                    None => println!("{section} {} ({kind})", display_name(&item.name)),
                }
            }
        }
    }
    Ok(exit::CLEAN)
}

/// `iface#f` as a call names it: `iface.f`.
fn display_name(name: &str) -> String {
    name.replacen('#', ".", 1)
}

fn describe(kind: &ExportKind) -> (&'static str, Option<String>) {
    match kind {
        ExportKind::Function { signature } => ("function", Some(signature.clone())),
        ExportKind::Resource => ("resource", None),
        ExportKind::Type => ("type", None),
        ExportKind::Module => ("module", None),
        ExportKind::Component => ("component", None),
    }
}

pub fn compile(args: &CompileArgs) -> u8 {
    let result = (|| -> Result<PathBuf, Failure> {
        let runtime = runtime(false, false, true)?;
        let bytes = std::fs::read(&args.file)
            .map_err(|e| usage(format!("cannot read {}: {e}", args.file.display())))?;
        let compiled =
            wasmlens_runtime::precompile(&runtime, &bytes).map_err(|e| usage(format!("{e:#}")))?;
        let output = args
            .output
            .clone()
            .unwrap_or_else(|| args.file.with_extension("cwasm"));
        std::fs::write(&output, compiled)
            .map_err(|e| usage(format!("cannot write {}: {e}", output.display())))?;
        Ok(output)
    })();
    match result {
        Ok(_) => exit::CLEAN,
        Err(Failure(code, message)) => {
            eprintln!("error: {message}");
            code
        }
    }
}
