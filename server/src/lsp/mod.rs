//! `wasmlens lsp`: the language server. The only module that knows the
//! protocol; it turns requests into analysis queries and their answers
//! (offsets, paths) into protocol values (positions, URIs).
//!
//! Invariant: every protocol type stays in this module, and a request never
//! sees text older than the edits that came before it.

mod commands;
mod convert;
mod documents;
mod handlers;
mod server;
mod session;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server as Transport};

pub use documents::Encoding;

/// Serves one client over a byte stream pair until it sends `exit`.
pub async fn serve(input: impl AsyncRead + Unpin, output: impl AsyncWrite) {
    let (service, socket) = LspService::build(server::Server::new)
        .custom_method("wasmlens/debug", server::Server::debug)
        .custom_method(
            "window/workDoneProgress/cancel",
            server::Server::progress_cancel,
        )
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
