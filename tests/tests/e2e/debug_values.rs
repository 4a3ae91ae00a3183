//! Source variables in debug sessions: C (clang + wasi-libc, -O0 and -O1)
//! and Rust (rustc 1.63, wasm32-wasi) values read from DWARF, their
//! children, watch expressions and what they say when they cannot be read.

use wasmlens_runtime::debug::{
    BreakpointOptions, Ending, Launch, Resume, ScopeKind, SessionEvent, StopReason, Variable,
};
use wasmlens_tests::components::{debug_command, debug_marker};

use super::debug_session::{Debugged, debug, source};

/// A session of fixture `component` stopped at line `line` of `file`.
fn stopped_at_line(component: &str, file: &str, line: u32) -> Debugged {
    let debugged = debug(&debug_command(component), Launch::Run, &[], false);
    let placed = debugged.session.set_breakpoints(&source(file), &[line]);
    assert!(placed[0].verified, "{placed:?}");
    debugged.session.start();
    assert_eq!(debugged.stopped().reason, StopReason::Breakpoint);
    debugged
}

fn stopped_at(component: &str, file: &str, marker: &str) -> Debugged {
    stopped_at_line(component, file, debug_marker(file, marker))
}

fn locals(debugged: &Debugged, wasm_frame: usize) -> Vec<Variable> {
    debugged
        .session
        .variables(wasm_frame, ScopeKind::Locals { inline_depth: 0 })
        .unwrap()
}

/// Whether `actual` is `expected`, where `{ptr}` in `expected` stands for
/// any 32-bit address (`0x00011560`): addresses move when a fixture is
/// rebuilt, what they point to does not.
fn matches(expected: &str, actual: &str) -> bool {
    let mut rest = actual;
    for (i, piece) in expected.split("{ptr}").enumerate() {
        if i > 0 {
            let hex = rest.strip_prefix("0x").unwrap_or("");
            if hex.len() < 8 || !hex[..8].bytes().all(|b| b.is_ascii_hexdigit()) {
                return false;
            }
            rest = &hex[8..];
        }
        let Some(after) = rest.strip_prefix(piece) else {
            return false;
        };
        rest = after;
    }
    rest.is_empty()
}

/// Table: each expression → its value and type, through `evaluate` (the
/// watch and hover path) and, for a plain name, through the Locals or
/// Statics scope too.
fn assert_values(debugged: &Debugged, cases: &[(&str, &str, &str)]) {
    let listed: Vec<Variable> = locals(debugged, 0)
        .into_iter()
        .chain(debugged.session.variables(0, ScopeKind::Statics).unwrap())
        .collect();
    for (expression, value, type_name) in cases {
        let evaluated = debugged
            .session
            .evaluate(0, 0, expression)
            .unwrap_or_else(|e| panic!("`{expression}` does not evaluate: {e}"));
        assert!(
            matches(value, &evaluated.value),
            "`{expression}`: {:?}, expected {value:?}",
            evaluated.value
        );
        assert_eq!(
            evaluated.type_name, *type_name,
            "the type of `{expression}`"
        );
        let plain_name = expression
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if plain_name {
            let shown = listed
                .iter()
                .find(|v| v.name == *expression)
                .unwrap_or_else(|| panic!("`{expression}` is not listed: {listed:#?}"));
            assert_eq!(shown.value, evaluated.value, "`{expression}` listed");
        }
    }
}

/// Table: each expression → the start of its error message.
fn assert_errors(debugged: &Debugged, cases: &[(&str, &str)]) {
    for (expression, error) in cases {
        match debugged.session.evaluate(0, 0, expression) {
            Ok(value) => panic!("`{expression}` evaluated to {value:?}"),
            Err(e) => assert!(e.starts_with(error), "`{expression}`: {e:?}"),
        }
    }
}

fn child_names(debugged: &Debugged, value: &Variable) -> Vec<String> {
    let children = value.children.as_ref().expect("children");
    let listed = debugged.session.children(children).unwrap();
    listed.into_iter().map(|v| v.name).collect()
}

