//! `wasmlens run`: runs a command component or WASI program, invokes an
//! export with WAVE arguments (`--invoke`), or lists exports (`--list`).
//! Nothing is granted unless asked for: no files, env or network.

use std::path::PathBuf;

use clap::Args;
use wasmlens_runtime::{
    Artifact, ExportKind, ImportStatus, LimitHit, Prepared, RunError, Runtime, exports, imports,
};

use super::exit;
use super::guest::{Failure, GuestArgs, runtime, usage};

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
    #[command(flatten)]
    pub guest: GuestArgs,
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

fn run_inner(args: &RunArgs) -> Result<u8, Failure> {
    let runtime = args.guest.runtime()?;
    let artifact = args.guest.load(&runtime, &args.file)?;
    let provisions = args.guest.provisions(&runtime)?;
    let prepared =
        Prepared::with(&runtime, &artifact, &provisions).map_err(|e| usage(format!("{e:#}")))?;
    if args.list {
        return list(&runtime, &artifact, &prepared, args.json);
    }
    let capabilities = args
        .guest
        .capabilities(args.file.display().to_string(), &args.args)?;
    let limits = args.guest.limits();
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

/// Imports and exports with their WIT types; each imported function says
/// how it is satisfied (provided, mocked, plugged or stubbed).
fn list(
    runtime: &Runtime,
    artifact: &Artifact,
    prepared: &Prepared,
    json: bool,
) -> Result<u8, Failure> {
    let Artifact::Component(component) = artifact else {
        return Err(usage(
            "`--list` shows the WIT types of a component; this is a core module",
        ));
    };
    let statuses = prepared.import_statuses();
    let status_of = |section: &str, name: &str| {
        (section == "import")
            .then(|| statuses.get(&display_name(name)))
            .flatten()
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
                    let mut entry = serde_json::json!({"name": item.name, "kind": kind, "signature": signature});
                    if let Some(status) = status_of(section, &item.name) {
                        entry["status"] = status.label().into();
                        match status {
                            ImportStatus::Mocked(value) => entry["mock"] = value.clone().into(),
                            ImportStatus::Plugged(path) => {
                                entry["plug"] = path.display().to_string().into()
                            }
                            ImportStatus::Provided | ImportStatus::Stubbed => {}
                        }
                    }
                    entry
                })
                .collect();
            document.insert(format!("{section}s"), items.into());
        }
        println!("{}", serde_json::Value::Object(document));
    } else {
        for (section, items) in &sections {
            for item in items {
                let (kind, signature) = describe(&item.kind);
                let status = match status_of(section, &item.name) {
                    Some(ImportStatus::Mocked(value)) => format!("  [mocked: {value}]"),
                    Some(ImportStatus::Plugged(path)) => {
                        format!("  [plugged: {}]", path.display())
                    }
                    Some(status) => format!("  [{}]", status.label()),
                    None => String::new(),
                };
                match signature {
                    Some(signature) => {
                        println!(
                            "{section} {}: {signature}{status}",
                            display_name(&item.name)
                        )
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
