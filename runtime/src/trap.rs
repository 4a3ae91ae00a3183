//! What went wrong in a run, as values: a limit, a trap with its frames
//! (source locations when the module has DWARF), the guest's exit code, a
//! bad call, or another failure.

use wasmtime::{Trap, WasmBacktrace};
use wasmtime_wasi::I32Exit;

use crate::limits::{LimitHit, Limits};

/// A frame of a trap's wasm backtrace, innermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The function's name from the name section, else `<wasm function N>`.
    pub function: String,
    /// The module's name, when it has one.
    pub module: Option<String>,
    /// Offset of the instruction in the module, when known.
    pub offset: Option<usize>,
    /// Where in the source, from DWARF.
    pub location: Option<SourceLocation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    pub file: String,
    pub line: u32,
    pub column: Option<u32>,
}

impl std::fmt::Display for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(module) = &self.module {
            write!(f, "{module}!")?;
        }
        write!(f, "{}", self.function)?;
        if let Some(location) = &self.location {
            write!(f, " at {}:{}", location.file, location.line)?;
            if let Some(column) = location.column {
                write!(f, ":{column}")?;
            }
        } else if let Some(offset) = self.offset {
            write!(f, " (offset {offset:#x})")?;
        }
        Ok(())
    }
}

/// A trap: its kind in words and where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrapReport {
    pub message: String,
    pub frames: Vec<Frame>,
}

impl std::fmt::Display for TrapReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if !self.frames.is_empty() {
            write!(f, "\nwasm backtrace:")?;
            for (i, frame) in self.frames.iter().enumerate() {
                write!(f, "\n  {i}: {frame}")?;
            }
        }
        Ok(())
    }
}

/// Why a run or call did not return normally.
#[derive(Debug)]
pub enum RunError {
    /// The call itself is wrong: no such export, bad arguments.
    Call(String),
    /// A limit stopped the guest.
    Limit(LimitHit, Vec<Frame>),
    Trap(TrapReport),
    /// The guest exited (`exit(code)`); not a failure for a command.
    Exit(i32),
    /// Anything else: imports that cannot be satisfied, host errors.
    Failed(anyhow::Error),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Call(message) => write!(f, "{message}"),
            RunError::Limit(hit, _) => write!(f, "{hit}"),
            RunError::Trap(report) => write!(f, "{report}"),
            RunError::Exit(code) => write!(f, "exited with code {code}"),
            RunError::Failed(error) => write!(f, "{error:#}"),
        }
    }
}

impl std::error::Error for RunError {}

/// The frames of a backtrace attached to `error`.
pub(crate) fn frames_of(error: &wasmtime::Error) -> Vec<Frame> {
    let Some(backtrace) = error.downcast_ref::<WasmBacktrace>() else {
        return Vec::new();
    };
    backtrace
        .frames()
        .iter()
        .map(|frame| {
            let symbol = frame.symbols().first();
            Frame {
                function: frame
                    .func_name()
                    .map(str::to_string)
                    .or_else(|| symbol.and_then(|s| s.name()).map(str::to_string))
                    .unwrap_or_else(|| format!("<wasm function {}>", frame.func_index())),
                module: frame.module().name().map(str::to_string),
                offset: frame.module_offset(),
                location: symbol.and_then(|s| {
                    Some(SourceLocation {
                        file: s.file()?.to_string(),
                        line: s.line()?,
                        column: s.column(),
                    })
                }),
            }
        })
        .collect()
}

/// The error a cancelled run stops with.
#[derive(Debug)]
pub(crate) struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// Sorts a failed run's error into what it means.
pub(crate) fn classify(
    error: wasmtime::Error,
    limits: &Limits,
    memory_hit: Option<LimitHit>,
) -> RunError {
    if let Some(exit) = error.downcast_ref::<I32Exit>() {
        return RunError::Exit(exit.0);
    }
    let frames = frames_of(&error);
    if error.downcast_ref::<Cancelled>().is_some() {
        return RunError::Limit(LimitHit::Cancelled, frames);
    }
    // Instance and table counts are checked by Wasmtime at instantiation,
    // which says so only in words.
    let text = format!("{error:#}");
    if text.contains("instance count too high") {
        return RunError::Limit(
            LimitHit::Instances(limits.max_instances.unwrap_or(0)),
            frames,
        );
    }
    if text.contains("table count too high") {
        return RunError::Limit(LimitHit::Tables(limits.max_tables.unwrap_or(0)), frames);
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => RunError::Limit(LimitHit::Fuel(limits.fuel.unwrap_or(0)), frames),
        Some(Trap::Interrupt) => RunError::Limit(
            LimitHit::Timeout(limits.timeout.unwrap_or_default()),
            frames,
        ),
        // A guest refused memory that then traps (or fails in a host
        // call): the refusal is named as the likely cause.
        _ if memory_hit.is_some() => RunError::Limit(memory_hit.expect("checked"), frames),
        Some(trap) => {
            let text = trap.to_string();
            let message = if text.starts_with("wasm trap") {
                text
            } else {
                format!("wasm trap: {text}")
            };
            RunError::Trap(TrapReport { message, frames })
        }
        None if !frames.is_empty() => RunError::Trap(TrapReport {
            message: root_message(&error),
            frames,
        }),
        None => RunError::Failed(anyhow::Error::from(error)),
    }
}

/// The innermost message of an error chain.
fn root_message(error: &wasmtime::Error) -> String {
    error
        .chain()
        .last()
        .map(|e| e.to_string())
        .unwrap_or_else(|| error.to_string())
}
