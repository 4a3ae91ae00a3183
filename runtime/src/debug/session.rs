//! One debug session: the guest on a thread of its own, Wasmtime's debug
//! handler deciding where to stop, and the caller's commands answered
//! while stopped.
//!
//! How it fits Wasmtime 48's API: the handler runs on the guest's fiber
//! with its frames on the stack, and may `.await`; a stop is the handler
//! awaiting the next command. Nothing can touch the store while the guest
//! runs, so a pause or a breakpoint edit made then is queued and the
//! engine's epoch advanced: the guest reaches an epoch check (a function
//! entry or loop header) and the handler applies it there. Terminating
//! drops the running call (safe even while stopped inside the handler).
//!
//! Wasmtime keys breakpoints by pc across all core modules of a component,
//! so a breakpoint can fire in another module at the same pc: every stop is
//! checked against our own table of (module, pc).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{Mutex as AsyncMutex, Notify, mpsc, oneshot};
use wasmtime::{
    AsContextMut, DebugHandler, Engine, FrameHandle, Module, ModulePC, StoreContextMut,
};

use super::conditions::{self, BreakpointOptions, HitCondition, LogPart};
use super::dwarf::{Index, Machine, SourceValue};
use super::symbols::{ModuleSymbols, SourceLine};
use super::values::{Children, FrameMachine, Variable, source_variable, wasm_variable};
use crate::prepared::{Host, Prepared, ResolvedCall};
use crate::{Artifact, Capabilities, Limits, RunError};

/// What the session runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// An export, with WAVE arguments: `add(1, 2)`.
    Invoke(String),
    /// `wasi:cli/run` (or a preview 1 program's `_start`).
    Run,
}

/// What the session tells its caller, in order.
#[derive(Debug)]
pub enum SessionEvent {
    Stopped(Stop),
    /// A logpoint's message, with its expressions' values.
    Log(String),
    /// The call or command ended (after its last stop).
    Ended(Ending),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub reason: StopReason,
    /// For a trap: what happened.
    pub description: String,
    /// The breakpoints hit, by id.
    pub breakpoints: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    Entry,
    Breakpoint,
    Step,
    Pause,
    Trap,
}

#[derive(Debug)]
pub enum Ending {
    /// An invoked export returned these results (WAVE).
    Returned(Vec<String>),
    /// A command ended with this exit code.
    Exited(i32),
    Failed(RunError),
    /// The caller terminated the session.
    Terminated,
}

/// A breakpoint as placed: verified at the line that has code, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakpointState {
    pub id: u32,
    pub verified: bool,
    /// The line it is on (the requested one, or the next with code).
    pub line: Option<u32>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    Continue,
    Step(StepKind, StepUnit),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Into,
    Over,
    Out,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepUnit {
    Line,
    Instruction,
}

/// A frame of the stack as a debugger shows it: one per wasm frame, and
/// one more per function inlined into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameView {
    pub name: String,
    pub source: Option<SourceLine>,
    /// The core module's name, or its position in the component.
    pub module: String,
    /// Module-relative pc.
    pub pc: u32,
    /// The pc as one number across the component's core modules (the
    /// module's position in the high 32 bits): what [`DebugSession::disassemble`]
    /// takes.
    pub address: u64,
    /// Which wasm frame this is (for its variables): 0 is the innermost.
    pub wasm_frame: usize,
    /// Which function level of the wasm frame: 0 is the innermost inlined
    /// function (for its source variables).
    pub inline_depth: usize,
    /// A function inlined into its wasm frame (shares its variables).
    pub inlined: bool,
}

/// The values of a wasm frame a debugger can always show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// Source variables (DWARF) of one function level of the frame.
    Locals {
        inline_depth: usize,
    },
    /// Source variables outside any function in the frame's unit (C
    /// globals, statics).
    Statics,
    /// Parameters and locals of the wasm function.
    WasmLocals,
    OperandStack,
    /// The globals of the frame's instance.
    Globals,
}

type Reply<T> = oneshot::Sender<T>;

enum Command {
    SetBreakpoints {
        file: PathBuf,
        lines: Vec<(u32, BreakpointOptions)>,
        reply: Reply<Vec<BreakpointState>>,
    },
    SetFunctionBreakpoints {
        names: Vec<(String, BreakpointOptions)>,
        reply: Reply<Vec<BreakpointState>>,
    },
    StopOnTraps(bool),
    Start,
    Resume(Resume),
    Stack(Reply<Result<Vec<FrameView>, String>>),
    Variables {
        wasm_frame: usize,
        scope: ScopeKind,
        reply: Reply<Result<Vec<Variable>, String>>,
    },
    Children {
        of: Children,
        reply: Reply<Result<Vec<Variable>, String>>,
    },
    Evaluate {
        wasm_frame: usize,
        inline_depth: usize,
        text: String,
        reply: Reply<Result<Variable, String>>,
    },
    Disassemble {
        address: u64,
        instruction_offset: i64,
        count: usize,
        reply: Reply<Vec<Option<Instruction>>>,
    },
    ReadMemory {
        wasm_frame: usize,
        address: u64,
        count: usize,
        reply: Reply<Result<Vec<u8>, String>>,
    },
    /// Before the start or while stopped: end the session.
    Terminate,
}

/// What the caller's side and the session thread share.
struct Shared {
    engine: Engine,
    pause: AtomicBool,
    terminate: AtomicBool,
    terminated: Notify,
    /// The session thread has ended (the ticker stops).
    ended: AtomicBool,
}

/// How often a running guest reaches an epoch check that reads the
/// caller's commands. Each command also advances the epoch at once, but an
/// advance made while the guest is stopped is used up by that stop, so a
/// command sent just as the guest resumes waits for the next tick.
const TICK: std::time::Duration = std::time::Duration::from_millis(10);

