//! wasmlens' embedded component runtime.
//!
//! Invariant: knows nothing of LSP, WIT source text or terminals. It takes
//! bytes and answers in plain Rust values; callers decide how to show them.
//!
//! This first part loads a `.wasm` (component or core module) on one shared
//! Cranelift engine and lists a component's exports with their signatures.

mod artifact;
mod engine;
mod exports;

pub use artifact::{Artifact, load_bytes, load_file};
pub use engine::Runtime;
pub use exports::{Export, ExportKind, exports, wit_type};