#[test]
fn c_values_of_every_kind_at_o0() {
    let debugged = stopped_at("cmd-O0", "cmd.c", "struct-ready");
    let names: Vec<String> = locals(&debugged, 0).into_iter().map(|v| v.name).collect();
    assert_eq!(
        names,
        [
            "argc",
            "argv",
            "command",
            "numbers",
            "message",
            "favourite",
            "number",
            "square",
            "pointer",
            "total",
            "product"
        ],
        "main's variables in declaration order"
    );
    let square = "{id: 42, scale: 1.5, area: 6.25, tag: 'S', visible: true, \
                  origin: {x: 1, y: -2}, sides: [10, 20, 30, 40], color: BLUE}";
    assert_values(
        &debugged,
        &[
            ("argc", "1", "int"),
            ("argv", "{ptr}", "char **"),
            ("*argv", "{ptr} \"program\"", "char *"),
            ("command", "{ptr} \"run\"", "const char *"),
            ("*command", "'r'", "const char"),
            ("numbers", "[3, 1, 4, 1, 5]", "int[5]"),
            ("numbers[2]", "4", "int"),
            ("message", "{ptr} \"debugging\"", "char *"),
            ("favourite", "GREEN", "color"),
            // A union shows every reading of its bytes; a char array
            // with bytes after a NUL shows them escaped.
            (
                "number",
                "{i: 1069547520, f: 1.5, bytes: \"\\0\\0\\xc0?\"}",
                "number",
            ),
            ("number.f", "1.5", "float"),
            ("square", square, "shape"),
            ("square.scale", "1.5", "float"),
            ("square.area", "6.25", "double"),
            ("square.tag", "'S'", "char"),
            ("square.visible", "true", "_Bool"),
            ("square.origin.y", "-2", "int"),
            ("square.sides[argc]", "20", "int"),
            ("square.color", "BLUE", "color"),
            ("pointer", "{ptr}", "shape *"),
            ("pointer->id", "42", "int"),
            ("pointer.id", "42", "int"),
            ("pointer->sides[3]", "40", "int"),
            ("*pointer", square, "shape"),
            ("(*pointer).tag", "'S'", "char"),
            ("total", "0", "int"),
            // Globals: the unit's, outside any function.
            ("calls", "0", "int"),
            ("banner", "{ptr} \"wasmlens\"", "const char *"),
            ("corner", "{x: 3, y: 4}", "point"),
            ("corner.x", "3", "int"),
            // Computed: C's arithmetic, comparisons and logic.
            ("square.sides[argc + 1] * 2", "60", "int"),
            ("square.area / 2", "3.125", "double"),
            ("pointer->id == 42 && !square.visible", "false", "bool"),
            ("square.tag == 'S'", "true", "bool"),
            ("-square.origin.y", "2", "int"),
            ("square.color == 6", "true", "bool"),
        ],
    );
    // Wasm names when no source variable has the name: a local of the
    // wasm function, a global by its name-section name.
    let wasm_local = debugged.session.evaluate(0, 0, "$0").unwrap();
    assert_eq!(
        (wasm_local.value.as_str(), wasm_local.type_name.as_str()),
        ("1", "i32")
    );
    let stack_pointer = debugged.session.evaluate(0, 0, "__stack_pointer").unwrap();
    assert_eq!(stack_pointer.type_name, "i32");
    assert_errors(
        &debugged,
        &[
            ("nosuch", "no variable `nosuch` is in scope here"),
            ("numbers[5]", "index 5 is out of range (length 5)"),
            (
                "square.nope",
                "`shape` has no member `nope` (it has id, scale, area, tag, visible, origin, sides, color)",
            ),
            ("*argc", "`int` is not a pointer"),
            ("numbers[", "an empty expression"),
            (
                "square ^ 2",
                "`^` is not understood here: write a name, `a.b`, `p->x`, `a[i]`, `*p`, numbers",
            ),
            (
                "square + 1",
                "`shape` is not a number (compare its members)",
            ),
            ("argc / 0", "an overflow or a division by zero"),
        ],
    );

    // Children: members, elements, and a pointer's pointee (a pointer to a
    // struct opens onto its members, as in LLDB).
    let all = locals(&debugged, 0);
    let by_name = |name: &str| all.iter().find(|v| v.name == name).unwrap().clone();
    let members = [
        "id", "scale", "area", "tag", "visible", "origin", "sides", "color",
    ];
    assert_eq!(child_names(&debugged, &by_name("square")), members);
    assert_eq!(child_names(&debugged, &by_name("pointer")), members);
    assert_eq!(
        child_names(&debugged, &by_name("numbers")),
        ["[0]", "[1]", "[2]", "[3]", "[4]"]
    );
    assert_eq!(child_names(&debugged, &by_name("message")), ["*"]);
    assert!(by_name("argc").children.is_none());
    // Values in memory say where (for readMemory).
    let square_address = by_name("square").address.expect("square is in memory");
    let pointer = debugged.session.evaluate(0, 0, "pointer").unwrap();
    assert_eq!(pointer.value, format!("{square_address:#010x}"));

    // A value's children are listed only during the stop that showed it.
    let stale = by_name("square");
    debugged.session.set_breakpoints(&source("cmd.c"), &[]);
    debugged
        .session
        .set_function_breakpoints(&["describe".to_string()]);
    debugged.session.resume(Resume::Continue);
    debugged.stopped();
    let error = debugged
        .session
        .children(stale.children.as_ref().unwrap())
        .unwrap_err();
    assert!(error.contains("has run since"), "{error}");
}

