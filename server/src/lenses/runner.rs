//! Running what a lens asks for: locating the component of a world,
//! compiling it once per build, and running, invoking or tracing it under
//! the `[run]` limits with only the `[run]` grants; running a configured
//! build command.
//!
//! Everything here blocks; the server calls it off its protocol thread.
//! Nothing here starts on its own: each entry point is a user's request.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio as ProcessStdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use wasmlens_runtime::sandbox::Stream;
use wasmlens_runtime::{
    Artifact, Cancel, HttpRequest, HttpResponse, Invocation, Mock, Plug, PrecompiledPolicy,
    Prepared, Provisions, RunError, Runtime, Stdio, Traced, TracedRequest, load_file,
};

use super::discovery::{Found, find_component};
use super::settings::Settings;
use super::targets::WorldTarget;
use crate::analysis::PackageAnalysis;
use crate::sync::lock;

/// Captured guest output kept per run; past it the guest still runs, and
/// the output says it was cut.
pub const OUTPUT_CAP: usize = 1 << 20;

/// Where a world's component comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `[[component]]` in `wasmlens.toml`.
    Mapped,
    /// Found in a build-output folder.
    Discovered,
}

/// The built component of a world, if there is one, and how to build it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub component: Option<(Found, Source)>,
    /// `[[component]] build` for this world.
    pub build: Option<String>,
    /// The component is older than the newest WIT file of its package.
    pub stale: bool,
    /// The path a `[[component]]` entry names but that does not exist.
    pub missing_mapped: Option<PathBuf>,
}

/// What the guest is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `wasi:cli/run`.
    Run,
    /// A WAVE call, e.g. `add(1, 2)`.
    Invoke(String),
    /// The same, recording every call across the boundary.
    Trace(String),
    /// An HTTP request to a `wasi:http/incoming-handler`, traced or not.
    Request { request: HttpRequest, trace: bool },
}

/// What a run reports as it goes.
pub trait Events: Send + Sync {
    fn compiling(&self);
    fn running(&self);
    fn output(&self, stream: Stream, bytes: &[u8]);
}

/// How a run ended.
#[derive(Debug)]
pub enum Ended {
    Invoked(Invocation),
    Exited { code: i32, duration: Duration },
    Traced(Box<Traced>),
    Responded(HttpResponse),
    TracedRequest(Box<TracedRequest>),
    Failed(RunError),
}

/// The outcome of one lens command.
#[derive(Debug)]
pub struct Execution {
    pub ended: Ended,
    /// Whether the guest's output went past [`OUTPUT_CAP`].
    pub output_truncated: bool,
    /// Time spent compiling (zero when the compiled component was reused).
    pub compile: Duration,
}

/// The mocks and plugs a component is linked with: `[run] mocks` and
/// `plugs`, plug paths resolved with the modification time they had.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StandIns {
    mocks: Vec<(String, String)>,
    plugs: Vec<(PathBuf, Option<SystemTime>)>,
}

impl StandIns {
    /// Those of `settings`, relative paths starting at `base`.
    pub fn of(settings: &Settings, base: &Path) -> StandIns {
        let run = settings.run();
        StandIns {
            mocks: run
                .mocks
                .iter()
                .map(|m| (m.import.clone(), m.value.clone()))
                .collect(),
            plugs: run
                .plugs
                .iter()
                .map(|p| {
                    let path = base.join(&p.path);
                    let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
                    (path, modified)
                })
                .collect(),
        }
    }

    /// The runtime's provisions: plugs loaded and compiled.
    fn provisions(&self, runtime: &Runtime) -> Result<Provisions, String> {
        let mut provisions = Provisions::default();
        for (import, value) in &self.mocks {
            provisions.mocks.push(Mock {
                import: import.clone(),
                value: value.clone(),
            });
        }
        for (path, _) in &self.plugs {
            let where_ = || format!("wasmlens.toml [run] plugs: {}", path.display());
            match load_file(runtime, path, PrecompiledPolicy::Refuse)
                .map_err(|e| format!("{}: {e:#}", where_()))?
            {
                Artifact::Component(component) => provisions.plugs.push(Plug {
                    path: path.clone(),
                    component,
                }),
                Artifact::Module(_) => {
                    return Err(format!(
                        "{}: a plug must be a component; this is a core module",
                        where_()
                    ));
                }
            }
        }
        Ok(provisions)
    }
}

/// A folder searched and the exports a component there must have.
type DiscoveryKey = (PathBuf, BTreeSet<String>);

