//! Debug sessions of the runtime (`wasmlens_runtime::debug`) on real
//! programs: the C command and reactor of `tests/fixtures/debug` (clang +
//! wasi-libc, DWARF), and WAT components without DWARF. Breakpoints by line
//! and function, recursion, steps over, into and out of calls, traps,
//! pause, terminate, and the line table read both ways.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wasmlens_runtime::debug::symbols::ModuleSymbols;
use wasmlens_runtime::debug::{
    DebugSession, Ending, FrameView, Launch, Resume, ScopeKind, SessionEvent, StepKind, StepUnit,
    Stop, StopReason,
};
use wasmlens_runtime::{
    Capabilities, EngineOptions, Limits, PrecompiledPolicy, Prepared, Runtime, Stdio, load_bytes,
};
use wasmlens_tests::components::{
    CALC_CORE, CALC_WIT, component, debug_command, debug_library, debug_marker,
};
use wasmlens_tests::workspace_root;

/// How long a test waits for the session's next event.
const WAIT: Duration = Duration::from_secs(30);

pub(crate) fn runtime() -> &'static Runtime {
    static RUNTIME: std::sync::OnceLock<Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        Runtime::with_options(EngineOptions {
            cache_dir: None,
            ..EngineOptions::for_debugging()
        })
        .expect("a debug engine")
    })
}

pub(crate) fn source(file: &str) -> PathBuf {
    workspace_root().join("tests/fixtures/debug").join(file)
}

/// A session under test, with the guest's output.
pub(crate) struct Debugged {
    pub(crate) session: DebugSession,
    events: Receiver<SessionEvent>,
    pub(crate) output: Arc<Mutex<Vec<u8>>>,
    /// Logpoint messages, in order.
    pub(crate) logs: Mutex<Vec<String>>,
}

pub(crate) fn debug(
    component: &[u8],
    launch: Launch,
    args: &[&str],
    stop_on_entry: bool,
) -> Debugged {
    let artifact = load_bytes(runtime(), component, PrecompiledPolicy::Refuse).unwrap();
    let prepared = Prepared::new(runtime(), &artifact).unwrap();
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = output.clone();
    let capabilities = Capabilities {
        args: std::iter::once("program")
            .chain(args.iter().copied())
            .map(String::from)
            .collect(),
        stdio: Stdio::capture(
            1 << 20,
            Arc::new(move |_, bytes: &[u8]| sink.lock().unwrap().extend_from_slice(bytes)),
        ),
        ..Capabilities::default()
    };
    let (sender, events) = channel();
    let session = DebugSession::launch(
        &prepared,
        launch,
        capabilities,
        Limits::default(),
        stop_on_entry,
        sender,
    )
    .unwrap();
    Debugged {
        session,
        events,
        output,
        logs: Mutex::default(),
    }
}

impl Debugged {
    /// The next stop or end (logpoint messages are kept in `logs`).
    pub(crate) fn next(&self) -> SessionEvent {
        loop {
            match self
                .events
                .recv_timeout(WAIT)
                .expect("the session reports within the wait")
            {
                SessionEvent::Log(text) => self.logs.lock().unwrap().push(text),
                event => return event,
            }
        }
    }

    pub(crate) fn stopped(&self) -> Stop {
        match self.next() {
            SessionEvent::Stopped(stop) => stop,
            other => panic!("ended instead of stopping: {other:?}"),
        }
    }

    pub(crate) fn ended(&self) -> Ending {
        match self.next() {
            SessionEvent::Ended(ending) => ending,
            other => panic!("stopped instead of ending: {other:?}"),
        }
    }

    pub(crate) fn stack(&self) -> Vec<FrameView> {
        self.session.stack().unwrap()
    }

    /// `function:line` of the innermost frame.
    pub(crate) fn at(&self) -> String {
        let top = &self.stack()[0];
        match &top.source {
            Some(line) => format!("{}:{}", top.name, line.line),
            None => format!("{}@{:#x}", top.name, top.pc),
        }
    }

    pub(crate) fn step(&self, kind: StepKind) -> Stop {
        self.session.resume(Resume::Step(kind, StepUnit::Line));
        self.stopped()
    }
}