#[test]
fn c_parameters_differ_per_frame_of_a_recursion() {
    let debugged = stopped_at("cmd-O0", "cmd.c", "fact-base");
    let stack = debugged.stack();
    let facts: Vec<usize> = stack
        .iter()
        .filter(|f| f.name == "fact")
        .map(|f| f.wasm_frame)
        .collect();
    assert_eq!(facts.len(), 5, "fact(5) down to fact(1): {stack:#?}");
    let seen: Vec<(String, String)> = facts
        .iter()
        .map(|&frame| {
            let values = locals(&debugged, frame);
            let get = |name: &str| {
                values
                    .iter()
                    .find(|v| v.name == name)
                    .unwrap()
                    .value
                    .clone()
            };
            (get("n"), get("depth"))
        })
        .collect();
    let expected: Vec<(String, String)> = (1..=5)
        .map(|n| (n.to_string(), (5 - n).to_string()))
        .collect();
    assert_eq!(seen, expected, "(n, depth) innermost first");
    // The outermost frame of a C command is `main`, by its source name.
    assert!(stack.iter().any(|f| f.name == "main"), "{stack:#?}");
    // Each frame evaluates in its own scope.
    let outer = debugged.session.evaluate(facts[4], 0, "n").unwrap();
    assert_eq!(outer.value, "5");
}

#[test]
fn c_values_at_o1_follow_location_lists() {
    // At -O1 `n` and `depth` live in wasm locals over a range of pcs (a
    // location list) and `rest` on the operand stack, right after the
    // call that produced it.
    let debugged = debug(&debug_command("cmd-O1"), Launch::Run, &[], false);
    debugged
        .session
        .set_function_breakpoints(&["fact".to_string()]);
    debugged.session.start();
    assert_eq!(debugged.stopped().reason, StopReason::Breakpoint);
    assert_values(&debugged, &[("n", "5", "int"), ("depth", "0", "int")]);
    let rest = debugged.session.evaluate(0, 0, "rest").unwrap();
    assert_eq!(rest.value, "<optimized out>");

    // After `fact(1)` returns into `fact(2)`: rest = 1, and `n` has no
    // location there any more.
    debugged.session.set_function_breakpoints(&[]);
    let after_call = debug_marker("cmd.c", "fact-body") + 1;
    let placed = debugged
        .session
        .set_breakpoints(&source("cmd.c"), &[after_call]);
    assert!(placed[0].verified, "{placed:?}");
    debugged.session.resume(Resume::Continue);
    assert_eq!(debugged.stopped().reason, StopReason::Breakpoint);
    assert_values(&debugged, &[("rest", "1", "int")]);
    let n = debugged.session.evaluate(0, 0, "n").unwrap();
    assert_eq!(n.value, "<optimized out>");
    assert_eq!(n.type_name, "int");
}

