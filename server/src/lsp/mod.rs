//! `wasmlens lsp`: the language server. The only module that knows the
//! protocol; it turns requests into analysis queries and lens commands,
//! and their answers (offsets, paths) into protocol values (positions,
//! URIs).
//!
//! Arrows inside, one way: `server` (the table) → `handlers` (one file per
//! request) → `diagnostics`, `run_progress` → `state` → `session`,
//! `documents`, `convert`, `errors`, `ext`. No module imports one that
//! imports it back (`tests/tests/e2e/tidy.rs` checks).
//!
//! Invariant: every protocol type stays in this module, and a request never
//! sees text older than the edits that came before it.

mod convert;
mod diagnostics;
mod documents;
mod errors;
pub mod ext;
mod handlers;
mod run_progress;
mod server;
mod session;
mod state;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server as Transport};

pub use documents::Encoding;
pub use state::ServerOptions;

/// Serves one client over a byte stream pair until it sends `exit`.
pub async fn serve(input: impl AsyncRead + Unpin, output: impl AsyncWrite) {
    serve_with(ServerOptions::default(), input, output).await
}

/// [`serve`] with options the client cannot set (where consent answers are
/// kept).
pub async fn serve_with(
    options: ServerOptions,
    input: impl AsyncRead + Unpin,
    output: impl AsyncWrite,
) {
    let (service, socket) = LspService::build(|client| server::Server::new(client, options))
        .custom_method(
            <ext::Debug as tower_lsp_server::ls_types::request::Request>::METHOD,
            server::Server::debug,
        )
        .custom_method(ext::PROGRESS_CANCEL, server::Server::progress_cancel)
        .finish();
    Transport::new(input, output, socket).serve(service).await;
}

/// `wasmlens lsp`: serves the client on stdin/stdout.
pub fn run_stdio() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    Ok(())
}
