//! `launch` and `restart`: the component loaded as `wasmlens run` loads
//! it, the session started with the configuration's grants, and the
//! breakpoints of a restarted session set again.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::{Value, json};
use wasmlens_runtime::debug::{DebugSession, Launch};
use wasmlens_runtime::sandbox::Stream;
use wasmlens_runtime::{
    Capabilities, DirGrant, EngineOptions, Limits, PrecompiledPolicy, Prepared, Runtime, Stdio,
    load_file,
};

use super::adapter::{Adapter, parse};
use super::protocol::*;
use super::report::report;

impl Adapter {
    pub(super) fn launch(&mut self, arguments: Value) -> Result<Value, String> {
        if self.session.is_some() {
            return Err("a program is already being debugged".into());
        }
        let launch: LaunchArguments = parse(arguments)?;
        self.start_session(&launch)?;
        self.launched = Some(launch);
        // Breakpoints come next, then configurationDone runs the guest.
        self.outbox.event("initialized", Value::Null);
        Ok(Value::Null)
    }

    /// Ends the session and starts it again, with new arguments if the
    /// client sends them, keeping every breakpoint; it runs at once (the
    /// client configured it before).
    pub(super) fn restart(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: RestartArguments = parse(arguments).unwrap_or_default();
        let launch = match arguments.arguments.or_else(|| self.launched.clone()) {
            Some(launch) => launch,
            None => return Err("nothing was launched to restart".into()),
        };
        // The old session's end is not the debug session's end.
        self.restarting.store(true, Ordering::SeqCst);
        self.end_session();
        self.restarting.store(false, Ordering::SeqCst);
        self.frames.clear();
        self.references.clear();
        self.start_session(&launch)?;
        self.launched = Some(launch);
        let requested = self.requested.clone();
        for breakpoints in requested.by_file.into_values() {
            self.apply_breakpoints(breakpoints)?;
        }
        if let Some(functions) = requested.functions {
            self.apply_function_breakpoints(functions)?;
        }
        if let Some(exceptions) = requested.exceptions {
            self.apply_exception_breakpoints(exceptions)?;
        }
        self.with_session(|session| {
            session.start();
            Ok(Value::Null)
        })
    }

    fn start_session(&mut self, launch: &LaunchArguments) -> Result<(), String> {
        if let Some(cwd) = &launch.cwd {
            self.cwd = PathBuf::from(cwd);
        }
        let Some(component) = &launch.component else {
            return Err("the launch configuration has no `component`: the .wasm to debug".into());
        };
        let path = self.cwd.join(component);
        let runtime =
            Runtime::with_options(EngineOptions::for_debugging()).map_err(|e| format!("{e:#}"))?;
        let artifact = load_file(&runtime, &path, PrecompiledPolicy::Refuse)
            .map_err(|e| format!("{}: {e:#}", path.display()))?;
        let prepared = Prepared::new(&runtime, &artifact).map_err(|e| format!("{e:#}"))?;
        let outbox = self.outbox.clone();
        let output = move |stream: Stream, bytes: &[u8]| {
            let category = match stream {
                Stream::Stdout => "stdout",
                Stream::Stderr => "stderr",
            };
            outbox.event(
                "output",
                json!({"category": category, "output": String::from_utf8_lossy(bytes)}),
            );
        };
        let program = path.display().to_string();
        let capabilities = Capabilities {
            dirs: launch
                .dirs
                .iter()
                .map(|d| DirGrant {
                    host: self.cwd.join(&d.host),
                    guest: d.guest.clone().unwrap_or_else(|| d.host.clone()),
                    read_only: d.read_only,
                })
                .collect(),
            env: launch.env.clone().into_iter().collect(),
            inherit_env: false,
            allow_net: launch.allow_net,
            args: std::iter::once(program)
                .chain(launch.args.clone())
                .collect(),
            stdio: Stdio::capture(usize::MAX, Arc::new(output)),
        };
        let what = match &launch.invoke {
            Some(call) => Launch::Invoke(call.clone()),
            None => Launch::Run,
        };
        let (events, reports) = std::sync::mpsc::channel();
        let session = DebugSession::launch(
            &prepared,
            what,
            capabilities,
            Limits::editor(),
            launch.stop_on_entry,
            events,
        )
        .map_err(|e| e.to_string())?;
        self.session = Some(session);
        self.running.store(true, Ordering::SeqCst);
        let running = self.running.clone();
        let restarting = self.restarting.clone();
        let outbox = self.outbox.clone();
        let call = launch.invoke.clone();
        let reporter = std::thread::Builder::new()
            .name("wasmlens-dap-events".into())
            .spawn(move || report(reports, outbox, running, restarting, call))
            .map_err(|e| format!("cannot start: {e}"))?;
        self.reporter = Some(reporter);
        Ok(())
    }
}
