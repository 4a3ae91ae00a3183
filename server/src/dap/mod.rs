//! `wasmlens dap`: a Debug Adapter Protocol server on stdin/stdout, one
//! process per debug session, over `wasmlens_runtime::debug`. A debugger
//! crash (Wasmtime's guest-debug code may abort on an internal failure)
//! ends this process only, never the language server.
//!
//! - `transport`: the framing; `protocol`: the messages, typed;
//! - `adapter`: requests dispatched, the session resumed and ended;
//! - one file per request family: `launch` (and restart), `breakpoints`,
//!   `stack_trace`, `variables` (scopes, variables, evaluate),
//!   `read_memory`, `disassemble`;
//! - `report`: the session's events as DAP events.
//!
//! Invariant: the only place that knows DAP.

mod adapter;
mod breakpoints;
mod disassemble;
mod launch;
mod protocol;
mod read_memory;
mod report;
mod stack_trace;
mod transport;
mod variables;

use std::io::BufReader;

use serde_json::json;

use adapter::{Adapter, Outbox};

/// Serves one debug session on stdin/stdout until the client disconnects
/// (or closes the input).
pub fn run_stdio() -> anyhow::Result<()> {
    let outbox = Outbox::new(Box::new(std::io::stdout()));
    let mut adapter = Adapter::new(outbox.clone());
    let mut input = BufReader::new(std::io::stdin());
    while let Some(message) = transport::read_message(&mut input)? {
        match message {
            Ok(request) if request["type"] == "request" => adapter.handle(&request),
            Ok(_) => {}
            Err(problem) => outbox.event(
                "output",
                json!({"category": "console", "output": format!("wasmlens dap: ignored {problem}\n")}),
            ),
        }
        if adapter.done {
            break;
        }
    }
    // The session (and its guest) ends, and the client hears it, before
    // the process does.
    adapter.finish();
    Ok(())
}