/// A session; dropping it terminates the guest.
pub struct DebugSession {
    commands: mpsc::UnboundedSender<Command>,
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl DebugSession {
    /// Starts a session for `launch` on `prepared` (linked with a debug
    /// engine, [`crate::EngineOptions::for_debugging`]). Nothing runs until
    /// [`DebugSession::start`]; breakpoints set before it apply from the
    /// first instruction. A call that does not parse, or names no export,
    /// fails here, as `wasmlens run --invoke` would.
    pub fn launch(
        prepared: &Prepared,
        launch: Launch,
        capabilities: Capabilities,
        limits: Limits,
        stop_on_entry: bool,
        events: std::sync::mpsc::Sender<SessionEvent>,
    ) -> Result<DebugSession, RunError> {
        if !prepared.runtime().options().guest_debug {
            return Err(RunError::Call(
                "the component was compiled without guest debugging".into(),
            ));
        }
        let call = match &launch {
            Launch::Invoke(call) => Some(prepared.resolve_call(call)?),
            Launch::Run => None,
        };
        // A paused guest must not time out, and nothing but the user
        // cancels it.
        let limits = Limits {
            fuel: None,
            timeout: None,
            cancel: None,
            ..limits
        };
        let (commands, receiver) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            engine: prepared.runtime().engine().clone(),
            pause: AtomicBool::new(false),
            terminate: AtomicBool::new(false),
            terminated: Notify::new(),
            ended: AtomicBool::new(false),
        });
        let guest = Guest {
            prepared: prepared.clone(),
            call,
            capabilities,
            limits,
            stop_on_entry,
        };
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("wasmlens-debuggee".into())
            .spawn(move || {
                guest.run(receiver, thread_shared.clone(), events);
                thread_shared.ended.store(true, Ordering::SeqCst);
            })
            .map_err(|e| RunError::Failed(anyhow::anyhow!("cannot start the debug thread: {e}")))?;
        let ticker_shared = shared.clone();
        std::thread::Builder::new()
            .name("wasmlens-debug-tick".into())
            .spawn(move || {
                while !ticker_shared.ended.load(Ordering::SeqCst) {
                    std::thread::sleep(TICK);
                    ticker_shared.engine.increment_epoch();
                }
            })
            .map_err(|e| RunError::Failed(anyhow::anyhow!("cannot start the debug thread: {e}")))?;
        Ok(DebugSession {
            commands,
            shared,
            thread: Some(thread),
        })
    }

    fn send(&self, command: Command) {
        if self.commands.send(command).is_ok() {
            // A running guest reads its commands at the next epoch check.
            self.shared.engine.increment_epoch();
        }
    }

    fn ask<T>(&self, command: impl FnOnce(Reply<T>) -> Command) -> Option<T> {
        let (reply, answer) = oneshot::channel();
        self.send(command(reply));
        answer.blocking_recv().ok()
    }

    /// Replaces the breakpoints of `file` by plain breakpoints on `lines`.
    pub fn set_breakpoints(&self, file: &Path, lines: &[u32]) -> Vec<BreakpointState> {
        let lines: Vec<(u32, BreakpointOptions)> = lines
            .iter()
            .map(|&l| (l, BreakpointOptions::default()))
            .collect();
        self.set_breakpoints_with(file, &lines)
    }

    /// Replaces the breakpoints of `file`, each with its options.
    pub fn set_breakpoints_with(
        &self,
        file: &Path,
        lines: &[(u32, BreakpointOptions)],
    ) -> Vec<BreakpointState> {
        let file = file.to_path_buf();
        let lines = lines.to_vec();
        self.ask(|reply| Command::SetBreakpoints { file, lines, reply })
            .unwrap_or_default()
    }

    /// Replaces the function breakpoints by plain ones.
    pub fn set_function_breakpoints(&self, names: &[String]) -> Vec<BreakpointState> {
        let names: Vec<(String, BreakpointOptions)> = names
            .iter()
            .map(|n| (n.clone(), BreakpointOptions::default()))
            .collect();
        self.set_function_breakpoints_with(&names)
    }

    /// Replaces the function breakpoints, each with its options.
    pub fn set_function_breakpoints_with(
        &self,
        names: &[(String, BreakpointOptions)],
    ) -> Vec<BreakpointState> {
        let names = names.to_vec();
        self.ask(|reply| Command::SetFunctionBreakpoints { names, reply })
            .unwrap_or_default()
    }

    /// Whether a trap stops the session (on by default).
    pub fn stop_on_traps(&self, on: bool) {
        self.send(Command::StopOnTraps(on));
    }

    /// Runs the guest (once breakpoints are set).
    pub fn start(&self) {
        self.send(Command::Start);
    }

    pub fn resume(&self, how: Resume) {
        self.send(Command::Resume(how));
    }

    /// Stops the guest at its next epoch check (a function entry or a loop
    /// header); a guest waiting in a host call stops once it returns.
    pub fn pause(&self) {
        self.shared.pause.store(true, Ordering::SeqCst);
        self.shared.engine.increment_epoch();
    }

    /// The stack while stopped, innermost first.
    pub fn stack(&self) -> Result<Vec<FrameView>, String> {
        self.ask(Command::Stack).unwrap_or_else(|| Err(ended()))
    }

    pub fn variables(&self, wasm_frame: usize, scope: ScopeKind) -> Result<Vec<Variable>, String> {
        self.ask(|reply| Command::Variables {
            wasm_frame,
            scope,
            reply,
        })
        .unwrap_or_else(|| Err(ended()))
    }

    /// The members, elements or pointee of a value listed during this stop.
    pub fn children(&self, of: &Children) -> Result<Vec<Variable>, String> {
        let of = of.clone();
        self.ask(|reply| Command::Children { of, reply })
            .unwrap_or_else(|| Err(ended()))
    }

    /// What the user typed (a hover, a watch, the debug console), as the
    /// code of a frame sees it: a source expression (`a.b`, `p->x`,
    /// `arr[i]`, `*p`) or a wasm name (`$0`, a global).
    pub fn evaluate(
        &self,
        wasm_frame: usize,
        inline_depth: usize,
        text: &str,
    ) -> Result<Variable, String> {
        let text = text.to_string();
        self.ask(|reply| Command::Evaluate {
            wasm_frame,
            inline_depth,
            text,
            reply,
        })
        .unwrap_or_else(|| Err(ended()))
    }

    /// `count` instructions from `instruction_offset` instructions away
    /// from the one at `address` (a [`FrameView::address`]); `None` where
    /// there is none (before the first, past the last).
    pub fn disassemble(
        &self,
        address: u64,
        instruction_offset: i64,
        count: usize,
    ) -> Vec<Option<Instruction>> {
        self.ask(|reply| Command::Disassemble {
            address,
            instruction_offset,
            count,
            reply,
        })
        .unwrap_or_default()
    }

    /// `count` bytes of the linear memory of a frame's instance.
    pub fn read_memory(
        &self,
        wasm_frame: usize,
        address: u64,
        count: usize,
    ) -> Result<Vec<u8>, String> {
        self.ask(|reply| Command::ReadMemory {
            wasm_frame,
            address,
            count,
            reply,
        })
        .unwrap_or_else(|| Err(ended()))
    }

    /// Ends the session now, running or stopped; the caller hears
    /// [`Ending::Terminated`].
    pub fn terminate(&self) {
        self.shared.terminate.store(true, Ordering::SeqCst);
        self.shared.terminated.notify_one();
        // Heard by a session not started yet, or stopped, or (at its next
        // epoch check) running.
        self.send(Command::Terminate);
    }
}

