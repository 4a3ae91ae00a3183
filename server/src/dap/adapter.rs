//! The adapter: DAP requests in, a [`DebugSession`] driven, responses and
//! events out. Requests are answered at once; what takes time (the guest
//! running to a stop, to its end) is reported by events. Each request's
//! handler is in the file named after it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wasmlens_runtime::debug::{
    Children, DebugSession, FrameView, Resume, ScopeKind, StepKind, StepUnit,
};

use super::protocol::*;
use super::transport::write_message;

/// Where messages to the client go; shared with the threads that report
/// the guest's output and stops.
#[derive(Clone)]
pub struct Outbox {
    writer: Arc<Mutex<Box<dyn std::io::Write + Send>>>,
    seq: Arc<AtomicI64>,
}

impl Outbox {
    pub fn new(writer: Box<dyn std::io::Write + Send>) -> Outbox {
        Outbox {
            writer: Arc::new(Mutex::new(writer)),
            seq: Arc::default(),
        }
    }

    fn send(&self, mut message: Value) {
        message["seq"] = json!(self.seq.fetch_add(1, Ordering::SeqCst) + 1);
        let mut writer = crate::sync::lock(&self.writer);
        // A client that went away cannot be told anything more.
        let _ = write_message(&mut *writer, &message);
    }

    pub fn event(&self, event: &str, body: Value) {
        self.send(json!({"type": "event", "event": event, "body": body}));
    }

    pub(super) fn respond(&self, request: &Value, result: Result<Value, String>) {
        let mut response = json!({
            "type": "response",
            "request_seq": request["seq"],
            "command": request["command"],
            "success": result.is_ok(),
        });
        match result {
            Ok(body) => response["body"] = body,
            Err(message) => response["message"] = json!(message),
        }
        self.send(response);
    }
}

/// What a variables reference lists.
pub(super) enum Reference {
    Scope {
        wasm_frame: usize,
        kind: ScopeKind,
    },
    Children {
        of: Children,
        /// How the parent is written, for its children's `evaluateName`.
        parent: Option<String>,
    },
}

/// The one debuggee thread DAP sees.
pub(super) const THREAD_ID: i64 = 1;

pub struct Adapter {
    pub(super) outbox: Outbox,
    pub(super) session: Option<DebugSession>,
    /// Set while the guest runs (no frames to show).
    pub(super) running: Arc<AtomicBool>,
    /// Set while a restart ends the old session: its end is not reported.
    pub(super) restarting: Arc<AtomicBool>,
    /// The folder relative paths of the launch start from.
    pub(super) cwd: PathBuf,
    /// The launch configuration, for a restart.
    pub(super) launched: Option<LaunchArguments>,
    /// What the client asked for, set again on a restart.
    pub(super) requested: Requested,
    /// The stack of the current stop, as shown (frame ids are indexes).
    pub(super) frames: Vec<FrameView>,
    /// Variables references of the current stop (a reference is its
    /// index + 1); cleared when the guest runs.
    pub(super) references: Vec<Reference>,
    /// The client asked to end: exit once the session has ended.
    pub done: bool,
    /// The thread that reports the session's stops and end.
    pub(super) reporter: Option<std::thread::JoinHandle<()>>,
}

/// The breakpoints and filters the client set, by request.
#[derive(Default, Clone)]
pub(super) struct Requested {
    pub by_file: std::collections::BTreeMap<String, SetBreakpointsArguments>,
    pub functions: Option<SetFunctionBreakpointsArguments>,
    pub exceptions: Option<SetExceptionBreakpointsArguments>,
}

impl Adapter {
    pub fn new(outbox: Outbox) -> Adapter {
        Adapter {
            outbox,
            session: None,
            running: Arc::default(),
            restarting: Arc::default(),
            cwd: std::env::current_dir().unwrap_or_default(),
            launched: None,
            requested: Requested::default(),
            frames: Vec::new(),
            references: Vec::new(),
            done: false,
            reporter: None,
        }
    }

    /// Ends the session (if any) and waits until its end is reported, so
    /// the client hears `exited` and `terminated` before the process exits.
    pub fn finish(mut self) {
        self.end_session();
    }

    /// Ends the session and waits for its reporter.
    pub(super) fn end_session(&mut self) {
        if let Some(session) = self.session.take() {
            // Dropping terminates the guest and joins its thread.
            drop(session);
        }
        if let Some(reporter) = self.reporter.take() {
            let _ = reporter.join();
        }
    }