/// The process's runtime and what it has compiled and found; shared by
/// every request.
#[derive(Default)]
pub struct Runner {
    runtime: OnceLock<Result<Runtime, String>>,
    /// Compiled components by path, with the modification time they were
    /// compiled at and the stand-ins they were linked with (a rebuild, or
    /// other mocks or plugs, replace them).
    prepared: Mutex<HashMap<PathBuf, (SystemTime, StandIns, Prepared)>>,
    /// Discovery results by (folder, wanted exports); cleared when a
    /// `.wasm` file changes.
    discovered: Mutex<HashMap<DiscoveryKey, Option<Found>>>,
}

/// A WIT file saved this soon after its component counts as part of the
/// same checkout: `git clone` writes a repository's files within moments
/// of each other, in path order, so a committed component (`build/x.wasm`)
/// can be a little older than its WIT (`wit/x.wit`) without being stale.
const STALE_GRACE: Duration = Duration::from_secs(2);

impl Runner {
    /// Forgets discovered and compiled components: files changed on disk.
    pub fn files_changed(&self) {
        lock(&self.discovered).clear();
    }

    fn runtime(&self) -> Result<&Runtime, String> {
        self.runtime
            .get_or_init(|| Runtime::new().map_err(|e| format!("{e:#}")))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The component of `world`: a `[[component]]` mapping, else the newest
    /// matching component in the build-output folders under `base`.
    pub fn locate(
        &self,
        analysis: &PackageAnalysis,
        settings: &Settings,
        base: &Path,
        world: &WorldTarget,
    ) -> Located {
        let entry = settings
            .config
            .components
            .iter()
            .find(|c| world.is_named(c.world.get_ref()));
        let build = entry.and_then(|e| e.build.as_ref().map(|b| b.get_ref().clone()));
        let mut missing_mapped = None;
        let component = match entry {
            Some(entry) => {
                let path = base.join(entry.path.get_ref());
                match std::fs::metadata(&path).and_then(|m| m.modified()) {
                    Ok(modified) => Some((Found { path, modified }, Source::Mapped)),
                    Err(_) => {
                        missing_mapped = Some(path);
                        None
                    }
                }
            }
            None => {
                let key = (base.to_path_buf(), world.export_names.clone());
                let cached = lock(&self.discovered).get(&key).cloned();
                let found = match cached {
                    Some(found) => found,
                    None => {
                        let found = find_component(base, &settings.config.discovery_dirs, &key.1);
                        lock(&self.discovered).insert(key, found.clone());
                        found
                    }
                };
                found.map(|f| (f, Source::Discovered))
            }
        };
        let stale = component.as_ref().is_some_and(|(found, _)| {
            newest_wit(analysis).is_some_and(|wit| wit > found.modified + STALE_GRACE)
        });
        Located {
            component,
            build,
            stale,
            missing_mapped,
        }
    }

    /// The compiled component at `path` linked with `stand_ins` (any, for
    /// `None`: its exports are the same), compiled now if it is new or
    /// changed.
    fn prepared(
        &self,
        path: &Path,
        stand_ins: Option<&StandIns>,
        events: &dyn Events,
    ) -> Result<(Prepared, Duration), String> {
        let modified = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if let Some((at, linked_with, prepared)) = lock(&self.prepared).get(path)
            && *at == modified
            && stand_ins.is_none_or(|s| s == linked_with)
        {
            return Ok((prepared.clone(), Duration::ZERO));
        }
        let stand_ins = stand_ins.cloned().unwrap_or_default();
        events.compiling();
        let started = Instant::now();
        let runtime = self.runtime()?;
        let artifact = load_file(runtime, path, PrecompiledPolicy::Refuse)
            .map_err(|e| format!("{}: {e:#}", path.display()))?;
        let provisions = stand_ins.provisions(runtime)?;
        let prepared = Prepared::with(runtime, &artifact, &provisions)
            .map_err(|e| format!("{}: {e:#}", path.display()))?;
        lock(&self.prepared).insert(path.to_path_buf(), (modified, stand_ins, prepared.clone()));
        Ok((prepared, started.elapsed()))
    }

    /// The WAVE parameter list to pre-fill a prompt for `export` with.
    pub fn template(&self, component: &Path, export: &str) -> Result<String, String> {
        struct Quiet;
        impl Events for Quiet {
            fn compiling(&self) {}
            fn running(&self) {}
            fn output(&self, _: Stream, _: &[u8]) {}
        }
        let (prepared, _) = self.prepared(component, None, &Quiet)?;
        prepared.template(export).map_err(|e| e.to_string())
    }

    /// Runs `action` on the component at `component` under the `[run]`
    /// limits of `settings`, stopping when `cancel` is set. An error is a
    /// setup failure (unreadable component, bad settings); what the guest
    /// did, traps included, is in [`Execution::ended`].
    pub fn execute(
        &self,
        component: &Path,
        action: &Action,
        settings: &Settings,
        base: &Path,
        cancel: Cancel,
        events: Arc<dyn Events>,
    ) -> Result<Execution, String> {
        let mut limits = settings.limits();
        limits.cancel = Some(cancel);
        let stand_ins = StandIns::of(settings, base);
        let (prepared, compile) = self.prepared(component, Some(&stand_ins), events.as_ref())?;
        let sink = events.clone();
        let stdio = Stdio::capture(
            OUTPUT_CAP,
            Arc::new(move |stream, bytes| sink.output(stream, bytes)),
        );
        let mut capabilities = settings.capabilities(base, stdio.clone());
        let program = component
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        capabilities.args = std::iter::once(program)
            .chain(settings.program_args.iter().cloned())
            .collect();
        events.running();
        let executor = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start a run: {e}"))?;
        let ended = executor.block_on(async {
            match action {
                Action::Run => {
                    let started = Instant::now();
                    match prepared.run(&capabilities, &limits).await {
                        Ok(code) => Ended::Exited {
                            code,
                            duration: started.elapsed(),
                        },
                        Err(e) => Ended::Failed(e),
                    }
                }
                Action::Invoke(call) => match prepared.invoke(call, &capabilities, &limits).await {
                    Ok(invocation) => Ended::Invoked(invocation),
                    Err(e) => Ended::Failed(e),
                },
                Action::Trace(call) => {
                    Ended::Traced(Box::new(prepared.trace(call, &capabilities, &limits).await))
                }
                Action::Request {
                    request,
                    trace: false,
                } => match prepared.request(request, &capabilities, &limits).await {
                    Ok(response) => Ended::Responded(response),
                    Err(e) => Ended::Failed(e),
                },
                Action::Request {
                    request,
                    trace: true,
                } => Ended::TracedRequest(Box::new(
                    prepared
                        .trace_request(request, &capabilities, &limits)
                        .await,
                )),
            }
        });
        let output_truncated = match &stdio {
            Stdio::Capture { state, .. } => state.truncated(),
            Stdio::Inherit => false,
        };
        Ok(Execution {
            ended,
            output_truncated,
            compile,
        })
    }
}

/// Runs a `[[component]] build` command with `sh -c` in `dir`, its output
/// going to `events`; a cancel kills it. Returns its exit code.
pub fn build(
    command: &str,
    dir: &Path,
    cancel: &Cancel,
    events: &dyn Events,
) -> Result<i32, String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(ProcessStdio::null())
        .stdout(ProcessStdio::piped())
        .stderr(ProcessStdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `{command}`: {e}"))?;
    let (sender, receiver) = std::sync::mpsc::channel::<(Stream, Vec<u8>)>();
    let mut readers = Vec::new();
    let pipes: [(Stream, Option<Box<dyn Read + Send>>); 2] = [
        (
            Stream::Stdout,
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
        (
            Stream::Stderr,
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
    ];
    for (stream, pipe) in pipes {
        let Some(mut pipe) = pipe else { continue };
        let sender = sender.clone();
        readers.push(std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n) = pipe.read(&mut buffer) {
                if n == 0 || sender.send((stream, buffer[..n].to_vec())).is_err() {
                    break;
                }
            }
        }));
    }
    drop(sender);
    let status = loop {
        match receiver.recv_timeout(Duration::from_millis(20)) {
            Ok((stream, bytes)) => events.output(stream, &bytes),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                break child.wait().map_err(|e| e.to_string())?;
            }
        }
        if cancel.is_cancelled() {
            let _ = child.kill();
        }
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            // Whatever the pipes still hold comes first.
            for (stream, bytes) in receiver.iter() {
                events.output(stream, &bytes);
            }
            break status;
        }
    };
    for reader in readers {
        let _ = reader.join();
    }
    if cancel.is_cancelled() {
        return Err(format!("`{command}` was cancelled"));
    }
    Ok(status.code().unwrap_or(-1))
}

/// The newest modification time of the package's own WIT files.
fn newest_wit(analysis: &PackageAnalysis) -> Option<SystemTime> {
    analysis
        .groups
        .iter()
        .filter(|g| g.is_main)
        .flat_map(|g| &g.files)
        .filter_map(|&f| std::fs::metadata(&analysis.file(f).path).ok())
        .filter_map(|m| m.modified().ok())
        .max()
}