#[test]
fn a_line_breakpoint_stops_there_with_the_stack_and_locals_and_again_in_recursion() {
    let debugged = debug(&debug_command("cmd-O0"), Launch::Run, &[], false);
    let line = debug_marker("cmd.c", "fact-body");
    let placed = debugged.session.set_breakpoints(&source("cmd.c"), &[line]);
    assert!(placed[0].verified, "{placed:?}");
    assert_eq!(placed[0].line, Some(line));
    debugged.session.start();

    let stop = debugged.stopped();
    assert_eq!(stop.reason, StopReason::Breakpoint);
    assert_eq!(stop.breakpoints, [placed[0].id]);
    let stack = debugged.stack();
    assert_eq!(debugged.at(), format!("fact:{line}"));
    let file = stack[0].source.as_ref().unwrap().file.clone();
    assert!(file.ends_with("cmd.c"), "{file:?}");
    // clang names the C `main` of a wasm command `__main_argc_argv`; the
    // stack shows its source name.
    assert!(
        stack.iter().any(|f| f.name == "main"),
        "main is on the stack: {stack:#?}"
    );
    let locals = debugged
        .session
        .variables(stack[0].wasm_frame, ScopeKind::WasmLocals)
        .unwrap();
    assert!(!locals.is_empty(), "the wasm locals of fact");
    let globals = debugged
        .session
        .variables(stack[0].wasm_frame, ScopeKind::Globals)
        .unwrap();
    assert!(
        globals.iter().any(|g| g.name == "__stack_pointer"),
        "{globals:?}"
    );

    // fact(5) calls fact(4): the same line, one frame deeper.
    debugged.session.resume(Resume::Continue);
    assert_eq!(debugged.stopped().reason, StopReason::Breakpoint);
    assert_eq!(debugged.stack().len(), stack.len() + 1);

    // Without breakpoints the program runs to its end.
    assert!(
        debugged
            .session
            .set_breakpoints(&source("cmd.c"), &[])
            .is_empty()
    );
    debugged.session.resume(Resume::Continue);
    assert!(matches!(debugged.ended(), Ending::Exited(0)));
    let output = String::from_utf8_lossy(&debugged.output.lock().unwrap()).into_owned();
    assert!(output.contains("wasmlens: debugging 14 120"), "{output}");
}

#[test]
fn steps_go_over_into_and_out_of_calls_by_line() {
    let debugged = debug(&debug_command("cmd-O0"), Launch::Run, &[], false);
    let ready = debug_marker("cmd.c", "struct-ready");
    debugged.session.set_breakpoints(&source("cmd.c"), &[ready]);
    debugged.session.start();
    assert_eq!(debugged.stopped().reason, StopReason::Breakpoint);
    let depth = debugged.stack().len();
    assert_eq!(debugged.at(), format!("main:{ready}"));

    // Table: the step -> where it stops.
    let describe = debug_marker("cmd.c", "describe");
    let cases = [
        (StepKind::Over, format!("main:{}", ready + 1)),
        (StepKind::Into, format!("describe:{describe}")),
        // `describe` returns nothing, so the call is the last operator of
        // its line: out of it is the start of the next statement.
        (StepKind::Out, format!("main:{}", ready + 3)),
        (StepKind::Over, format!("main:{}", ready + 4)),
        // Over `fact(5, 0)`: its recursion does not stop the step.
        (
            StepKind::Over,
            format!("main:{}", debug_marker("cmd.c", "results")),
        ),
    ];
    for (kind, expected) in cases {
        let stop = debugged.step(kind);
        assert_eq!(stop.reason, StopReason::Step, "{kind:?}");
        assert_eq!(debugged.at(), expected, "after {kind:?}");
    }
    assert_eq!(debugged.stack().len(), depth);
    debugged.session.resume(Resume::Continue);
    assert!(matches!(debugged.ended(), Ending::Exited(0)));
}

#[test]
fn a_trap_stops_at_its_line_with_the_stack_readable() {
    let debugged = debug(&debug_command("cmd-O0"), Launch::Run, &["trap"], false);
    debugged.session.start();
    let stop = debugged.stopped();
    assert_eq!(stop.reason, StopReason::Trap);
    assert!(stop.description.contains("unreachable"), "{stop:?}");
    assert_eq!(
        debugged.at(),
        format!("trap_here:{}", debug_marker("cmd.c", "trap"))
    );
    let names: Vec<String> = debugged.stack().into_iter().map(|f| f.name).collect();
    let crashes = names.iter().filter(|n| *n == "crash").count();
    assert_eq!(crashes, 3, "{names:?}");
    assert!(names.contains(&"main".to_string()), "{names:?}");
    debugged.session.resume(Resume::Continue);
    assert!(matches!(debugged.ended(), Ending::Failed(_)));
}

