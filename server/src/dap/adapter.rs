//! The adapter: DAP requests in, a [`DebugSession`] driven, responses and
//! events out. Requests are answered at once; what takes time (the guest
//! running to a stop, to its end) is reported by events.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wasmlens_runtime::debug::{
    BreakpointState, DebugSession, Ending, Launch, Resume, ScopeKind, SessionEvent, StepKind,
    StepUnit, StopReason,
};
use wasmlens_runtime::sandbox::Stream;
use wasmlens_runtime::{
    Capabilities, DirGrant, EngineOptions, Limits, PrecompiledPolicy, Prepared, Runtime, Stdio,
    load_file,
};

use super::protocol::*;
use super::transport::write_message;
use crate::lenses::source_map::source_file;

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

    fn respond(&self, request: &Value, result: Result<Value, String>) {
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

/// Variables references: per wasm frame, one per scope kind.
const SCOPES: [(ScopeKind, &str); 3] = [
    (ScopeKind::WasmLocals, "Wasm locals"),
    (ScopeKind::OperandStack, "Operand stack"),
    (ScopeKind::Globals, "Globals"),
];

fn variables_reference(wasm_frame: usize, scope: usize) -> i64 {
    (wasm_frame * SCOPES.len() + scope + 1) as i64
}

/// The one debuggee thread DAP sees.
const THREAD_ID: i64 = 1;

pub struct Adapter {
    outbox: Outbox,
    session: Option<DebugSession>,
    /// Set while the guest runs (no frames to show).
    running: Arc<AtomicBool>,
    /// The folder relative paths of the launch start from.
    cwd: PathBuf,
    /// The stack of the current stop, as shown (frame ids are indexes).
    frames: Vec<wasmlens_runtime::debug::FrameView>,
    /// The client asked to end: exit once the session has ended.
    pub done: bool,
    /// The thread that reports the session's stops and end.
    reporter: Option<std::thread::JoinHandle<()>>,
}

impl Adapter {
    pub fn new(outbox: Outbox) -> Adapter {
        Adapter {
            outbox,
            session: None,
            running: Arc::default(),
            cwd: std::env::current_dir().unwrap_or_default(),
            frames: Vec::new(),
            done: false,
            reporter: None,
        }
    }

    /// Ends the session (if any) and waits until its end is reported, so
    /// the client hears `exited` and `terminated` before the process exits.
    pub fn finish(mut self) {
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
            "continue" => self.resume(Resume::Continue),
            "next" => self.step(StepKind::Over, arguments),
            "stepIn" => self.step(StepKind::Into, arguments),
            "stepOut" => self.step(StepKind::Out, arguments),
            "pause" => self.with_session(|session| {
                session.pause();
                Ok(Value::Null)
            }),
            "evaluate" => self.evaluate(arguments),
            "readMemory" => self.read_memory(arguments),
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

    fn with_session(
        &self,
        work: impl FnOnce(&DebugSession) -> Result<Value, String>,
    ) -> Result<Value, String> {
        match &self.session {
            Some(session) => work(session),
            None => Err("no program is being debugged; launch one first".into()),
        }
    }

    fn stopped_session(&self) -> Result<&DebugSession, String> {
        let session = self
            .session
            .as_ref()
            .ok_or("no program is being debugged; launch one first")?;
        if self.running.load(Ordering::SeqCst) {
            return Err("the program is running; pause it first".into());
        }
        Ok(session)
    }

    fn stopped_session_or_running(&self) -> Result<&DebugSession, String> {
        self.session
            .as_ref()
            .ok_or_else(|| "no program is being debugged; launch one first".to_string())
    }

    fn launch(&mut self, arguments: Value) -> Result<Value, String> {
        if self.session.is_some() {
            return Err("a program is already being debugged".into());
        }
        let launch: LaunchArguments = parse(arguments)?;
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
        let outbox = self.outbox.clone();
        let call = launch.invoke.clone();
        let reporter = std::thread::Builder::new()
            .name("wasmlens-dap-events".into())
            .spawn(move || report(reports, outbox, running, call))
            .map_err(|e| format!("cannot start: {e}"))?;
        self.reporter = Some(reporter);
        // Breakpoints come next, then configurationDone runs the guest.
        self.outbox.event("initialized", Value::Null);
        Ok(Value::Null)
    }

    fn set_breakpoints(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: SetBreakpointsArguments = parse(arguments)?;
        let path = arguments
            .source
            .path
            .ok_or("setBreakpoints needs `source.path`")?;
        let lines: Vec<u32> = arguments.breakpoints.iter().map(|b| b.line).collect();
        let session = self.session.as_ref().ok_or("launch first")?;
        let file = self.cwd.join(&path);
        let placed = session.set_breakpoints(&file, &lines);
        let source = source_out(&file);
        let breakpoints: Vec<Breakpoint> = placed
            .into_iter()
            .map(|b| breakpoint(b, Some(source.clone())))
            .collect();
        Ok(json!({ "breakpoints": breakpoints }))
    }

    fn set_function_breakpoints(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: SetFunctionBreakpointsArguments = parse(arguments)?;
        let names: Vec<String> = arguments.breakpoints.into_iter().map(|b| b.name).collect();
        let session = self.session.as_ref().ok_or("launch first")?;
        let breakpoints: Vec<Breakpoint> = session
            .set_function_breakpoints(&names)
            .into_iter()
            .map(|b| breakpoint(b, None))
            .collect();
        Ok(json!({ "breakpoints": breakpoints }))
    }

    fn set_exception_breakpoints(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: SetExceptionBreakpointsArguments = parse(arguments)?;
        let session = self.session.as_ref().ok_or("launch first")?;
        session.stop_on_traps(arguments.filters.iter().any(|f| f == "trap"));
        Ok(Value::Null)
    }

    fn stack_trace(&mut self) -> Result<Value, String> {
        let session = self.stopped_session()?;
        self.frames = session.stack()?;
        let frames: Vec<StackFrame> = self
            .frames
            .iter()
            .enumerate()
            .map(|(i, frame)| {
                let source = frame.source.as_ref().map(|line| {
                    let recorded = line.file.to_string_lossy();
                    match source_file(&recorded, &self.cwd) {
                        Some(local) => source_out(&local),
                        None => SourceOut {
                            presentation_hint: Some("deemphasize"),
                            ..source_out(&line.file)
                        },
                    }
                });
                StackFrame {
                    id: i as i64,
                    name: frame.name.clone(),
                    line: frame.source.as_ref().map_or(0, |l| l.line),
                    column: frame.source.as_ref().map_or(0, |l| l.column.max(1)),
                    presentation_hint: source.is_none().then_some("subtle"),
                    source,
                    instruction_pointer_reference: format!("{}+{:#x}", frame.module, frame.pc),
                }
            })
            .collect();
        Ok(json!({"stackFrames": frames, "totalFrames": frames.len()}))
    }

    fn frame(&self, frame_id: i64) -> Result<usize, String> {
        self.frames
            .get(usize::try_from(frame_id).unwrap_or(usize::MAX))
            .map(|f| f.wasm_frame)
            .ok_or_else(|| format!("no frame {frame_id}; ask for the stack first"))
    }

    fn scopes(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: ScopesArguments = parse(arguments)?;
        let wasm_frame = self.frame(arguments.frame_id)?;
        let scopes: Vec<Scope> = SCOPES
            .iter()
            .enumerate()
            .map(|(i, (kind, name))| Scope {
                name: name.to_string(),
                variables_reference: variables_reference(wasm_frame, i),
                expensive: false,
                presentation_hint: matches!(kind, ScopeKind::WasmLocals).then_some("locals"),
            })
            .collect();
        Ok(json!({ "scopes": scopes }))
    }

    fn variables(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: VariablesArguments = parse(arguments)?;
        let index = usize::try_from(arguments.variables_reference - 1)
            .map_err(|_| "no such variables reference".to_string())?;
        let (wasm_frame, scope) = (index / SCOPES.len(), SCOPES[index % SCOPES.len()].0);
        let session = self.stopped_session()?;
        let variables: Vec<Variable> = session
            .variables(wasm_frame, scope)?
            .into_iter()
            .map(|v| Variable {
                name: v.name,
                value: v.value,
                type_name: v.type_name,
                variables_reference: 0,
            })
            .collect();
        Ok(json!({ "variables": variables }))
    }

    fn resume(&mut self, how: Resume) -> Result<Value, String> {
        self.stopped_session()?;
        self.frames.clear();
        // Running before it resumes: a stop reported at once must find it
        // set, to clear it.
        self.running.store(true, Ordering::SeqCst);
        self.stopped_session_or_running()?.resume(how);
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

    /// A wasm local (`$0`), operand (`[0]`) or global by name in a frame.
    fn evaluate(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: EvaluateArguments = parse(arguments)?;
        let wasm_frame = self.frame(arguments.frame_id.unwrap_or(0))?;
        let session = self.stopped_session()?;
        let wanted = arguments.expression.trim();
        for (kind, _) in SCOPES {
            if let Some(found) = session
                .variables(wasm_frame, kind)?
                .into_iter()
                .find(|v| v.name == wanted)
            {
                return Ok(
                    json!({"result": found.value, "type": found.type_name, "variablesReference": 0}),
                );
            }
        }
        Err(format!(
            "`{wanted}` is not a wasm local (`$0`), operand (`[0]`) or global of this frame"
        ))
    }

    fn read_memory(&mut self, arguments: Value) -> Result<Value, String> {
        use base64::Engine as _;
        let arguments: ReadMemoryArguments = parse(arguments)?;
        let base = parse_address(&arguments.memory_reference)?;
        let address = base.saturating_add_signed(arguments.offset);
        let session = self.stopped_session()?;
        let bytes = session.read_memory(0, address, arguments.count)?;
        Ok(json!({
            "address": format!("{address:#x}"),
            "data": base64::engine::general_purpose::STANDARD.encode(&bytes),
            "unreadableBytes": arguments.count - bytes.len(),
        }))
    }
}

/// Forwards the session's stops and its end to the client.
fn report(
    reports: std::sync::mpsc::Receiver<SessionEvent>,
    outbox: Outbox,
    running: Arc<AtomicBool>,
    call: Option<String>,
) {
    for event in reports {
        match event {
            SessionEvent::Stopped(stop) => {
                running.store(false, Ordering::SeqCst);
                let reason = match stop.reason {
                    StopReason::Entry => "entry",
                    StopReason::Breakpoint => "breakpoint",
                    StopReason::Step => "step",
                    StopReason::Pause => "pause",
                    StopReason::Trap => "exception",
                };
                outbox.event(
                    "stopped",
                    json!({
                        "reason": reason,
                        "threadId": THREAD_ID,
                        "allThreadsStopped": true,
                        "hitBreakpointIds": stop.breakpoints,
                        "description": (!stop.description.is_empty()).then_some(&stop.description),
                        "text": (!stop.description.is_empty()).then_some(&stop.description),
                    }),
                );
            }
            SessionEvent::Ended(ending) => {
                running.store(true, Ordering::SeqCst);
                let (line, code) = match &ending {
                    Ending::Returned(results) => {
                        let result = match results.as_slice() {
                            [one] => one.clone(),
                            many => format!("({})", many.join(", ")),
                        };
                        (
                            format!("{} = {result}\n", call.as_deref().unwrap_or("the call")),
                            0,
                        )
                    }
                    Ending::Exited(code) => (format!("exited with {code}\n"), *code),
                    Ending::Failed(error) => (format!("failed: {error}\n"), 134),
                    Ending::Terminated => ("terminated\n".to_string(), 143),
                };
                outbox.event("output", json!({"category": "console", "output": line}));
                outbox.event("exited", json!({"exitCode": code}));
                outbox.event("terminated", json!({}));
                break;
            }
        }
    }
}

fn breakpoint(placed: BreakpointState, source: Option<SourceOut>) -> Breakpoint {
    Breakpoint {
        id: placed.id,
        verified: placed.verified,
        line: placed.line,
        message: placed.message,
        source,
    }
}

fn capabilities() -> Value {
    json!({
        "supportsConfigurationDoneRequest": true,
        "supportsFunctionBreakpoints": true,
        "supportsSteppingGranularity": true,
        "supportsReadMemoryRequest": true,
        "supportsTerminateRequest": true,
        "supportsEvaluateForHovers": true,
        "exceptionBreakpointFilters": [
            {"filter": "trap", "label": "Traps", "description": "Stop where the guest traps", "default": true}
        ],
    })
}

fn parse<T: DeserializeOwned>(arguments: Value) -> Result<T, String> {
    serde_json::from_value(arguments).map_err(|e| format!("bad arguments: {e}"))
}

fn parse_address(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.map_err(|_| format!("`{text}` is not a memory address"))
}

fn source_out(path: &Path) -> SourceOut {
    SourceOut {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.display().to_string(),
        presentation_hint: None,
    }
}
