//! One file per request or notification the server answers; each turns
//! protocol values into an analysis query (on a [`Snapshot`]) or a lens
//! command, and the answer back into protocol values. `server.rs` is the
//! table that routes to them.
//!
//! [`Snapshot`]: super::state::Snapshot

pub mod actions;
pub mod code_lens;
pub mod completion;
pub mod configuration;
pub mod consent_prompt;
pub mod debug;
pub mod documents;
pub mod execute_command;
pub mod exports;
pub mod formatting;
pub mod hover;
pub mod initialize;
pub mod lens_answer;
pub mod lens_commands;
pub mod lens_target;
pub mod links;
pub mod navigation;
pub mod progress_cancel;
pub mod rename;
pub mod semantic_tokens;
pub mod structure;
pub mod symbols;
