//! The one Wasmtime engine of a process, and its epoch clock.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;

use crate::compiled_cache::{CompiledCache, DEFAULT_MAX_BYTES};
use wasmtime::{
    Cache, CacheConfig, Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig,
    Strategy, WasmBacktraceDetails,
};

/// How often the epoch advances; a timeout is counted in these ticks.
pub const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Instances (and memories, tables, stacks) the editor's pooling engine
/// holds at once.
pub const EDITOR_POOL: u32 = 64;

/// What a server's pool holds: `wasmtime serve`'s default of component
/// instances, enough for every concurrent request.
pub const SERVER_POOL: u32 = 1000;

/// What the engine compiles in. Fuel and epochs change the generated code
/// (and cost a little speed), so a caller that never limits them can leave
/// them out; the language server always has both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineOptions {
    /// Where compiled code is cached; `None` turns the cache off.
    pub cache_dir: Option<PathBuf>,
    /// Count fuel, so that `Limits::fuel` can stop a guest.
    pub fuel: bool,
    /// Check the epoch, so that `Limits::timeout` can stop a guest.
    pub epochs: bool,
    /// Keep this many instances' memories, tables and stacks in pools that
    /// later instances reuse: repeated calls (the editor's, a server's
    /// requests) skip the `mmap`s and fiber stacks a fresh instance would
    /// need. It reserves address space up front, so one-shot runs leave it
    /// off (`None`).
    pub pooling: Option<u32>,
    /// Compile for Wasmtime's guest debugging (breakpoints, stepping,
    /// frames with their locals): code that is slower and has a copy per
    /// store, so only debug sessions use it, on an engine of their own.
    pub guest_debug: bool,
}

impl EngineOptions {
    /// Everything on, the cache in the user's cache directory: what the
    /// editor runs with.
    pub fn with_limits() -> EngineOptions {
        EngineOptions {
            cache_dir: default_cache_dir(),
            fuel: true,
            epochs: true,
            pooling: Some(EDITOR_POOL),
            guest_debug: false,
        }
    }

    /// A debug session's engine: guest debugging and epochs (pause and
    /// breakpoint edits while running arrive at an epoch check); no fuel and
    /// no pooling (a debugged guest runs as long as the user lets it, and
    /// each session is one store).
    pub fn for_debugging() -> EngineOptions {
        EngineOptions {
            cache_dir: default_cache_dir(),
            fuel: false,
            epochs: true,
            pooling: None,
            guest_debug: true,
        }
    }
}

/// `$XDG_CACHE_HOME/wasmlens`, else `~/.cache/wasmlens`: compiled code in
/// `compiled/` (ours, mapped), and Wasmtime's own cache in `wasmtime/` for
/// debug engines.
pub fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("wasmlens"))
}

/// Holds the process's `wasmtime::Engine`: compiled code and its caches are
/// per engine, so everything that runs components shares this one.
#[derive(Clone)]
pub struct Runtime {
    engine: Engine,
    options: EngineOptions,
    /// Our cache of mapped `.cwasm` files, when caching is on.
    compiled: Option<CompiledCache>,
    /// Set when the thread that advances the epoch has been started.
    ticking: Arc<AtomicBool>,
}

impl Runtime {
    /// An engine with everything on (see [`EngineOptions::with_limits`]).
    pub fn new() -> anyhow::Result<Runtime> {
        Runtime::with_options(EngineOptions::with_limits())
    }

    /// An engine that compiles with Cranelift, runs components (async ones
    /// too) and keeps backtrace details (function names, and source lines
    /// when the module has DWARF) for traps.
    pub fn with_options(options: EngineOptions) -> anyhow::Result<Runtime> {
        let mut config = Config::new();
        config
            .strategy(Strategy::Cranelift)
            .wasm_component_model(true)
            .wasm_component_model_async(true)
            .concurrency_support(true)
            .wasm_backtrace_details(WasmBacktraceDetails::Enable)
            .consume_fuel(options.fuel)
            .epoch_interruption(options.epochs)
            .guest_debug(options.guest_debug);
        if let Some(size) = options.pooling {
            let mut pool = PoolingAllocationConfig::default();
            pool.total_component_instances(size)
                .total_core_instances(size)
                .total_memories(size)
                .total_tables(size)
                .total_stacks(size);
            config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        }
        // Our mapped cache serves every engine but a debug one: guest
        // debugging keeps per-store copies of code, so those engines keep
        // Wasmtime's own cache instead.
        let compiled = options
            .cache_dir
            .as_ref()
            .filter(|_| !options.guest_debug)
            .map(|dir| CompiledCache::new(dir.join("compiled"), DEFAULT_MAX_BYTES));
        if let Some(dir) = options.cache_dir.as_ref().filter(|_| options.guest_debug) {
            let dir = dir.join("wasmtime");
            let mut cache = CacheConfig::new();
            cache.with_directory(&dir);
            let cache = Cache::new(cache)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("cannot use the compile cache in {}", dir.display()))?;
            config.cache(Some(cache));
        }
        let engine = Engine::new(&config)
            .map_err(anyhow::Error::from)
            .context("cannot create the Wasmtime engine")?;
        Ok(Runtime {
            engine,
            options,
            compiled,
            ticking: Arc::default(),
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn options(&self) -> &EngineOptions {
        &self.options
    }

    /// Where compiled code is kept between runs, if anywhere.
    pub fn compiled_cache(&self) -> Option<&CompiledCache> {
        self.compiled.as_ref()
    }

    /// Starts (once) the thread that advances the epoch every
    /// [`EPOCH_TICK`]; it ends when the engine is dropped.
    pub(crate) fn start_epoch_clock(&self) {
        if !self.options.epochs || self.ticking.swap(true, Ordering::SeqCst) {
            return;
        }
        let engine = self.engine.weak();
        std::thread::Builder::new()
            .name("wasmlens-epoch".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(EPOCH_TICK);
                    match engine.upgrade() {
                        Some(engine) => engine.increment_epoch(),
                        None => break,
                    }
                }
            })
            .expect("a thread can be started");
    }
}
