//! `wasmlens serve`: serves a component that exports
//! `wasi:http/incoming-handler` over HTTP/1.1, as `wasmtime serve` does,
//! sandboxed like `run` (nothing granted unless asked for).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use wasmlens_runtime::serve::{ServeEvent, bind, serve};
use wasmlens_runtime::{INCOMING_HANDLER, Prepared};

use super::exit;
use super::guest::{Failure, GuestArgs, usage};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The component: `.wasm`, `.wat`, or `.cwasm` with
    /// `--allow-precompiled`.
    pub file: PathBuf,
    /// Where to listen. Only this machine can connect unless you give
    /// another address (`0.0.0.0:8080` listens on every interface).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub guest: GuestArgs,
}

pub fn run(args: &ServeArgs) -> u8 {
    match serve_inner(args) {
        Ok(code) => code,
        Err(Failure(code, message)) => {
            eprintln!("error: {message}");
            code
        }
    }
}

fn serve_inner(args: &ServeArgs) -> Result<u8, Failure> {
    let runtime = args.guest.server_runtime()?;
    let artifact = args.guest.load(&runtime, &args.file)?;
    let provisions = args.guest.provisions(&runtime)?;
    let prepared =
        Prepared::with(&runtime, &artifact, &provisions).map_err(|e| usage(format!("{e:#}")))?;
    if !prepared.is_http_handler() {
        return Err(usage(format!(
            "{} does not export `{INCOMING_HANDLER}`, so it cannot be served; \
             run it with `wasmlens run` instead",
            args.file.display()
        )));
    }
    let capabilities = args
        .guest
        .capabilities(args.file.display().to_string(), &[])?;
    let limits = args.guest.limits();
    let executor = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| usage(format!("cannot start: {e}")))?;
    executor.block_on(async {
        let listener = bind(args.addr).map_err(|e| {
            usage(format!(
                "cannot listen on {}: {e}; choose another address with `--addr`",
                args.addr
            ))
        })?;
        let local = listener.local_addr().unwrap_or(args.addr);
        eprintln!("Serving HTTP on http://{local}/");
        let on_event = Arc::new(|event: ServeEvent| match event {
            ServeEvent::HandlerFailed {
                method,
                path,
                error,
            } => eprintln!("error: {method} {path}: {error}"),
            ServeEvent::ConnectionFailed { peer, error } => {
                eprintln!("warning: connection from {peer}: {error}")
            }
        });
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("Stopped.");
        };
        serve(prepared, listener, capabilities, limits, on_event, shutdown)
            .await
            .map_err(|e| usage(format!("the server stopped: {e}")))
    })?;
    Ok(exit::CLEAN)
}
