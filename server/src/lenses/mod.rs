//! The run lenses' side of the server that is not protocol: which built
//! component implements a world (and, to come, running it for a lens).
//!
//! Arrows: `lsp` uses `lenses`; `lenses` uses `analysis` and the runtime
//! crate. Invariant: nothing here runs a component or a build command on
//! its own; it only looks at files.

pub mod discovery;
