//! The run lenses' side of the server that is not protocol: which worlds
//! and functions a lens can run, which built component implements a world,
//! and running it under the `[run]` limits.
//!
//! Arrows: `lsp` uses `lenses`; `lenses` uses `analysis` and the runtime
//! crate. Invariant: nothing here runs a component or a build command on
//! its own; only an explicit request (a clicked lens, a command) does.
//!
//! - `targets`: worlds, their exported functions and where they are written;
//! - `package_runs`: settings, base folder, worlds and their components,
//!   the sequence every lens starts with;
//! - `consent`: what a workspace's `wasmlens.toml` asks of the machine,
//!   and the user's remembered answers;
//! - `discovery`: finding a world's component in build-output folders;
//! - `settings`: `[run]` as limits and grants, its mistakes as diagnostics;
//! - `runner`: compiling once, running, invoking, tracing, building;
//! - `trace_view`: a traced call as a readable tree;
//! - `source_map`: a trap's DWARF file on this machine.

pub mod consent;
pub mod discovery;
pub mod package_runs;
pub mod runner;
pub mod settings;
pub mod source_map;
pub mod targets;
pub mod trace_view;
