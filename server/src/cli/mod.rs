//! The command line: subcommands and output formats. The only layer that
//! knows about terminals, JSON, GitHub annotations and SARIF.

mod check;
mod fmt;
mod guest;
mod output;
mod position;
mod run;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use check::CheckArgs;
pub use fmt::FmtArgs;
pub use run::{CompileArgs, RunArgs};
pub use serve::ServeArgs;

/// wasmlens: the IDE toolkit for the WebAssembly Component Model.
#[derive(Debug, Parser)]
#[command(name = "wasmlens", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check WIT packages and report every problem, for people and for CI.
    Check(CheckArgs),
    /// Format WIT files in place (or, with --check, show what would change).
    Fmt(FmtArgs),
    /// Run the WIT language server on stdin/stdout (started by editors).
    Lsp,
    /// Run a Debug Adapter Protocol server on stdin/stdout: one debug
    /// session of a component (started by editors).
    Dap,
    /// Run a component or WASI program, or invoke one of its exports.
    Run(RunArgs),
    /// Serve a component that exports `wasi:http/incoming-handler`, a
    /// fresh instance per request (as `wasmtime serve`).
    Serve(ServeArgs),
    /// Compile a component or module to native code (`.cwasm`).
    Compile(CompileArgs),
}

/// Exit codes, as CI expects them.
pub mod exit {
    /// Nothing to report.
    pub const CLEAN: u8 = 0;
    /// Errors found (or warnings, with `--deny-warnings`).
    pub const FINDINGS: u8 = 1;
    /// Bad usage or an input that could not be read at all.
    pub const FAILURE: u8 = 2;
}

/// Runs the command line. `one_shot` is called before a command that does
/// its work once and exits (the binary switches its allocator to an arena
/// there); the language server, which runs for hours, never calls it.
pub fn main(one_shot: impl FnOnce()) -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => {
            one_shot();
            check::run(&args)
        }
        Command::Fmt(args) => {
            one_shot();
            fmt::run(&args)
        }
        Command::Run(args) => run::run(&args),
        // Long-running: never the one-shot allocator.
        Command::Serve(args) => serve::run(&args),
        Command::Compile(args) => run::compile(&args),
        Command::Dap => match crate::dap::run_stdio() {
            Ok(()) => exit::CLEAN,
            Err(e) => {
                eprintln!("error: the debug adapter failed: {e:#}");
                exit::FAILURE
            }
        },
        Command::Lsp => match crate::lsp::run_stdio() {
            Ok(()) => exit::CLEAN,
            Err(e) => {
                eprintln!("error: the language server could not start: {e:#}");
                exit::FAILURE
            }
        },
    };
    ExitCode::from(code)
}
