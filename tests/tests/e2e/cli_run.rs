//! `wasmlens run` on components made at test time: invocations with WAVE
//! arguments, bad calls, traps and limits, commands, listing, text and
//! precompiled input. Each case runs the real binary.

use std::path::Path;
use std::process::Command;

use wasmlens_tests::components::{
    ASYNC_CORE, ASYNC_WIT, CALC_CORE, CALC_WIT, P1_PROGRAM, RESOURCE_CORE, RESOURCE_WIT,
    TYPES_CORE, TYPES_WIT, component, grants_command, grow_component, hello_command,
    network_command, p3_command,
};
use wasmlens_tests::{Run, TestTree, wasmlens, wasmlens_bin};

/// Runs `wasmlens run --no-cache ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Run {
    let args: Vec<&str> = ["run", "--no-cache"].iter().chain(args).copied().collect();
    wasmlens(dir, &args)
}

/// The fixtures, written to a temporary directory.
fn fixtures() -> TestTree {
    let tree = TestTree::new(&[]);
    tree.write_bytes("calc.wasm", &component(CALC_WIT, CALC_CORE));
    tree.write_bytes("hello.wasm", &hello_command(false));
    tree.write_bytes("failing.wasm", &hello_command(true));
    tree.write_bytes("grants.wasm", &grants_command());
    tree.write_bytes("types.wasm", &component(TYPES_WIT, TYPES_CORE));
    tree.write_bytes("res.wasm", &component(RESOURCE_WIT, RESOURCE_CORE));
    tree.write_bytes("async.wasm", &component(ASYNC_WIT, ASYNC_CORE));
    tree.write_bytes("p3-ok.wasm", &p3_command(false));
    tree.write_bytes("net.wasm", &network_command());
    tree.write_bytes("grow.wasm", &grow_component());
    tree.write_bytes("p3-err.wasm", &p3_command(true));
    tree.write_bytes("p1.wasm", &wat::parse_str(P1_PROGRAM).unwrap());
    std::fs::create_dir(tree.path().join("data")).unwrap();
    tree.write_bytes("not-wasm.wasm", b"#!/bin/sh\necho hi\n");
    tree.write_bytes("add.wat", br#"(component
  (core module $m (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
  (core instance $i (instantiate $m))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add"))))"#);
    tree
}

/// (arguments, exit code, stdout, a piece of stderr)
const CASES: &[(&[&str], i32, &str, &str)] = &[
    // Calls with WAVE arguments, results in WAVE.
    (&["--invoke", "add(1, 2)", "calc.wasm"], 0, "3\n", ""),
    (
        &["--invoke", "greet(\"world\")", "calc.wasm"],
        0,
        "\"Hello, world!\"\n",
        "",
    ),
    (
        &["--invoke", "greet(\"é\\n\")", "calc.wasm"],
        0,
        "\"Hello, é\\n!\"\n",
        "",
    ),
    (
        &["--invoke", "maybe(some(41))", "calc.wasm"],
        0,
        "some(42)\n",
        "",
    ),
    (&["--invoke", "maybe(none)", "calc.wasm"], 0, "none\n", ""),
    // A trailing option may be left out.
    (&["--invoke", "maybe()", "calc.wasm"], 0, "none\n", ""),
    // Functions of an exported interface, by short or full name.
    (
        &["--invoke", "math.scale(6, 7)", "calc.wasm"],
        0,
        "42\n",
        "",
    ),
    (
        &["--invoke", "test:calc/math.scale(-6, 7)", "calc.wasm"],
        0,
        "-42\n",
        "",
    ),
    // Bad calls name what is wrong.
    (
        &["--invoke", "add(\"x\", 2)", "calc.wasm"],
        2,
        "",
        "argument 1 `a` of `add` must be a `u32`",
    ),
    (
        &["--invoke", "add(1)", "calc.wasm"],
        2,
        "",
        "argument 2 `b: u32` of `add` is missing",
    ),
    (
        &["--invoke", "add(1, 2, 3)", "calc.wasm"],
        2,
        "",
        "`add` takes 2 argument(s)",
    ),
    (
        &["--invoke", "nope()", "calc.wasm"],
        2,
        "",
        "exports no function `nope`",
    ),
    (&["--invoke", "add", "calc.wasm"], 2, "", "is not a call"),
    // Traps, with a backtrace that names the function.
    (
        &["--invoke", "crash()", "calc.wasm"],
        134,
        "",
        "wasm trap: wasm `unreachable` instruction executed\nwasm backtrace:\n  0: ",
    ),
    (
        &["--invoke", "deep(0)", "calc.wasm"],
        134,
        "",
        "call stack exhausted",
    ),
    // Every way of naming an export of a versioned interface: the version
    // before or after the function, or none, or the interface alone.
    (
        &["--invoke", "test:grow/mem@0.1.0.try-grow(0)", "grow.wasm"],
        0,
        "1\n",
        "",
    ),
    (
        &["--invoke", "test:grow/mem.try-grow@0.1.0(0)", "grow.wasm"],
        0,
        "1\n",
        "",
    ),
    (
        &["--invoke", "test:grow/mem.try-grow(0)", "grow.wasm"],
        0,
        "1\n",
        "",
    ),
    (&["--invoke", "mem.try-grow(0)", "grow.wasm"], 0, "1\n", ""),
    (
        &["--invoke", "test:grow/mem.try-grow@9.9.9(0)", "grow.wasm"],
        2,
        "",
        "exports no function",
    ),
    // A memory limit makes `memory.grow` return -1; the guest goes on.
    (
        &[
            "--max-memory",
            "1MiB",
            "--invoke",
            "mem.try-grow(100)",
            "grow.wasm",
        ],
        0,
        "-1\n",
        "",
    ),
    // Limits, reported as such.
    (
        &["--fuel", "1000000", "--invoke", "spin()", "calc.wasm"],
        134,
        "",
        "ran out of fuel after 1000000 units",
    ),
    (
        &["--timeout", "300ms", "--invoke", "spin()", "calc.wasm"],
        134,
        "",
        "timed out after 300ms",
    ),
    (
        &["--max-memory", "1MiB", "--invoke", "bomb()", "calc.wasm"],
        134,
        "",
        "memory limit of 1 MiB reached",
    ),
    (
        &["--max-instances", "0", "--invoke", "add(1, 2)", "calc.wasm"],
        134,
        "",
        "instance limit of 0 reached",
    ),
    (
        &["--max-tables", "0", "hello.wasm"],
        134,
        "",
        "table limit of 0 reached",
    ),
    // Commands: output and exit code.
    (&["hello.wasm"], 0, "hello from wasm\n", ""),
    (&["failing.wasm"], 1, "hello from wasm\n", ""),
    (&["calc.wasm"], 2, "", "exports no `wasi:cli/run`"),
    // WASI 0.3 commands: `run` is async; ok is 0, err is 1.
    (&["p3-ok.wasm"], 0, "", ""),
    (&["p3-err.wasm"], 1, "", ""),
    // A preview 1 program: its output and its `proc_exit` code.
    (&["p1.wasm"], 3, "hi from p1\n", ""),
    // Nothing is granted unless asked for: no environment, no directories.
    (&["grants.wasm"], 0, "0 0\n", ""),
    (
        &[
            "--env",
            "A=1",
            "--env",
            "B=2",
            "--dir",
            "data",
            "grants.wasm",
        ],
        0,
        "2 1\n",
        "",
    ),
    (&["--dir-ro", "data::/data", "grants.wasm"], 0, "0 1\n", ""),
    (
        &["--dir", "nowhere", "grants.wasm"],
        2,
        "",
        "cannot open `nowhere` for the guest",
    ),
    // Returned resources are shown as handles, also inside other values.
    (
        &["--invoke", "make(5)", "res.wasm"],
        0,
        "own<resource>\n",
        "",
    ),
    (
        &["--invoke", "pair(5)", "res.wasm"],
        0,
        "(own<resource>, 5)\n",
        "",
    ),
    // An async export is called the async way and its result printed.
    (
        &["--invoke", "slow-add(20, 22)", "async.wasm"],
        0,
        "42\n",
        "",
    ),
    (
        &["--list", "async.wasm"],
        0,
        "export slow-add: async func(a: u32, b: u32) -> u32\n",
        "",
    ),
    // No network unless granted: `start-connect` fails with access-denied
    // (1 1); with `--allow-net` it starts (0).
    (&["net.wasm"], 0, "1 1\n", ""),
    (&["--allow-net", "net.wasm"], 0, "0 ", ""),
    // Listing.
    (
        &["--list", "calc.wasm"],
        0,
        "export add: func(a: u32, b: u32) -> u32\n",
        "",
    ),
    // Text input, and what is not wasm at all.
    (&["--invoke", "add(20, 22)", "add.wat"], 0, "42\n", ""),
    (
        &["not-wasm.wasm"],
        2,
        "",
        "not a WebAssembly binary (it starts with `23 21 2f 62",
    ),
    (&["missing.wasm"], 2, "", "cannot read missing.wasm"),
];

#[test]
fn run_behaves_as_the_table_says() {
    let tree = fixtures();
    let mut failures = Vec::new();
    for (args, code, stdout, stderr) in CASES {
        let got = run(tree.path(), args);
        if got.code != *code
            || !got.stdout.starts_with(stdout)
            || (stdout.is_empty() && !got.stdout.is_empty() && *code != 0)
            || !got.stderr.contains(stderr)
        {
            failures.push(format!(
                "{args:?}: expected {code} {stdout:?} {stderr:?}\n  got {} {:?} {:?}",
                got.code, got.stdout, got.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn list_json_names_every_function() {
    let tree = fixtures();
    let got = run(tree.path(), &["--list", "--json", "calc.wasm"]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    let json: serde_json::Value = serde_json::from_str(&got.stdout).unwrap();
    let names: Vec<&str> = json["exports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "add",
            "greet",
            "maybe",
            "spin",
            "bomb",
            "crash",
            "deep",
            "test:calc/math#scale"
        ]
    );
    assert_eq!(json["imports"], serde_json::json!([]));
    // A command's imports: the WASI functions it calls, with their types.
    let got = run(tree.path(), &["--list", "--json", "hello.wasm"]);
    let json: serde_json::Value = serde_json::from_str(&got.stdout).unwrap();
    let v = wasmlens_tests::components::wasi_version();
    let get_stdout = json["imports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == format!("wasi:cli/stdout@{v}#get-stdout"))
        .expect("get-stdout is imported");
    assert_eq!(get_stdout["signature"], "func() -> own<resource>");
    let text = run(tree.path(), &["--list", "hello.wasm"]).stdout;
    assert!(
        text.contains(&format!("import wasi:cli/stdout@{v}.get-stdout: func()")),
        "{text}"
    );
    assert!(
        text.contains(&format!("export wasi:cli/run@{v}.run: func() -> result")),
        "{text}"
    );
}

#[test]
fn precompiled_code_runs_only_when_allowed() {
    let tree = fixtures();
    let compiled = Command::new(wasmlens_bin())
        .args(["compile", "calc.wasm", "-o", "calc.cwasm"])
        .current_dir(tree.path())
        .status()
        .unwrap();
    assert!(compiled.success());
    let refused = run(tree.path(), &["--invoke", "add(1, 2)", "calc.cwasm"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("--allow-precompiled"),
        "{}",
        refused.stderr
    );
    let allowed = run(
        tree.path(),
        &["--allow-precompiled", "--invoke", "add(1, 2)", "calc.cwasm"],
    );
    assert_eq!(
        (allowed.code, allowed.stdout.as_str()),
        (0, "3\n"),
        "{}",
        allowed.stderr
    );
}

/// (call, what comes back) for every kind of value WAVE writes.
const VALUES: &[(&str, &str)] = &[
    ("echo-bool(true)", "true"),
    ("echo-s64(-9223372036854775808)", "-9223372036854775808"),
    ("echo-f32(1.5)", "1.5"),
    ("echo-f64(nan)", "nan"),
    ("echo-f64(-inf)", "-inf"),
    ("echo-f64(0.1)", "0.1"),
    ("echo-char('🎉')", "'🎉'"),
    ("echo-char('\\'')", "'\\''"),
    (
        "echo-string(\"tab\\there \\u{1f389}\")",
        "\"tab\\there 🎉\"",
    ),
    ("echo-list([1, 2, 3])", "[1, 2, 3]"),
    ("echo-list([])", "[]"),
    ("echo-point({x: -1, y: 2})", "{x: -1, y: 2}"),
    ("echo-point({y: 2, x: -1})", "{x: -1, y: 2}"),
    ("echo-tuple((7, \"seven\"))", "(7, \"seven\")"),
    ("echo-color(blue)", "blue"),
    ("echo-perms({read, exec})", "{read, exec}"),
    ("echo-perms({})", "{}"),
    ("echo-shape(circle(2.5))", "circle(2.5)"),
    ("echo-shape(square(4))", "square(4)"),
    // `none` is a WAVE keyword: as a case name it is written `%none`.
    ("echo-shape(%none)", "%none"),
    ("echo-result(ok(1))", "ok(1)"),
    ("echo-result(err(\"no\"))", "err(\"no\")"),
];

#[test]
fn every_kind_of_value_goes_through_and_back() {
    let tree = fixtures();
    let mut failures = Vec::new();
    for (call, expected) in VALUES {
        let got = run(tree.path(), &["--invoke", call, "types.wasm"]);
        if got.code != 0 || got.stdout.trim_end() != *expected {
            failures.push(format!(
                "{call}: expected {expected}, got {} {:?} {:?}",
                got.code, got.stdout, got.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Files under `dir`, recursively.
fn files_under(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        files_under(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

#[test]
fn compiled_code_is_cached_unless_told_not_to() {
    let tree = fixtures();
    let cache_home = tree.path().join("cache-home");
    let run_with_cache = |extra: &[&str]| {
        let output = Command::new(wasmlens_bin())
            .arg("run")
            .args(extra)
            .args(["--invoke", "add(1, 2)", "calc.wasm"])
            .current_dir(tree.path())
            .env("XDG_CACHE_HOME", &cache_home)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&output.stdout), "3\n");
    };
    run_with_cache(&["--no-cache"]);
    assert_eq!(files_under(&cache_home), 0, "--no-cache wrote to the cache");
    run_with_cache(&[]);
    assert!(
        files_under(&cache_home.join("wasmlens/compiled")) > 0,
        "nothing was cached"
    );
}