    /// Answers one request.
    pub fn handle(&mut self, request: &Value) {
        let command = request["command"].as_str().unwrap_or_default().to_string();
        let arguments = request.get("arguments").cloned().unwrap_or(Value::Null);
        let result = match command.as_str() {
            "initialize" => Ok(capabilities()),
            "launch" => self.launch(arguments),
            "restart" => self.restart(arguments),
            "setBreakpoints" => self.set_breakpoints(arguments),
            "setFunctionBreakpoints" => self.set_function_breakpoints(arguments),
            "setExceptionBreakpoints" => self.set_exception_breakpoints(arguments),
            "configurationDone" => self.with_session(|session| {
                session.start();
                Ok(Value::Null)
            }),
            "threads" => Ok(json!({"threads": [{"id": THREAD_ID, "name": "guest"}]})),
            "stackTrace" => self.stack_trace(),
            "scopes" => self.scopes(arguments),
            "variables" => self.variables(arguments),
            "evaluate" => self.evaluate(arguments),
            "continue" => self.resume(Resume::Continue),
            "next" => self.step(StepKind::Over, arguments),
            "stepIn" => self.step(StepKind::Into, arguments),
            "stepOut" => self.step(StepKind::Out, arguments),
            "pause" => self.with_session(|session| {
                session.pause();
                Ok(Value::Null)
            }),
            "readMemory" => self.read_memory(arguments),
            "disassemble" => self.disassemble(arguments),
            "terminate" | "disconnect" => {
                self.done = command == "disconnect";
                match &self.session {
                    Some(session) => session.terminate(),
                    None => self.done = true,
                }
                Ok(Value::Null)
            }
            other => Err(format!("wasmlens dap does not support `{other}`")),
        };
        self.outbox.respond(request, result);
    }

    pub(super) fn with_session(
        &self,
        work: impl FnOnce(&DebugSession) -> Result<Value, String>,
    ) -> Result<Value, String> {
        match &self.session {
            Some(session) => work(session),
            None => Err(no_session()),
        }
    }

    pub(super) fn stopped_session(&self) -> Result<&DebugSession, String> {
        let session = self.session.as_ref().ok_or_else(no_session)?;
        if self.running.load(Ordering::SeqCst) {
            return Err("the program is running; pause it first".into());
        }
        Ok(session)
    }

    fn resume(&mut self, how: Resume) -> Result<Value, String> {
        self.stopped_session()?;
        self.frames.clear();
        self.references.clear();
        // Running before it resumes: a stop reported at once must find it
        // set, to clear it.
        self.running.store(true, Ordering::SeqCst);
        self.session.as_ref().ok_or_else(no_session)?.resume(how);
        Ok(json!({"allThreadsContinued": true}))
    }

    fn step(&mut self, kind: StepKind, arguments: Value) -> Result<Value, String> {
        let arguments: StepArguments = parse(arguments).unwrap_or_default();
        let unit = match arguments.granularity.as_deref() {
            Some("instruction") => StepUnit::Instruction,
            _ => StepUnit::Line,
        };
        self.resume(Resume::Step(kind, unit)).map(|_| Value::Null)
    }
}

pub(super) fn no_session() -> String {
    "no program is being debugged; launch one first".to_string()
}

fn capabilities() -> Value {
    json!({
        "supportsConfigurationDoneRequest": true,
        "supportsFunctionBreakpoints": true,
        "supportsConditionalBreakpoints": true,
        "supportsHitConditionalBreakpoints": true,
        "supportsLogPoints": true,
        "supportsSteppingGranularity": true,
        "supportsReadMemoryRequest": true,
        "supportsDisassembleRequest": true,
        "supportsInstructionBreakpoints": false,
        "supportsRestartRequest": true,
        "supportsTerminateRequest": true,
        "supportsEvaluateForHovers": true,
        "exceptionBreakpointFilters": [
            {"filter": "trap", "label": "Traps", "description": "Stop where the guest traps", "default": true}
        ],
    })
}

pub(super) fn parse<T: DeserializeOwned>(arguments: Value) -> Result<T, String> {
    serde_json::from_value(arguments).map_err(|e| format!("bad arguments: {e}"))
}

pub(super) fn source_out(path: &Path) -> SourceOut {
    SourceOut {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.display().to_string(),
        presentation_hint: None,
    }
}
