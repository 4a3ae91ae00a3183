//! Capabilities: what a guest may touch. Nothing unless granted: no files,
//! no environment, no network; standard streams inherited (the CLI) or
//! captured with a size cap (the editor).

use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};

use anyhow::Context;
use tokio::io::AsyncWrite;
use wasmtime_wasi::cli::AsyncStdoutStream;
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};

/// A host directory the guest may open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirGrant {
    pub host: PathBuf,
    /// Where the guest sees it (default: the host path as given).
    pub guest: String,
    pub read_only: bool,
}

impl DirGrant {
    /// Parses `HOST[::GUEST]`, with a `:ro` suffix for read-only.
    pub fn parse(text: &str, read_only: bool) -> Result<DirGrant, String> {
        let (text, ro_suffix) = match text.strip_suffix(":ro") {
            Some(rest) => (rest, true),
            None => (text, false),
        };
        let (host, guest) = match text.split_once("::") {
            Some((host, guest)) => (host, guest),
            None => (text, text),
        };
        if host.is_empty() || guest.is_empty() {
            return Err(format!("`{text}` is not `HOST[::GUEST]`"));
        }
        Ok(DirGrant {
            host: PathBuf::from(host),
            guest: guest.to_string(),
            read_only: read_only || ro_suffix,
        })
    }
}

/// Which standard stream a piece of output came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Receives the guest's output as it is written.
pub type OutputCallback = Arc<dyn Fn(Stream, &[u8]) + Send + Sync>;

/// What happens to the guest's standard streams.
#[derive(Clone, Default)]
pub enum Stdio {
    /// Stdin, stdout and stderr of this process (the CLI).
    #[default]
    Inherit,
    /// Output goes to `on_output` until `cap` bytes (both streams
    /// together); beyond it, writes still succeed (the guest is not trapped
    /// for printing) but the bytes are dropped and `Capture::truncated`
    /// says so. Stdin is empty.
    Capture {
        on_output: OutputCallback,
        cap: usize,
        state: Arc<CaptureState>,
    },
}

/// How much captured output was delivered and whether some was dropped.
#[derive(Debug, Default)]
pub struct CaptureState {
    inner: Mutex<(usize, bool)>,
}

impl CaptureState {
    pub fn delivered(&self) -> usize {
        self.inner.lock().unwrap().0
    }

    pub fn truncated(&self) -> bool {
        self.inner.lock().unwrap().1
    }
}

impl Stdio {
    /// Captured output with a cap, delivered to `on_output`.
    pub fn capture(cap: usize, on_output: OutputCallback) -> Stdio {
        Stdio::Capture {
            on_output,
            cap,
            state: Arc::default(),
        }
    }
}

/// Everything a guest is granted.
#[derive(Clone, Default)]
pub struct Capabilities {
    pub dirs: Vec<DirGrant>,
    pub env: Vec<(String, String)>,
    pub inherit_env: bool,
    pub allow_net: bool,
    /// `argv`, the program name first.
    pub args: Vec<String>,
    pub stdio: Stdio,
}

impl Capabilities {
    /// The WASI context these capabilities describe.
    pub(crate) fn wasi(&self) -> anyhow::Result<WasiCtxBuilder> {
        let mut wasi = WasiCtxBuilder::new();
        wasi.args(&self.args);
        if self.inherit_env {
            wasi.inherit_env();
        }
        wasi.envs(&self.env);
        for dir in &self.dirs {
            let perms = if dir.read_only {
                FsPerms::ReadOnly
            } else {
                FsPerms::ReadWrite
            };
            wasi.preopened_dir(&dir.host, &dir.guest, perms)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("cannot open `{}` for the guest", dir.host.display()))?;
        }
        // Wasmtime denies TCP, UDP, name lookup and every address by
        // default; `allow_net` grants all four.
        wasi.allow_tcp(self.allow_net)
            .allow_udp(self.allow_net)
            .allow_ip_name_lookup(self.allow_net);
        if self.allow_net {
            wasi.inherit_network();
        }
        match &self.stdio {
            Stdio::Inherit => {
                wasi.inherit_stdio();
            }
            Stdio::Capture {
                on_output,
                cap,
                state,
            } => {
                for stream in [Stream::Stdout, Stream::Stderr] {
                    let sink = CappedSink {
                        stream,
                        on_output: on_output.clone(),
                        cap: *cap,
                        state: state.clone(),
                    };
                    let out = AsyncStdoutStream::new(64 * 1024, sink);
                    match stream {
                        Stream::Stdout => wasi.stdout(out),
                        Stream::Stderr => wasi.stderr(out),
                    };
                }
            }
        }
        Ok(wasi)
    }
}

/// An output stream that hands bytes to a callback until a shared cap.
struct CappedSink {
    stream: Stream,
    on_output: OutputCallback,
    cap: usize,
    state: Arc<CaptureState>,
}

impl AsyncWrite for CappedSink {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut TaskContext<'_>,
        bytes: &[u8],
    ) -> Poll<io::Result<usize>> {
        let mut state = self.state.inner.lock().unwrap();
        let room = self.cap.saturating_sub(state.0);
        let kept = &bytes[..bytes.len().min(room)];
        if kept.len() < bytes.len() {
            state.1 = true;
        }
        state.0 += kept.len();
        drop(state);
        if !kept.is_empty() {
            (self.on_output)(self.stream, kept);
        }
        // Everything counts as written: the guest is not told (or trapped)
        // when its output goes past the cap.
        Poll::Ready(Ok(bytes.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_grants_parse() {
        let cases = [
            ("data", false, ("data", "data", false)),
            ("data::/d", false, ("data", "/d", false)),
            ("data::/d:ro", false, ("data", "/d", true)),
            ("data:ro", false, ("data", "data", true)),
            ("data", true, ("data", "data", true)),
        ];
        for (text, ro, (host, guest, read_only)) in cases {
            let grant = DirGrant::parse(text, ro).unwrap();
            assert_eq!(
                (
                    grant.host.to_str().unwrap(),
                    grant.guest.as_str(),
                    grant.read_only
                ),
                (host, guest, read_only),
                "{text}"
            );
        }
        assert!(DirGrant::parse("::x", false).is_err());
    }
}
