//! HTTP for guests: `wasi:http` is linked for every component, outgoing
//! requests are refused unless the network is granted, and an incoming
//! request is handled by a fresh instance of a component that exports
//! `wasi:http/incoming-handler` (what `serve` and the Request lens share).

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use tracing::instrument::WithSubscriber;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::{WasiBody, WasiHttpCtx, WasiHttpHooks};

use crate::limits::Limits;
use crate::prepared::{Host, Prepared};
use crate::sandbox::Capabilities;
use crate::trace::{Direction, Recorder, TracedCall};
use crate::trap::RunError;

/// The export a component must have to be served.
pub const INCOMING_HANDLER: &str = "wasi:http/incoming-handler";

/// The `wasi:http` state of one store.
pub(crate) struct HttpState {
    pub(crate) ctx: WasiHttpCtx,
    pub(crate) hooks: OutgoingPolicy,
}

impl HttpState {
    pub(crate) fn new(allow_net: bool) -> HttpState {
        HttpState {
            ctx: WasiHttpCtx::new(),
            hooks: OutgoingPolicy { allow_net },
        }
    }
}

/// Outgoing requests are sent only when the network was granted.
pub(crate) struct OutgoingPolicy {
    allow_net: bool,
}

type SendResult = wasmtime_wasi_http::Result<(
    http::Response<WasiBody>,
    Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
)>;

impl WasiHttpHooks for OutgoingPolicy {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<wasmtime_wasi_http::RequestOptions>,
        _fut: Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
    ) -> Box<dyn Future<Output = SendResult> + Send> {
        if !self.allow_net {
            // The guest sees `HTTP-request-denied`, as under `wasmtime
            // serve` without `-S inherit-network`.
            return Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) });
        }
        Box::new(async move {
            let (response, io) = wasmtime_wasi_http::default_send_request(request, options).await?;
            Ok((
                response.map(BodyExt::boxed_unsync),
                Box::new(io) as Box<dyn Future<Output = _> + Send>,
            ))
        })
    }
}

/// A request as the editor sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    /// Path and query: `/`, `/items?id=3`.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The guest's whole response.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// From the request to the last byte of the body.
    pub duration: Duration,
}

/// A traced request: its outcome and the calls the handler made.
#[derive(Debug)]
pub struct TracedRequest {
    pub outcome: Result<HttpResponse, RunError>,
    pub root: TracedCall,
    pub dropped: usize,
}

impl Prepared {
    /// Whether this is a component that can be served.
    pub fn is_http_handler(&self) -> bool {
        self.export_names()
            .iter()
            .any(|name| name.starts_with(INCOMING_HANDLER))
    }

    fn proxy_pre(&self) -> Result<ProxyPre<Host>, RunError> {
        let Some(pre) = self.instance_pre() else {
            return Err(RunError::Call(
                "a core module cannot handle HTTP requests; serve a component".into(),
            ));
        };
        // Looked up once: each request only instantiates.
        self.proxy
            .get_or_init(|| ProxyPre::new(pre.clone()).ok())
            .clone()
            .ok_or_else(|| {
                RunError::Call(format!(
                    "the component does not export `{INCOMING_HANDLER}@0.2.x`, so it cannot handle HTTP requests"
                ))
            })
    }