impl Drop for DebugSession {
    fn drop(&mut self) {
        self.terminate();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn ended() -> String {
    "the debug session has ended".to_string()
}

/// What the session thread runs.
struct Guest {
    prepared: Prepared,
    call: Option<ResolvedCall>,
    capabilities: Capabilities,
    limits: Limits,
    stop_on_entry: bool,
}

impl Guest {
    fn run(
        self,
        commands: mpsc::UnboundedReceiver<Command>,
        shared: Arc<Shared>,
        events: std::sync::mpsc::Sender<SessionEvent>,
    ) {
        let executor = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(executor) => executor,
            Err(e) => {
                let error = RunError::Failed(anyhow::anyhow!("cannot start the debug thread: {e}"));
                let _ = events.send(SessionEvent::Ended(Ending::Failed(error)));
                return;
            }
        };
        let ending = executor.block_on(self.debug(commands, shared, events.clone()));
        let _ = events.send(SessionEvent::Ended(ending));
    }

    async fn debug(
        self,
        commands: mpsc::UnboundedReceiver<Command>,
        shared: Arc<Shared>,
        events: std::sync::mpsc::Sender<SessionEvent>,
    ) -> Ending {
        let mut store = match self.prepared.store(&self.capabilities, &self.limits) {
            Ok(store) => store,
            Err(e) => return Ending::Failed(RunError::Failed(e)),
        };
        let artifact = self.prepared.artifact();
        let registered = match &artifact {
            Artifact::Component(component) => store.debug_register_component(component),
            Artifact::Module(module) => store.debug_register_module(module),
        };
        if let Err(e) = registered {
            return Ending::Failed(RunError::Failed(e.into()));
        }
        let modules = module_table(store.debug_all_modules());
        let inner = Arc::new(AsyncMutex::new(Inner {
            commands,
            events,
            modules,
            breakpoints: Breakpoints::default(),
            plan: Plan::Run,
            stop_on_traps: true,
            stopped: None,
            stops: 0,
        }));
        // Before the guest runs: breakpoints, until the caller says start.
        {
            let mut inner = inner.lock().await;
            loop {
                let Some(command) = inner.commands.recv().await else {
                    return Ending::Terminated;
                };
                match inner.configure(&mut store.as_context_mut(), command) {
                    Control::Start => break,
                    Control::Terminate => return Ending::Terminated,
                    Control::Resume(_) | Control::None => {}
                }
                if shared.terminate.load(Ordering::SeqCst) {
                    return Ending::Terminated;
                }
            }
            if self.stop_on_entry {
                inner.plan = Plan::Entry;
                inner.apply_breakpoints(&mut store.as_context_mut(), true);
            }
        }
        store.set_debug_handler(Handler {
            inner: inner.clone(),
            shared: shared.clone(),
        });
        let outcome = {
            let run = async {
                match &self.call {
                    Some(call) => self
                        .prepared
                        .call_in(&mut store, call)
                        .await
                        .map(|(results, _)| Ending::Returned(results)),
                    None => self.prepared.run_in(&mut store).await.map(Ending::Exited),
                }
            };
            tokio::select! {
                biased;
                () = shared.terminated.notified() => None,
                outcome = run => Some(outcome),
            }
        };
        match outcome {
            None => Ending::Terminated,
            Some(Ok(ending)) => ending,
            Some(Err(e)) => match Prepared::failed(&mut store, e, &self.limits) {
                RunError::Exit(code) => Ending::Exited(code),
                error => Ending::Failed(error),
            },
        }
    }
}

/// A core module of the guest, with its symbols.
struct ModuleEntry {
    module: Module,
    key: u64,
    symbols: ModuleSymbols,
    /// Made by Wasmtime, not by the guest's toolchain.
    generated: bool,
    label: String,
}

fn module_table(modules: Vec<Module>) -> Vec<ModuleEntry> {
    modules
        .into_iter()
        .enumerate()
        .map(|(i, module)| {
            let bytes = module.debug_bytecode().unwrap_or_default();
            let symbols = ModuleSymbols::new(bytes);
            let label = module
                .name()
                .map(str::to_string)
                .unwrap_or_else(|| format!("module {i}"));
            ModuleEntry {
                key: module.debug_index_in_engine(),
                // Wasmtime's own modules (adapters between components) come
                // without the toolchain's name section or DWARF.
                generated: bytes.is_empty(),
                module,
                symbols,
                label,
            }
        })
        .collect()
}

/// A pc in a module: where a breakpoint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Site {
    module: u64,
    pc: u32,
}

#[derive(Default)]
struct Breakpoints {
    next_id: u32,
    /// Line breakpoints by the file the caller named.
    by_file: HashMap<PathBuf, Vec<(u32, Vec<Site>)>>,
    /// Function breakpoints.
    functions: Vec<(u32, Vec<Site>)>,
    /// Where Wasmtime placed our breakpoints (after slipping to an
    /// operator), by id.
    placed: HashMap<Site, Vec<u32>>,
    /// What Wasmtime was last given.
    applied: HashSet<(u64, u32)>,
    /// A step's own breakpoints.
    temporary: Vec<Site>,
    /// Conditions, hit counts and log messages, by id.
    options: HashMap<u32, Options>,
}

