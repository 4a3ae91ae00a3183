//! wasmlens: the IDE toolkit for the WebAssembly Component Model.
//!
//! Layers, each using only the ones listed before it: `syntax` (lossless
//! parser), `analysis` (workspace, verdict, symbol index, lints), then the
//! edges `cli` and `lsp`, which alone know output formats and
//! protocols. See ARCHITECTURE.md.

pub mod analysis;
pub mod cli;
pub mod lenses;
pub mod lsp;
pub mod syntax;
