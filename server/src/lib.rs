//! wasmlens: the IDE toolkit for the WebAssembly Component Model.
//!
//! Layers, each using only the ones listed before it: `syntax` (lossless
//! parser), `analysis` (workspace, `wasmlens.toml`, verdict, symbol index,
//! lints), `lenses` (which component implements a world, run settings,
//! consent, running on request; uses the runtime crate), then the edges
//! `lsp` and `cli`, which alone know protocols and output formats (`cli`
//! starts `lsp` and `dap`, the Debug Adapter Protocol server). ARCHITECTURE.md has the table that
//! `tests/tests/e2e/tidy.rs` enforces.

pub mod analysis;
pub mod cli;
pub mod dap;
pub mod lenses;
pub mod lsp;
pub mod sync;
pub mod syntax;