/// A breakpoint's options as checked, and its hits so far.
struct Options {
    given: BreakpointOptions,
    hit_condition: Option<HitCondition>,
    hits: u64,
}

impl Breakpoints {
    /// Keeps the options of breakpoint `id`, or says why they are refused
    /// (the breakpoint is then not placed).
    fn take_options(&mut self, id: u32, options: &BreakpointOptions) -> Option<BreakpointState> {
        match conditions::check(options) {
            Ok(hit_condition) => {
                if *options != BreakpointOptions::default() {
                    self.options.insert(
                        id,
                        Options {
                            given: options.clone(),
                            hit_condition,
                            hits: 0,
                        },
                    );
                }
                None
            }
            Err(message) => Some(BreakpointState {
                id,
                verified: false,
                line: None,
                message: Some(message),
            }),
        }
    }
}

/// What the guest is doing between stops.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    Run,
    /// Stop at the first line of user code.
    Entry,
    Step {
        kind: StepKind,
        unit: StepUnit,
        depth: usize,
        from: Option<SourceLine>,
    },
}

enum Control {
    None,
    Start,
    Resume(Resume),
    Terminate,
}

/// A wasm frame at a stop.
struct WasmFrame {
    handle: FrameHandle,
    module: Option<usize>,
    pc: u32,
    /// Defined-function index (imports not counted).
    function: u32,
}

impl WasmFrame {
    fn address(&self) -> u64 {
        instruction_address(self.module.unwrap_or(u32::MAX as usize), self.pc)
    }
}

fn instruction_address(module: usize, pc: u32) -> u64 {
    ((module as u64) << 32) | u64::from(pc)
}

/// One instruction of a disassembly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// As [`FrameView::address`] counts.
    pub address: u64,
    /// WAT: `local.get 0`.
    pub text: String,
    /// The function it belongs to.
    pub function: Option<String>,
    pub source: Option<SourceLine>,
}

/// The session thread's state, shared by the handler's invocations.
struct Inner {
    commands: mpsc::UnboundedReceiver<Command>,
    events: std::sync::mpsc::Sender<SessionEvent>,
    modules: Vec<ModuleEntry>,
    breakpoints: Breakpoints,
    plan: Plan,
    stop_on_traps: bool,
    /// The wasm frames of the current stop.
    stopped: Option<Vec<WasmFrame>>,
    /// Counts stops, so that a value's children are listed only during
    /// the stop that showed it.
    stops: u64,
}

#[derive(Clone)]
struct Handler {
    inner: Arc<AsyncMutex<Inner>>,
    shared: Arc<Shared>,
}

/// A Wasmtime debug event, read before the handler awaits anything.
enum Event {
    Breakpoint,
    Epoch,
    Trap(String),
    Ignored,
}

impl DebugHandler for Handler {
    type Data = Host;

    async fn handle(&self, mut store: StoreContextMut<'_, Host>, event: wasmtime::DebugEvent<'_>) {
        let event = match event {
            wasmtime::DebugEvent::Breakpoint => Event::Breakpoint,
            wasmtime::DebugEvent::EpochYield => Event::Epoch,
            wasmtime::DebugEvent::Trap(trap) => Event::Trap(format!("wasm trap: {trap}")),
            wasmtime::DebugEvent::HostcallError(error) => {
                // A WASI exit is how a command ends, not a failure.
                if error.downcast_ref::<wasmtime_wasi::I32Exit>().is_some() {
                    Event::Ignored
                } else {
                    Event::Trap(format!("host call failed: {error:#}"))
                }
            }
            wasmtime::DebugEvent::Exception(_) => Event::Ignored,
        };
        if self.shared.terminate.load(Ordering::SeqCst) {
            return std::future::pending().await;
        }
        let mut inner = self.inner.lock().await;
        let stop = match event {
            Event::Ignored => None,
            Event::Epoch => {
                if let Control::Terminate = inner.drain(&mut store) {
                    self.shared.terminate.store(true, Ordering::SeqCst);
                    self.shared.terminated.notify_one();
                    return std::future::pending().await;
                }
                self.shared
                    .pause
                    .swap(false, Ordering::SeqCst)
                    .then(|| Stop {
                        reason: StopReason::Pause,
                        description: "paused".into(),
                        breakpoints: Vec::new(),
                    })
            }
            Event::Breakpoint => {
                let frames = inner.frames(&mut store);
                match inner.breakpoints_hit(&mut store, &frames) {
                    Ok(hit) => inner.decide(&frames, hit),
                    Err(failed) => Some(failed),
                }
            }
            Event::Trap(description) => inner.stop_on_traps.then_some(Stop {
                reason: StopReason::Trap,
                description,
                breakpoints: Vec::new(),
            }),
        };
        let Some(stop) = stop else {
            return;
        };
        if inner.stop(&mut store, stop).await || self.shared.terminate.load(Ordering::SeqCst) {
            self.shared.terminate.store(true, Ordering::SeqCst);
            self.shared.terminated.notify_one();
            std::future::pending::<()>().await;
        }
    }
}

impl Inner {
    /// Handles a command that does not need the guest stopped (or answers
    /// that it does); says what the caller wants next.
    fn configure(&mut self, store: &mut StoreContextMut<'_, Host>, command: Command) -> Control {
        match command {
            Command::SetBreakpoints { file, lines, reply } => {
                let states = self.set_line_breakpoints(file, &lines);
                let single_step = wasmtime::AsContext::as_context(&*store).is_single_step();
                self.apply_breakpoints(store, single_step);
                let _ = reply.send(states);
            }
            Command::SetFunctionBreakpoints { names, reply } => {
                let states = self.set_function_breakpoints(&names);
                let single_step = wasmtime::AsContext::as_context(&*store).is_single_step();
                self.apply_breakpoints(store, single_step);
                let _ = reply.send(states);
            }
            Command::StopOnTraps(on) => self.stop_on_traps = on,
            Command::Terminate => return Control::Terminate,
            Command::Start => return Control::Start,
            Command::Resume(how) => return Control::Resume(how),
            Command::Stack(reply) => {
                let _ = reply.send(match &self.stopped {
                    Some(frames) => Ok(self.frame_views(frames)),
                    None => Err(not_stopped()),
                });
            }
            Command::Variables {
                wasm_frame,
                scope,
                reply,
            } => {
                let _ = reply.send(self.variables(store, wasm_frame, scope));
            }
            Command::Children { of, reply } => {
                let _ = reply.send(self.children(store, &of));
            }
            Command::Evaluate {
                wasm_frame,
                inline_depth,
                text,
                reply,
            } => {
                let _ = reply.send(self.evaluate(store, wasm_frame, inline_depth, &text));
            }
            Command::Disassemble {
                address,
                instruction_offset,
                count,
                reply,
            } => {
                let _ = reply.send(self.disassemble(address, instruction_offset, count));
            }
            Command::ReadMemory {
                wasm_frame,
                address,
                count,
                reply,
            } => {
                let _ = reply.send(self.read_memory(store, wasm_frame, address, count));
            }
        }
        Control::None
    }

