//! A real C program (clang + wasi-libc, with DWARF), as a component through
//! the preview 1 adapter and as the core module itself: arguments, the
//! environment, preopened directories read-write and read-only, exit codes,
//! and a trap whose backtrace points into `greet.c`.

use std::path::Path;

use wasmlens_tests::components::c_greet_component;
use wasmlens_tests::{Run, TestTree, wasmlens, workspace_root};

/// Runs `wasmlens run --no-cache ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Run {
    let args: Vec<&str> = ["run", "--no-cache"].iter().chain(args).copied().collect();
    wasmlens(dir, &args)
}

fn tree() -> TestTree {
    let tree = TestTree::new(&[
        ("data/hello.txt", "hello from the host\n"),
        ("secret.txt", "secret\n"),
    ]);
    tree.write_bytes("greet.wasm", &c_greet_component());
    std::fs::copy(
        workspace_root().join("tests/fixtures/c/greet.wasm"),
        tree.path().join("greet-p1.wasm"),
    )
    .unwrap();
    std::fs::create_dir(tree.path().join("out")).unwrap();
    tree
}

/// (arguments after `run`, exit code, pieces of stdout, a piece of stderr)
const CASES: &[(&[&str], i32, &[&str], &str)] = &[
    // Arguments reach `argv`; no environment unless granted. A component's
    // `wasi:cli/run` can only say ok or err, so any non-zero exit of the C
    // program is 1 (the core module below keeps its code).
    (
        &["greet.wasm", "exit", "7"],
        1,
        &[
            "arg 0: greet.wasm\narg 1: exit\narg 2: 7\n",
            "GREETING=(unset)",
        ],
        "",
    ),
    (
        &["--env", "GREETING=hi", "greet.wasm"],
        0,
        &["GREETING=hi"],
        "",
    ),
    // A granted directory can be read...
    (
        &[
            "--dir",
            "data::/data",
            "greet.wasm",
            "read",
            "/data/hello.txt",
        ],
        0,
        &["read: hello from the host"],
        "",
    ),
    (
        &[
            "--dir-ro",
            "data::/data",
            "greet.wasm",
            "read",
            "/data/hello.txt",
        ],
        0,
        &["read: hello from the host"],
        "",
    ),
    // ... and nothing outside it, not even through `..`.
    (
        &[
            "--dir",
            "data::/data",
            "greet.wasm",
            "read",
            "/data/../secret.txt",
        ],
        1,
        &[],
        "Operation not permitted",
    ),
    (
        &["greet.wasm", "read", "secret.txt"],
        1,
        &[],
        "Capabilities insufficient",
    ),
    // Writing: into a read-write grant yes, into a read-only one no.
    (
        &["--dir", "out::/out", "greet.wasm", "write", "/out/new.txt"],
        0,
        &["wrote /out/new.txt"],
        "",
    ),
    (
        &[
            "--dir-ro",
            "out::/out",
            "greet.wasm",
            "write",
            "/out/denied.txt",
        ],
        1,
        &[],
        "Operation not permitted",
    ),
    (
        &[
            "--dir",
            "out::/out:ro",
            "greet.wasm",
            "write",
            "/out/denied.txt",
        ],
        1,
        &[],
        "Operation not permitted",
    ),
    // A trap: the frames name the C functions and their lines.
    (
        &["greet.wasm", "trap"],
        134,
        &[],
        "wasm `unreachable` instruction executed\nwasm backtrace:\n  0: crash_here at ",
    ),
    // The core module runs as a preview 1 program, the same way.
    (
        &["--env", "GREETING=p1", "greet-p1.wasm", "exit", "3"],
        3,
        &["arg 1: exit", "GREETING=p1"],
        "",
    ),
];

#[test]
fn the_c_program_gets_exactly_what_it_is_granted() {
    let tree = tree();
    let mut failures = Vec::new();
    for (args, code, stdout, stderr) in CASES {
        let got = run(tree.path(), args);
        let stdout_ok = stdout.iter().all(|piece| got.stdout.contains(piece));
        if got.code != *code || !stdout_ok || !got.stderr.contains(stderr) {
            failures.push(format!(
                "{args:?}: expected {code} {stdout:?} {stderr:?}\n  got {} {:?} {:?}",
                got.code, got.stdout, got.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // What the write cases did on the host.
    assert_eq!(
        std::fs::read_to_string(tree.path().join("out/new.txt")).unwrap(),
        "written\n"
    );
    assert!(!tree.path().join("out/denied.txt").exists());
}

#[test]
fn trap_frames_carry_source_locations() {
    let tree = tree();
    let got = run(tree.path(), &["greet.wasm", "trap"]);
    assert_eq!(got.code, 134, "{}", got.stderr);
    let frames: Vec<&str> = got
        .stderr
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(
        frames[0].contains("crash_here at ") && frames[0].contains("greet.c:1"),
        "{frames:?}"
    );
    assert!(
        frames
            .iter()
            .any(|f| f.contains("main at ") && f.contains("greet.c:")),
        "{frames:?}"
    );
}