#[test]
fn rust_values_of_every_kind() {
    let debugged = stopped_at("rust_cmd", "rust_cmd.rs", "locals-ready");
    let account = "{id: 7, owner: \"owned\", balance: 12.5, active: true, \
                   tags: [\"alpha\", \"beta\"]}";
    assert_values(
        &debugged,
        &[
            ("small", "-7", "i32"),
            ("big", "1099511627776", "u64"),
            ("ratio", "0.25", "f64"),
            ("flag", "true", "bool"),
            ("letter", "'λ'", "char"),
            ("text", "\"borrowed\"", "&str"),
            ("command", "\"run\"", "&str"),
            ("owned", "\"owned\"", "String"),
            ("numbers", "[1, 2, 3]", "Vec<i32, alloc::alloc::Global>"),
            ("numbers[2]", "3", "i32"),
            (
                "args",
                "[\"program\"]",
                "Vec<alloc::string::String, alloc::alloc::Global>",
            ),
            ("args[0]", "\"program\"", "String"),
            ("some", "Some(42)", "Option<i32>"),
            ("some.0", "42", "i32"),
            ("none", "None", "Option<i32>"),
            ("heading", "East", "Direction"),
            ("circle", "Circle { radius: 2 }", "Shape"),
            ("circle.radius", "2", "f64"),
            ("rect", "Rect(3, 4)", "Shape"),
            ("rect.1", "4", "u32"),
            ("empty", "Empty", "Shape"),
            ("account", account, "Account"),
            ("account.owner", "\"owned\"", "String"),
            ("account.tags[1]", "\"beta\"", "&str"),
        ],
    );
    assert_errors(
        &debugged,
        &[
            ("rect.2", "`Shape` has no member `2` (it has 0, 1)"),
            ("none.0", "`Option<i32>` has no member `0`"),
        ],
    );
    let all = locals(&debugged, 0);
    let by_name = |name: &str| all.iter().find(|v| v.name == name).unwrap().clone();
    assert_eq!(child_names(&debugged, &by_name("some")), ["0"]);
    assert_eq!(child_names(&debugged, &by_name("rect")), ["0", "1"]);
    assert_eq!(
        child_names(&debugged, &by_name("numbers")),
        ["[0]", "[1]", "[2]"]
    );
    assert_eq!(
        child_names(&debugged, &by_name("account")),
        ["id", "owner", "balance", "active", "tags"]
    );
}

/// One case of breakpoint options: where, with what, and what the run
/// shows (the value of `watch` at each stop, then the logged lines).
struct OptionsCase {
    marker: &'static str,
    options: BreakpointOptions,
    watch: &'static str,
    stops: &'static [&'static str],
    logs: &'static [&'static str],
}

fn options(condition: Option<&str>, hit: Option<&str>, log: Option<&str>) -> BreakpointOptions {
    BreakpointOptions {
        condition: condition.map(String::from),
        hit_condition: hit.map(String::from),
        log_message: log.map(String::from),
    }
}