    /// The commands that arrived while the guest ran.
    fn drain(&mut self, store: &mut StoreContextMut<'_, Host>) -> Control {
        while let Ok(command) = self.commands.try_recv() {
            if let Control::Terminate = self.configure(store, command) {
                return Control::Terminate;
            }
        }
        Control::None
    }

    /// Tells the caller and answers its commands until it resumes; `true`
    /// when it wants the session to end instead.
    async fn stop(&mut self, store: &mut StoreContextMut<'_, Host>, stop: Stop) -> bool {
        let frames = self.frames(store);
        self.stopped = Some(frames);
        self.stops += 1;
        self.plan = Plan::Run;
        self.breakpoints.temporary.clear();
        if self.events.send(SessionEvent::Stopped(stop)).is_err() {
            return true;
        }
        loop {
            let Some(command) = self.commands.recv().await else {
                return true;
            };
            match self.configure(store, command) {
                Control::Resume(how) => {
                    self.resume(store, how);
                    self.stopped = None;
                    return false;
                }
                Control::Terminate => return true,
                Control::Start | Control::None => {}
            }
        }
    }

    /// Sets up the plan and breakpoints of `how`.
    fn resume(&mut self, store: &mut StoreContextMut<'_, Host>, how: Resume) {
        let Resume::Step(kind, unit) = how else {
            self.plan = Plan::Run;
            self.apply_breakpoints(store, false);
            return;
        };
        let frames = self.stopped.take().unwrap_or_default();
        let Some(top) = frames.first() else {
            self.plan = Plan::Run;
            self.apply_breakpoints(store, false);
            return;
        };
        let from = self.line_of(top);
        // Without a line to leave, a step is by instruction.
        let unit = if from.is_some() {
            unit
        } else {
            StepUnit::Instruction
        };
        self.plan = Plan::Step {
            kind,
            unit,
            depth: frames.len(),
            from,
        };
        let mut temporary = Vec::new();
        let single_step = match (unit, kind) {
            (StepUnit::Line, StepKind::Over) => {
                if let Some(entry) = top.module.map(|m| &self.modules[m])
                    && let Some(body) = entry.symbols.function_at(top.pc)
                {
                    temporary.extend(entry.symbols.statement_pcs_in(&body.range).into_iter().map(
                        |pc| Site {
                            module: entry.key,
                            pc,
                        },
                    ));
                }
                temporary.extend(self.return_site(&frames));
                false
            }
            (StepUnit::Line, StepKind::Out) => {
                temporary.extend(self.return_site(&frames));
                false
            }
            _ => true,
        };
        self.breakpoints.temporary = temporary;
        self.apply_breakpoints(store, single_step);
    }

    /// Just after the caller's `call`: where a frame returns to.
    fn return_site(&self, frames: &[WasmFrame]) -> Option<Site> {
        let parent = frames.get(1)?;
        let entry = &self.modules[parent.module?];
        Some(Site {
            module: entry.key,
            pc: entry.symbols.next_operator(parent.pc)?,
        })
    }

    /// Gives Wasmtime exactly our breakpoints (user and temporary), and
    /// single-stepping on or off. All are removed and added again in one
    /// edit: Wasmtime shares its breakpoint table between a component's
    /// modules, and turning single-step off or removing one breakpoint
    /// can disarm another.
    fn apply_breakpoints(&mut self, store: &mut StoreContextMut<'_, Host>, single_step: bool) {
        let wanted: Vec<Site> = self
            .breakpoints
            .by_file
            .values()
            .flatten()
            .chain(&self.breakpoints.functions)
            .flat_map(|(_, sites)| sites.iter().copied())
            .chain(self.breakpoints.temporary.iter().copied())
            .collect();
        let module_of = |key: u64| self.modules.iter().find(|m| m.key == key);
        {
            let Some(mut edit) = store.as_context_mut().edit_breakpoints() else {
                return;
            };
            let _ = edit.single_step(single_step);
            for &(module, pc) in &self.breakpoints.applied {
                if let Some(entry) = module_of(module) {
                    let _ = edit.remove_breakpoint(&entry.module, ModulePC::new(pc));
                }
            }
            for site in &wanted {
                if let Some(entry) = module_of(site.module) {
                    let _ = edit.add_breakpoint(&entry.module, ModulePC::new(site.pc));
                }
            }
        }
        self.breakpoints.applied = wanted.iter().map(|s| (s.module, s.pc)).collect();
        // Where each user breakpoint really is: Wasmtime moves a pc that
        // is not an operator's start to the next operator.
        let actual: Vec<(u64, u32)> = wasmtime::AsContext::as_context(&*store)
            .breakpoints()
            .map(|all| {
                all.map(|b| (b.module.debug_index_in_engine(), b.pc.raw()))
                    .collect()
            })
            .unwrap_or_default();
        let placed_at = |site: &Site| {
            actual
                .iter()
                .filter(|(m, pc)| *m == site.module && *pc >= site.pc)
                .map(|(_, pc)| *pc)
                .min()
                .map(|pc| Site {
                    module: site.module,
                    pc,
                })
        };
        let mut placed: HashMap<Site, Vec<u32>> = HashMap::new();
        for (id, sites) in self
            .breakpoints
            .by_file
            .values()
            .flatten()
            .chain(&self.breakpoints.functions)
        {
            for site in sites {
                if let Some(at) = placed_at(site) {
                    placed.entry(at).or_default().push(*id);
                }
            }
        }
        self.breakpoints.placed = placed;
    }

