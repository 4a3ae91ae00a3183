//! Debugging a component at the source level on Wasmtime's guest-debug
//! API: every Wasmtime debug call of wasmlens is in this module.
//!
//! A [`DebugSession`] runs one export call or one `wasi:cli/run` command
//! on a thread of its own, in a store of a debug engine
//! ([`crate::EngineOptions::for_debugging`]), and stops where the user
//! asks: breakpoints by source line or function, steps by line or
//! instruction, a pause, a trap. While stopped it answers questions about
//! the stack, the frames' wasm locals, operand stacks and globals, and
//! linear memory. The caller (the DAP server) speaks to it through plain
//! methods and hears from it through [`SessionEvent`]s.
//!
//! - `symbols`: a core module's line table and functions (DWARF, name
//!   section);
//! - `session`: the session thread, the debug handler, stepping.
//!
//! Invariant: nothing here knows DAP; frames and values are plain values.

mod session;
pub mod symbols;

pub use session::{
    BreakpointState, DebugSession, Ending, FrameView, Launch, Resume, ScopeKind, SessionEvent,
    StepKind, StepUnit, Stop, StopReason, Variable,
};

/// Whether a component (or module) carries DWARF in any of its core
/// modules: without it a debugger has instructions but no source lines.
pub fn has_dwarf(bytes: &[u8]) -> bool {
    wasmparser::Parser::new(0).parse_all(bytes).any(|payload| {
        matches!(payload, Ok(wasmparser::Payload::CustomSection(section)) if section.name() == ".debug_line")
    })
}
