//! Serving a `wasi:http/incoming-handler` component over HTTP/1.1, as
//! `wasmtime serve` does: every request in a fresh instance with its own
//! limits, connections and requests concurrent, a trap answered with 500.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use tokio::net::TcpListener;
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;

use crate::limits::Limits;
use crate::prepared::Prepared;
use crate::sandbox::Capabilities;
use crate::trap::RunError;

/// What a served request tells the operator (the CLI prints it).
#[derive(Debug)]
pub enum ServeEvent {
    /// The handler failed: before its response (the client got a 500) or
    /// after it.
    HandlerFailed {
        method: String,
        path: String,
        error: RunError,
    },
    /// A connection broke (the client went away, bad HTTP).
    ConnectionFailed { peer: SocketAddr, error: String },
}

/// Binds `addr` with the options `wasmtime serve` uses: address reuse,
/// a backlog of 100.
pub fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(100)
}

/// Serves until `shutdown` resolves. `on_event` hears about failures.
pub async fn serve(
    prepared: Prepared,
    listener: TcpListener,
    capabilities: Capabilities,
    limits: Limits,
    on_event: Arc<dyn Fn(ServeEvent) + Send + Sync>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let shared = Arc::new((prepared, capabilities, limits));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => accepted?,
            () = &mut shutdown => return Ok(()),
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let on_event = on_event.clone();
        tokio::spawn(async move {
            let on_connection_event = on_event.clone();
            let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let shared = shared.clone();
                let on_event = on_event.clone();
                async move {
                    let (prepared, capabilities, limits) = &*shared;
                    let method = request.method().to_string();
                    let path = request.uri().to_string();
                    let after = {
                        let (method, path, on_event) =
                            (method.clone(), path.clone(), on_event.clone());
                        move |outcome: Result<(), RunError>| {
                            if let Err(error) = outcome {
                                on_event(ServeEvent::HandlerFailed {
                                    method,
                                    path,
                                    error,
                                });
                            }
                        }
                    };
                    let response = match prepared.handle(request, capabilities, limits, after).await
                    {
                        Ok(response) => response,
                        Err(error) => {
                            on_event(ServeEvent::HandlerFailed {
                                method,
                                path,
                                error,
                            });
                            internal_error()
                        }
                    };
                    Ok::<_, std::convert::Infallible>(response)
                }
            });
            if let Err(error) = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                on_connection_event(ServeEvent::ConnectionFailed {
                    peer,
                    error: error.to_string(),
                });
            }
        });
    }
}

/// The answer to a request whose handler failed before it responded.
fn internal_error() -> hyper::Response<HyperOutgoingBody> {
    let body = Full::new(Bytes::from_static(b"internal server error\n"))
        .map_err(|never| match never {})
        .boxed_unsync();
    hyper::Response::builder()
        .status(500)
        .header("content-type", "text/plain")
        .body(body)
        .expect("a valid response")
}