    fn set_line_breakpoints(
        &mut self,
        file: PathBuf,
        lines: &[(u32, BreakpointOptions)],
    ) -> Vec<BreakpointState> {
        let mut placed = Vec::new();
        let mut states = Vec::new();
        for (line, options) in lines {
            let line = *line;
            self.breakpoints.next_id += 1;
            let id = self.breakpoints.next_id;
            if let Some(refused) = self.breakpoints.take_options(id, options) {
                states.push(refused);
                continue;
            }
            let mut sites = Vec::new();
            let mut at_line = None;
            for entry in &self.modules {
                if let Some((found, pcs)) = entry.symbols.statement_pcs(&file, line) {
                    at_line = Some(at_line.map_or(found, |l: u32| l.min(found)));
                    sites.extend(pcs.into_iter().map(|pc| Site {
                        module: entry.key,
                        pc,
                    }));
                }
            }
            let known = self.modules.iter().any(|m| m.symbols.knows_file(&file));
            let message = match (&at_line, known) {
                (Some(_), _) => None,
                (None, true) => Some(format!("no code at or after line {line} of this file")),
                (None, false) => Some(format!(
                    "{} has no line information in this component; build it with debug info (-g, a debug profile)",
                    file.display()
                )),
            };
            states.push(BreakpointState {
                id,
                verified: at_line.is_some(),
                line: at_line,
                message,
            });
            placed.push((id, sites));
        }
        self.breakpoints.by_file.insert(file, placed);
        states
    }

    fn set_function_breakpoints(
        &mut self,
        names: &[(String, BreakpointOptions)],
    ) -> Vec<BreakpointState> {
        let mut functions = Vec::new();
        let mut states = Vec::new();
        for (name, options) in names {
            self.breakpoints.next_id += 1;
            let id = self.breakpoints.next_id;
            if let Some(refused) = self.breakpoints.take_options(id, options) {
                states.push(refused);
                continue;
            }
            let found: Vec<(Site, Option<u32>)> = self
                .modules
                .iter()
                .filter(|m| !m.generated)
                .filter_map(|entry| {
                    let (_, pc) = entry.symbols.function_entry(name)?;
                    let line = entry.symbols.line_at(pc).map(|l| l.line);
                    Some((
                        Site {
                            module: entry.key,
                            pc,
                        },
                        line,
                    ))
                })
                .collect();
            states.push(BreakpointState {
                id,
                verified: !found.is_empty(),
                line: found.iter().find_map(|(_, line)| *line),
                message: found
                    .is_empty()
                    .then(|| format!("no function `{name}` in this component")),
            });
            functions.push((id, found.into_iter().map(|(site, _)| site).collect()));
        }
        self.breakpoints.functions = functions;
        states
    }

    /// The wasm frames of the guest, innermost first.
    fn frames(&self, store: &mut StoreContextMut<'_, Host>) -> Vec<WasmFrame> {
        let activations: Vec<FrameHandle> = store.debug_exit_frames().collect();
        let mut frames = Vec::new();
        for activation in activations {
            let mut next = Some(activation);
            while let Some(handle) = next {
                let module_key = handle
                    .module(&mut *store)
                    .ok()
                    .flatten()
                    .map(Module::debug_index_in_engine);
                if let Ok(Some((function, pc))) = handle.wasm_function_index_and_pc(&mut *store) {
                    frames.push(WasmFrame {
                        handle: handle.clone(),
                        module: module_key
                            .and_then(|k| self.modules.iter().position(|m| m.key == k)),
                        pc: pc.raw(),
                        function: function.as_u32(),
                    });
                }
                next = handle.parent(&mut *store).ok().flatten();
            }
        }
        frames
    }

    /// Whether a frame just entered is still in its function's prologue (a
    /// step into a call stops past it, as debuggers do).
    fn in_prologue(&self, frame: &WasmFrame, entered: bool) -> bool {
        let Some(symbols) = frame.module.map(|m| &self.modules[m].symbols) else {
            return false;
        };
        entered
            && symbols
                .function_at(frame.pc)
                .is_some_and(|body| frame.pc < symbols.prologue_end(body))
    }

    fn line_of(&self, frame: &WasmFrame) -> Option<SourceLine> {
        self.modules[frame.module?].symbols.line_at(frame.pc)
    }

    /// Whether user code runs in the frame: a module with line info, or,
    /// when no module has any, a module the toolchain made.
    fn is_user_code(&self, frame: &WasmFrame) -> bool {
        let Some(entry) = frame.module.map(|m| &self.modules[m]) else {
            return false;
        };
        if self.modules.iter().any(|m| m.symbols.has_lines()) {
            entry.symbols.has_lines() && entry.symbols.line_at(frame.pc).is_some()
        } else {
            !entry.generated
        }
    }

    /// The breakpoints at the top frame's pc that stop there: their
    /// conditions hold and their hit counts are reached; a logpoint logs
    /// instead. A condition that cannot be evaluated stops, saying why.
    fn breakpoints_hit(
        &mut self,
        store: &mut StoreContextMut<'_, Host>,
        frames: &[WasmFrame],
    ) -> Result<Vec<u32>, Stop> {
        let Some(top) = frames.first() else {
            return Ok(Vec::new());
        };
        let Some(module) = top.module else {
            return Ok(Vec::new());
        };
        let site = Site {
            module: self.modules[module].key,
            pc: top.pc,
        };
        let ids = self
            .breakpoints
            .placed
            .get(&site)
            .cloned()
            .unwrap_or_default();
        let mut hit = Vec::new();
        for id in ids {
            let Some(options) = self.breakpoints.options.get(&id) else {
                hit.push(id);
                continue;
            };
            if let Some(condition) = options.given.condition.clone() {
                let holds = self
                    .with_source(store, top, |index, pc, machine| {
                        index.condition_holds(pc, 0, &condition, machine)
                    })
                    .and_then(|r| r);
                match holds {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(e) => {
                        return Err(Stop {
                            reason: StopReason::Breakpoint,
                            description: format!(
                                "the condition `{condition}` of this breakpoint cannot be evaluated: {e}"
                            ),
                            breakpoints: vec![id],
                        });
                    }
                }
            }
            let Some(options) = self.breakpoints.options.get_mut(&id) else {
                continue;
            };
            options.hits += 1;
            if let Some(when) = options.hit_condition
                && !when.stops_at(options.hits)
            {
                continue;
            }
            if let Some(message) = options.given.log_message.clone() {
                let text = self.log_text(store, top, &message);
                let _ = self.events.send(SessionEvent::Log(text));
                continue;
            }
            hit.push(id);
        }
        Ok(hit)
    }

