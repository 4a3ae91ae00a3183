//! The one Wasmtime engine of a process.

use anyhow::Context;
use wasmtime::{Config, Engine, Strategy, WasmBacktraceDetails};

/// Holds the process's `wasmtime::Engine`: compiled code and its caches are
/// per engine, so everything that runs components shares this one.
#[derive(Clone)]
pub struct Runtime {
    engine: Engine,
}

impl Runtime {
    /// An engine that compiles with Cranelift, understands components and
    /// keeps backtrace details (function names and offsets) for traps.
    pub fn new() -> anyhow::Result<Runtime> {
        let mut config = Config::new();
        config
            .strategy(Strategy::Cranelift)
            .wasm_component_model(true)
            .wasm_backtrace_details(WasmBacktraceDetails::Enable);
        let engine = Engine::new(&config)
            .map_err(anyhow::Error::from)
            .context("cannot create the Wasmtime engine")?;
        Ok(Runtime { engine })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}