#[test]
fn conditions_hit_counts_and_logpoints() {
    // `fact-body` runs for n = 5, 4, 3, 2; `sum-loop` for i = 0..5.
    let cases = [
        OptionsCase {
            marker: "fact-body",
            options: options(Some("n == 3"), None, None),
            watch: "n",
            stops: &["3"],
            logs: &[],
        },
        OptionsCase {
            marker: "fact-body",
            options: options(Some("depth >= 1 && n * 2 > 5"), None, None),
            watch: "depth",
            stops: &["1", "2"],
            logs: &[],
        },
        OptionsCase {
            marker: "fact-body",
            options: options(None, Some("% 2"), None),
            watch: "n",
            stops: &["4", "2"],
            logs: &[],
        },
        OptionsCase {
            marker: "fact-body",
            options: options(Some("n < 5"), Some(">= 2"), None),
            watch: "n",
            stops: &["3", "2"],
            logs: &[],
        },
        OptionsCase {
            marker: "sum-loop",
            options: options(
                None,
                None,
                Some("i={i} values[i]={values[i]} {{total}}={total}"),
            ),
            watch: "",
            stops: &[],
            logs: &[
                "i=0 values[i]=3 {total}=0\n",
                "i=1 values[i]=1 {total}=3\n",
                "i=2 values[i]=4 {total}=4\n",
                "i=3 values[i]=1 {total}=8\n",
                "i=4 values[i]=5 {total}=9\n",
            ],
        },
        OptionsCase {
            marker: "sum-loop",
            options: options(Some("i == 2"), None, Some("at {i}: {nosuch}")),
            watch: "",
            stops: &[],
            logs: &["at 2: <no variable `nosuch` is in scope here>\n"],
        },
    ];
    for case in cases {
        let debugged = debug(&debug_command("cmd-O0"), Launch::Run, &[], false);
        let line = debug_marker("cmd.c", case.marker);
        let placed = debugged
            .session
            .set_breakpoints_with(&source("cmd.c"), &[(line, case.options.clone())]);
        assert!(placed[0].verified, "{placed:?}");
        debugged.session.start();
        let mut stops = Vec::new();
        loop {
            match debugged.next() {
                SessionEvent::Stopped(stop) => {
                    assert_eq!(stop.reason, StopReason::Breakpoint);
                    stops.push(debugged.session.evaluate(0, 0, case.watch).unwrap().value);
                    debugged.session.resume(Resume::Continue);
                }
                SessionEvent::Ended(ending) => {
                    assert!(matches!(ending, Ending::Exited(0)), "{ending:?}");
                    break;
                }
                SessionEvent::Log(_) => unreachable!("kept by next()"),
            }
        }
        assert_eq!(stops, case.stops, "{:?}", case.options);
        assert_eq!(
            *debugged.logs.lock().unwrap(),
            case.logs,
            "{:?}",
            case.options
        );
    }
}

#[test]
fn bad_breakpoint_options_are_refused_or_stop_saying_why() {
    let debugged = debug(&debug_command("cmd-O0"), Launch::Run, &[], false);
    let line = debug_marker("cmd.c", "fact-body");
    let refused = [
        (
            options(Some("n =="), None, None),
            "condition: an empty expression",
        ),
        (
            options(None, Some("often"), None),
            "the hit condition `often` is not understood",
        ),
        (
            options(None, None, Some("{n ^ 2}")),
            "log message `{n ^ 2}`: `^` is not understood",
        ),
    ];
    for (options, message) in refused {
        let placed = debugged
            .session
            .set_breakpoints_with(&source("cmd.c"), &[(line, options)]);
        assert!(!placed[0].verified);
        let said = placed[0].message.clone().unwrap_or_default();
        assert!(said.starts_with(message), "{said}");
    }
    // A condition that parses but cannot be evaluated stops there, saying
    // why, as CodeLLDB does.
    debugged.session.set_breakpoints_with(
        &source("cmd.c"),
        &[(line, options(Some("nosuch > 1"), None, None))],
    );
    debugged.session.start();
    let stop = debugged.stopped();
    assert_eq!(stop.reason, StopReason::Breakpoint);
    assert!(
        stop.description
            .contains("`nosuch > 1` of this breakpoint cannot be evaluated: no variable `nosuch`"),
        "{}",
        stop.description
    );
}