    /// A logpoint's message with each `{expression}` replaced by its value
    /// (or its error, in angle brackets).
    fn log_text(
        &self,
        store: &mut StoreContextMut<'_, Host>,
        frame: &WasmFrame,
        message: &str,
    ) -> String {
        let mut text = String::new();
        for part in conditions::log_parts(message) {
            match part {
                LogPart::Text(t) => text.push_str(t),
                LogPart::Expression(expression) => {
                    let value = self
                        .with_source(store, frame, |index, pc, machine| {
                            index.evaluate(pc, 0, expression, machine)
                        })
                        .and_then(|r| r);
                    match value {
                        Ok(value) => text.push_str(&value.value),
                        Err(e) => text.push_str(&format!("<{e}>")),
                    }
                }
            }
        }
        text.push('\n');
        text
    }

    /// Runs `work` on the DWARF of a frame's module, reading that frame.
    fn with_source<R>(
        &self,
        store: &mut StoreContextMut<'_, Host>,
        frame: &WasmFrame,
        work: impl FnOnce(&Index, u64, &mut dyn Machine) -> R,
    ) -> Result<R, String> {
        let symbols = &self.modules[frame.module.ok_or("a host frame has no variables")?].symbols;
        let index = symbols
            .values()
            .ok_or("this code has no DWARF: build it with debug info (-g)")?;
        let mut machine = FrameMachine {
            instance: frame.handle.instance(&mut *store).ok(),
            store,
            handle: &frame.handle,
        };
        Ok(work(index, symbols.dwarf_address(frame.pc), &mut machine))
    }

    /// Whether the guest stops at this breakpoint or step event.
    fn decide(&self, frames: &[WasmFrame], hit: Vec<u32>) -> Option<Stop> {
        let top = frames.first()?;
        let depth = frames.len();
        let stop = |reason| Stop {
            reason,
            description: String::new(),
            breakpoints: if reason == StopReason::Breakpoint {
                hit.clone()
            } else {
                Vec::new()
            },
        };
        match &self.plan {
            Plan::Run => (!hit.is_empty()).then(|| stop(StopReason::Breakpoint)),
            Plan::Entry => self.is_user_code(top).then(|| stop(StopReason::Entry)),
            Plan::Step {
                kind,
                unit,
                depth: from_depth,
                from,
            } => {
                // Columns do not count: a step leaves the line.
                let line = self.line_of(top).map(|l| (l.file, l.line));
                let from = from.as_ref().map(|l| (l.file.clone(), l.line));
                let moved = depth != *from_depth || line != from;
                if !hit.is_empty() && moved {
                    return Some(stop(StopReason::Breakpoint));
                }
                let arrived = match unit {
                    StepUnit::Line => {
                        line.is_some()
                            && self.is_user_code(top)
                            && !self.in_prologue(top, depth > *from_depth)
                            && match kind {
                                StepKind::Into => moved,
                                StepKind::Over => {
                                    depth < *from_depth || (depth == *from_depth && line != from)
                                }
                                StepKind::Out => depth < *from_depth,
                            }
                    }
                    StepUnit::Instruction => {
                        top.module.is_some_and(|m| !self.modules[m].generated)
                            && match kind {
                                StepKind::Into => true,
                                StepKind::Over => depth <= *from_depth,
                                StepKind::Out => depth < *from_depth,
                            }
                    }
                };
                arrived.then(|| stop(StopReason::Step))
            }
        }
    }

    fn frame_views(&self, frames: &[WasmFrame]) -> Vec<FrameView> {
        let mut views = Vec::new();
        for (i, frame) in frames.iter().enumerate() {
            let entry = frame.module.map(|m| &self.modules[m]);
            let module = entry.map_or_else(|| "host".to_string(), |e| e.label.clone());
            let dwarf = entry
                .map(|e| e.symbols.frames_at(frame.pc))
                .unwrap_or_default();
            let table_name = entry.and_then(|e| {
                e.symbols
                    .defined_function(frame.function)
                    .and_then(|f| f.name.clone())
            });
            let fallback = || {
                table_name
                    .clone()
                    .unwrap_or_else(|| format!("<wasm function {}>", frame.function))
            };
            if dwarf.is_empty() {
                views.push(FrameView {
                    name: fallback(),
                    source: entry.and_then(|e| e.symbols.line_at(frame.pc)),
                    module,
                    pc: frame.pc,
                    address: frame.address(),
                    wasm_frame: i,
                    inline_depth: 0,
                    inlined: false,
                });
                continue;
            }
            let count = dwarf.len();
            for (j, (name, source)) in dwarf.into_iter().enumerate() {
                views.push(FrameView {
                    name: name.unwrap_or_else(fallback),
                    source,
                    module: module.clone(),
                    pc: frame.pc,
                    address: frame.address(),
                    wasm_frame: i,
                    inline_depth: j,
                    inlined: j + 1 < count,
                });
            }
        }
        views
    }

    fn frame(&self, wasm_frame: usize) -> Result<&WasmFrame, String> {
        self.stopped
            .as_ref()
            .ok_or_else(not_stopped)?
            .get(wasm_frame)
            .ok_or_else(|| format!("no frame {wasm_frame}"))
    }

