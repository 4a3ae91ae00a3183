//! wasmlens' embedded component runtime.
//!
//! Invariant: knows nothing of LSP, WIT source text or terminals. It takes
//! bytes and answers in plain Rust values; callers decide how to show them.
//!
//! - `engine`: the one engine per process (Cranelift, cache, fuel, epochs);
//! - `artifact`: loading binaries, text and precompiled code;
//! - `compiled_cache`: compiled code kept as mapped `.cwasm` files;
//! - `exports`: a component's exports with WIT signatures;
//! - `prepared`: linked once, run or invoked in a fresh limited store;
//! - `provisions`: mocks, plugs and stubs for imports WASI does not
//!   provide;
//! - `http`: `wasi:http` (outgoing requests only with the network granted)
//!   and one incoming request handled in a fresh instance;
//! - `serve`: an HTTP/1.1 server of a handler component;
//! - `sandbox`: capabilities (dirs, env, network, stdio capture);
//! - `limits`: fuel, timeout, memory, and what each says when hit;
//! - `wave`: calls and results in WAVE;
//! - `trace`: the calls an invocation makes across the component boundary;
//! - `trap`: traps as structured frames with source locations;
//! - `debug`: debug sessions on Wasmtime's guest-debug API (every
//!   Wasmtime debug call of wasmlens is there).

mod artifact;
pub mod compiled_cache;
pub mod debug;
mod engine;
mod exports;
mod http;
pub mod limits;
mod prepared;
mod provisions;
pub mod sandbox;
pub mod serve;
mod trace;
mod trap;
pub mod wave;

pub use artifact::{Artifact, PrecompiledPolicy, load_bytes, load_file, precompile};
pub use engine::{EDITOR_POOL, EngineOptions, Runtime, SERVER_POOL, default_cache_dir};
pub use exports::{ExportKind, Item, component_wit, exports, imports, wit_type};
pub use http::{HttpRequest, HttpResponse, INCOMING_HANDLER, TracedRequest};
pub use limits::{Cancel, LimitHit, Limits};
pub use prepared::{Invocation, Prepared, Traced};
pub use provisions::{ImportStatus, Mock, Plug, Provisions, StubCalled};
pub use sandbox::{Capabilities, DirGrant, Stdio};
pub use trace::{Direction, MAX_RECORDED_CALLS, TracedCall};
pub use trap::{Frame, RunError, SourceLocation, TrapReport};