    /// Handles one request in a fresh instance with its own limits. The
    /// response comes back as soon as the guest sets it; its body streams
    /// while the guest goes on writing it. `finished` receives how the
    /// handler ended (a trap after the response was sent is reported
    /// there).
    pub async fn handle<B>(
        &self,
        request: hyper::Request<B>,
        capabilities: &Capabilities,
        limits: &Limits,
        finished: impl FnOnce(Result<(), RunError>) + Send + 'static,
    ) -> Result<hyper::Response<HyperOutgoingBody>, RunError>
    where
        B: hyper::body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<wasmtime_wasi_http::Error>,
    {
        let pre = self.proxy_pre()?;
        let mut store = self.store(capabilities, limits).map_err(RunError::Failed)?;
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let mut view = store.data_mut().http_view();
        let incoming = view
            .new_incoming_request(Scheme::Http, request)
            .map_err(|e| RunError::Call(format!("{e:#}")))?;
        let out = view
            .new_response_outparam(sender)
            .map_err(|e| RunError::Failed(e.into()))?;
        let limits = limits.clone();
        // The guest runs in its own task so that it can go on writing the
        // body after the headers are sent; a trace of the request follows
        // it there.
        let dispatch = tracing::dispatcher::get_default(|d| d.clone());
        let task = tokio::spawn(
            async move {
                let outcome = async {
                    let proxy = pre.instantiate_async(&mut store).await?;
                    proxy
                        .wasi_http_incoming_handler()
                        .call_handle(&mut store, incoming, out)
                        .await
                }
                .await;
                outcome.map_err(|e| Prepared::failed(&mut store, e, &limits))
            }
            .with_subscriber(dispatch),
        );
        match receiver.await {
            Ok(Ok(response)) => {
                tokio::spawn(async move {
                    finished(task.await.unwrap_or_else(|e| {
                        Err(RunError::Failed(anyhow::anyhow!(
                            "the handler panicked: {e}"
                        )))
                    }))
                });
                Ok(response)
            }
            Ok(Err(code)) => {
                let outcome = task.await.unwrap_or(Ok(()));
                finished(outcome);
                Err(RunError::Call(format!(
                    "the handler answered with the error `{code:?}` instead of a response"
                )))
            }
            Err(_) => {
                let outcome = task.await.unwrap_or_else(|e| {
                    Err(RunError::Failed(anyhow::anyhow!(
                        "the handler panicked: {e}"
                    )))
                });
                let error = match outcome {
                    Ok(()) => RunError::Call(
                        "the handler returned without setting a response (`response-outparam.set`)"
                            .into(),
                    ),
                    Err(error) => error,
                };
                Err(error)
            }
        }
    }

    /// Sends `request` to a fresh instance and reads the whole response:
    /// what the Request lens shows.
    pub async fn request(
        &self,
        request: &HttpRequest,
        capabilities: &Capabilities,
        limits: &Limits,
    ) -> Result<HttpResponse, RunError> {
        let started = Instant::now();
        let mut builder = hyper::Request::builder()
            .method(request.method.as_str())
            .uri(format!("http://localhost{}", request.path));
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let hyper_request = builder
            .body(
                Full::new(Bytes::from(request.body.clone()))
                    .map_err(|never| -> wasmtime_wasi_http::Error { match never {} }),
            )
            .map_err(|e| RunError::Call(format!("not a valid request: {e}")))?;
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let response = self
            .handle(hyper_request, capabilities, limits, move |outcome| {
                let _ = sender.send(outcome);
            })
            .await?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.to_string(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response.into_body().collect().await;
        // A trap while the body was written is the request's failure.
        if let Ok(Err(error)) = receiver.await {
            return Err(error);
        }
        let body = body
            .map_err(|e| RunError::Call(format!("the response body failed: {e:?}")))?
            .to_bytes()
            .to_vec();
        Ok(HttpResponse {
            status,
            headers,
            body,
            duration: started.elapsed(),
        })
    }

    /// [`Prepared::request`], recording every call the handler makes.
    pub async fn trace_request(
        &self,
        request: &HttpRequest,
        capabilities: &Capabilities,
        limits: &Limits,
    ) -> TracedRequest {
        let recorder = Recorder::new();
        let dispatch = tracing::Dispatch::new(recorder.clone());
        let started = recorder.started();
        let outcome = self
            .request(request, capabilities, limits)
            .with_subscriber(dispatch)
            .await;
        let duration = started.elapsed();
        let (calls, dropped) = recorder.finish();
        let root = TracedCall {
            direction: Direction::Export,
            interface: Some(INCOMING_HANDLER.to_string()),
            function: "handle".to_string(),
            arguments: vec![(
                "request".to_string(),
                format!("{} {}", request.method, request.path),
            )],
            result: outcome.as_ref().ok().map(|r| r.status.to_string()),
            start: Duration::ZERO,
            duration: Some(duration),
            calls,
        };
        TracedRequest {
            outcome,
            root,
            dropped,
        }
    }
}