#[test]
fn an_invoked_export_stops_and_returns_its_result() {
    let debugged = debug(
        &debug_library(),
        Launch::Invoke("add(2, 40)".into()),
        &[],
        false,
    );
    let line = debug_marker("lib.c", "add");
    debugged.session.set_breakpoints(&source("lib.c"), &[line]);
    debugged.session.start();
    assert_eq!(debugged.stopped().reason, StopReason::Breakpoint);
    assert_eq!(debugged.at(), format!("add:{line}"));
    debugged.session.resume(Resume::Continue);
    match debugged.ended() {
        Ending::Returned(results) => assert_eq!(results, ["42"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_function_breakpoint_stops_past_the_prologue() {
    let debugged = debug(&debug_command("cmd-O0"), Launch::Run, &[], false);
    let placed = debugged
        .session
        .set_function_breakpoints(&["sum".to_string(), "nope".to_string()]);
    assert!(placed[0].verified, "{placed:?}");
    assert!(!placed[1].verified);
    assert_eq!(
        placed[1].message.as_deref(),
        Some("no function `nope` in this component")
    );
    debugged.session.start();
    assert_eq!(debugged.stopped().reason, StopReason::Breakpoint);
    assert_eq!(debugged.stack()[0].name, "sum");
    assert_eq!(debugged.stack()[0].source.as_ref().unwrap().line, 51);
    debugged.session.terminate();
    assert!(matches!(debugged.ended(), Ending::Terminated));
}

#[test]
fn breakpoints_on_lines_without_code_move_or_explain() {
    let debugged = debug(&debug_command("cmd-O0"), Launch::Run, &[], false);
    // Line 40 is a comment above `fact`: the breakpoint moves to the next
    // line with code, the function's first.
    let placed = debugged
        .session
        .set_breakpoints(&source("cmd.c"), &[40, 100_000]);
    assert_eq!(placed[0].line, Some(41), "{placed:?}");
    assert!(!placed[1].verified);
    assert!(
        placed[1]
            .message
            .as_deref()
            .unwrap()
            .starts_with("no code at or after line 100000"),
        "{placed:?}"
    );
    let elsewhere = debugged
        .session
        .set_breakpoints(&workspace_root().join("src/other.c"), &[3]);
    assert!(
        elsewhere[0]
            .message
            .as_deref()
            .unwrap()
            .contains("has no line information in this component"),
        "{elsewhere:?}"
    );
    debugged.session.terminate();
    assert!(matches!(debugged.ended(), Ending::Terminated));
}

#[test]
fn a_looping_guest_pauses_and_terminates_running_or_paused() {
    let calc = component(CALC_WIT, CALC_CORE);
    let paused = debug(&calc, Launch::Invoke("spin()".into()), &[], false);
    paused.session.start();
    paused.session.pause();
    let stop = paused.stopped();
    assert_eq!(stop.reason, StopReason::Pause);
    assert!(!paused.stack().is_empty());
    paused.session.terminate();
    assert!(matches!(paused.ended(), Ending::Terminated));

    let running = debug(&calc, Launch::Invoke("spin()".into()), &[], false);
    running.session.start();
    running.session.terminate();
    assert!(matches!(running.ended(), Ending::Terminated));
}

#[test]
fn without_dwarf_stepping_is_by_instruction() {
    let calc = component(CALC_WIT, CALC_CORE);
    let debugged = debug(&calc, Launch::Invoke("add(1, 2)".into()), &[], true);
    debugged.session.start();
    assert_eq!(debugged.stopped().reason, StopReason::Entry);
    let first = debugged.stack()[0].clone();
    assert!(first.source.is_none());
    debugged
        .session
        .resume(Resume::Step(StepKind::Into, StepUnit::Line));
    assert_eq!(debugged.stopped().reason, StopReason::Step);
    let second = debugged.stack()[0].clone();
    assert!(second.pc > first.pc, "{first:?} then {second:?}");
    let operands = debugged
        .session
        .variables(0, ScopeKind::OperandStack)
        .unwrap();
    assert_eq!(operands.len(), 1, "local.get 0 pushed a: {operands:?}");
    assert_eq!(operands[0].value, "1");
    debugged.session.resume(Resume::Continue);
    match debugged.ended() {
        Ending::Returned(results) => assert_eq!(results, ["3"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bad_call_fails_the_launch_as_run_would() {
    let artifact = load_bytes(runtime(), &debug_library(), PrecompiledPolicy::Refuse).unwrap();
    let prepared = Prepared::new(runtime(), &artifact).unwrap();
    // Table: call -> start of the message.
    let cases = [
        ("nope()", "the component exports no function `nope`"),
        ("add(1)", ""),
    ];
    for (call, message) in cases {
        let (sender, _events) = channel();
        let error = DebugSession::launch(
            &prepared,
            Launch::Invoke(call.into()),
            Capabilities::default(),
            Limits::default(),
            false,
            sender,
        )
        .err()
        .unwrap_or_else(|| panic!("{call} launched"));
        assert!(error.to_string().starts_with(message), "{call}: {error}");
    }
}

#[test]
fn every_marked_line_round_trips_through_the_line_table() {
    let module = std::fs::read(source("cmd-O0.wasm")).unwrap();
    let symbols = ModuleSymbols::new(&module);
    let text = std::fs::read_to_string(source("cmd.c")).unwrap();
    let markers: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split("// LINE: ").nth(1))
        .collect();
    assert!(markers.len() >= 10);
    for marker in markers {
        let line = debug_marker("cmd.c", marker);
        let (found, pcs) = symbols
            .statement_pcs(&source("cmd.c"), line)
            .unwrap_or_else(|| panic!("{marker}: no rows"));
        assert_eq!(found, line, "{marker}");
        assert!(!pcs.is_empty(), "{marker}");
        for pc in pcs {
            assert_eq!(
                symbols.line_at(pc).unwrap().line,
                line,
                "{marker} at {pc:#x}"
            );
        }
    }
}