    fn variables(
        &self,
        store: &mut StoreContextMut<'_, Host>,
        wasm_frame: usize,
        scope: ScopeKind,
    ) -> Result<Vec<Variable>, String> {
        let frame = self.frame(wasm_frame)?;
        let handle = &frame.handle;
        let failed = |e: wasmtime::Error| format!("{e:#}");
        let mut variables = Vec::new();
        match scope {
            ScopeKind::Locals { inline_depth } => {
                return self.source_values(store, wasm_frame, |index, pc, machine| {
                    index.locals(pc, inline_depth, machine)
                });
            }
            ScopeKind::Statics => {
                return self.source_values(store, wasm_frame, |index, pc, machine| {
                    index.statics(pc, machine)
                });
            }
            ScopeKind::WasmLocals => {
                let count = handle.num_locals(&mut *store).map_err(failed)?;
                for i in 0..count {
                    let value = handle.local(&mut *store, i).map_err(failed)?;
                    variables.push(wasm_variable(format!("${i}"), &value));
                }
            }
            ScopeKind::OperandStack => {
                let count = handle.num_stacks(&mut *store).map_err(failed)?;
                for i in 0..count {
                    let value = handle.stack(&mut *store, i).map_err(failed)?;
                    variables.push(wasm_variable(format!("[{i}]"), &value));
                }
            }
            ScopeKind::Globals => {
                let instance = handle.instance(&mut *store).map_err(failed)?;
                let names = frame
                    .module
                    .map(|m| &self.modules[m].symbols)
                    .map(|s| s.global_names())
                    .unwrap_or_default();
                for i in 0.. {
                    let Some(global) = instance.debug_global(&mut *store, i) else {
                        break;
                    };
                    let value = global.get(&mut *store);
                    let name = names
                        .get(&i)
                        .cloned()
                        .unwrap_or_else(|| format!("global {i}"));
                    variables.push(wasm_variable(name, &value));
                }
            }
        }
        Ok(variables)
    }

    /// The source values `list` reads in a frame; none where the frame's
    /// module has no DWARF.
    fn source_values(
        &self,
        store: &mut StoreContextMut<'_, Host>,
        wasm_frame: usize,
        list: impl FnOnce(&Index, u64, &mut dyn Machine) -> Vec<SourceValue>,
    ) -> Result<Vec<Variable>, String> {
        let frame = self.frame(wasm_frame)?;
        // Code without DWARF has no source variables (its wasm scopes do).
        let Some(module) = frame
            .module
            .filter(|&m| self.modules[m].symbols.values().is_some())
        else {
            return Ok(Vec::new());
        };
        Ok(self
            .with_source(store, frame, list)?
            .into_iter()
            .map(|value| source_variable(value, self.stops, wasm_frame, module))
            .collect())
    }

    fn children(
        &self,
        store: &mut StoreContextMut<'_, Host>,
        of: &Children,
    ) -> Result<Vec<Variable>, String> {
        if of.stop != self.stops || self.stopped.is_none() {
            return Err("the program has run since this value was shown".to_string());
        }
        let frame = self.frame(of.wasm_frame)?;
        Ok(self
            .with_source(store, frame, |index, _, machine| {
                index.children(&of.expansion, machine)
            })?
            .into_iter()
            .map(|value| source_variable(value, of.stop, of.wasm_frame, of.module))
            .collect())
    }

    /// A source expression first; then a wasm local (`$0`), operand stack
    /// slot (`[0]`) or global by name.
    fn evaluate(
        &self,
        store: &mut StoreContextMut<'_, Host>,
        wasm_frame: usize,
        inline_depth: usize,
        text: &str,
    ) -> Result<Variable, String> {
        let frame = self.frame(wasm_frame)?;
        let source = frame
            .module
            .filter(|&m| self.modules[m].symbols.values().is_some())
            .and_then(|module| {
                self.with_source(store, frame, |index, pc, machine| {
                    index
                        .evaluate(pc, inline_depth, text, machine)
                        .map(|value| source_variable(value, self.stops, wasm_frame, module))
                })
                .ok()
            });
        if let Some(Ok(value)) = source {
            return Ok(value);
        }
        let wanted = text.trim();
        for scope in [
            ScopeKind::WasmLocals,
            ScopeKind::OperandStack,
            ScopeKind::Globals,
        ] {
            if let Some(found) = self
                .variables(store, wasm_frame, scope)?
                .into_iter()
                .find(|v| v.name == wanted)
            {
                return Ok(found);
            }
        }
        Err(match source {
            Some(Err(e)) => e,
            _ => format!(
                "no variable `{wanted}` here (this code has no DWARF: try $0, [0] or a global's name)"
            ),
        })
    }

    fn disassemble(
        &self,
        address: u64,
        instruction_offset: i64,
        count: usize,
    ) -> Vec<Option<Instruction>> {
        let module = (address >> 32) as usize;
        let pc = address as u32;
        let Some(symbols) = self.modules.get(module).map(|m| &m.symbols) else {
            return vec![None; count];
        };
        let instructions = symbols.instructions();
        let at = instructions.partition_point(|(p, _)| *p < pc) as i64;
        (0..count as i64)
            .map(|k| {
                let i = usize::try_from(at + instruction_offset + k).ok()?;
                let (pc, text) = instructions.get(i)?;
                Some(Instruction {
                    address: instruction_address(module, *pc),
                    text: text.clone(),
                    function: symbols.function_at(*pc).and_then(|f| f.name.clone()),
                    source: symbols.line_at(*pc),
                })
            })
            .collect()
    }

    fn read_memory(
        &self,
        store: &mut StoreContextMut<'_, Host>,
        wasm_frame: usize,
        address: u64,
        count: usize,
    ) -> Result<Vec<u8>, String> {
        let frame = self.frame(wasm_frame)?;
        let instance = frame
            .handle
            .instance(&mut *store)
            .map_err(|e| format!("{e:#}"))?;
        let memory = instance
            .debug_memory(&mut *store, 0)
            .ok_or("this frame's instance has no linear memory")?;
        let data = memory.data(&*store);
        let start = usize::try_from(address)
            .unwrap_or(usize::MAX)
            .min(data.len());
        let end = start.saturating_add(count).min(data.len());
        Ok(data[start..end].to_vec())
    }
}

fn not_stopped() -> String {
    "the program is running; pause it first".to_string()
}
