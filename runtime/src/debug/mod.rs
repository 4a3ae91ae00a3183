//! Debugging a component at the source level on Wasmtime's guest-debug
//! API: every Wasmtime debug call of wasmlens is in this module.
//!
//! A [`DebugSession`] runs one export call or one `wasi:cli/run` command
//! on a thread of its own, in a store of a debug engine
//! ([`crate::EngineOptions::for_debugging`]), and stops where the user
//! asks: breakpoints by source line or function, steps by line or
//! instruction, a pause, a trap. While stopped it answers questions about
//! the stack, the frames' source variables (from DWARF), wasm locals,
//! operand stacks and globals, watch expressions, and linear memory. The caller (the DAP server) speaks to it through plain
//! methods and hears from it through [`SessionEvent`]s.
//!
//! - `symbols`: a core module's line table and functions (DWARF, name
//!   section);
//! - `dwarf`: source variables (scopes, locations, C and Rust types,
//!   watch expressions);
//! - `conditions`: breakpoint conditions, hit counts and log messages;
//! - `values`: a stopped frame as `dwarf` reads it, and the values a
//!   session hands out;
//! - `session`: the session thread, the debug handler, stepping.
//!
//! Invariant: nothing here knows DAP; frames and values are plain values.

mod conditions;
mod dwarf;
mod session;
pub mod symbols;
mod values;

pub use conditions::BreakpointOptions;
pub use session::{
    BreakpointState, DebugSession, Ending, FrameView, Instruction, Launch, Resume, ScopeKind,
    SessionEvent, StepKind, StepUnit, Stop, StopReason,
};
pub use values::{Children, Variable};

/// Whether a component (or module) carries DWARF in any of its core
/// modules: without it a debugger has instructions but no source lines.
pub fn has_dwarf(bytes: &[u8]) -> bool {
    wasmparser::Parser::new(0).parse_all(bytes).any(|payload| {
        matches!(payload, Ok(wasmparser::Payload::CustomSection(section)) if section.name() == ".debug_line")
    })
}
