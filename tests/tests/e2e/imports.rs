//! Imports WASI does not provide: stubbed so that the exports which never
//! call them still run, mocked with a WAVE value, or plugged with another
//! component's exports. Through the CLI (each case runs the real binary)
//! and through the runtime library (the trace of a mocked call).

use std::path::Path;

use wasmlens_runtime::{
    Artifact, Capabilities, EngineOptions, Limits, Mock, Plug, PrecompiledPolicy, Prepared,
    Provisions, Runtime, load_bytes,
};
use wasmlens_tests::components::{imports_component, kv_provider_component};
use wasmlens_tests::{Run, TestTree, wasmlens};

fn run(dir: &Path, args: &[&str]) -> Run {
    let args: Vec<&str> = ["run", "--no-cache"].iter().chain(args).copied().collect();
    wasmlens(dir, &args)
}

fn fixtures() -> TestTree {
    let tree = TestTree::new(&[]);
    tree.write_bytes("app.wasm", &imports_component());
    tree.write_bytes("provider.wasm", &kv_provider_component());
    tree.write_bytes("core.wat", b"(module (func (export \"_start\")))");
    tree
}

/// (arguments, exit code, stdout, a piece of stderr)
const CASES: &[(&[&str], i32, &str, &str)] = &[
    // Stubbed: an export that calls no missing import runs...
    (&["--invoke", "pure(21)", "app.wasm"], 0, "42\n", ""),
    // ...and calling a stub stops with the import's name and the remedy.
    (
        &["--invoke", "lookup(\"k\")", "app.wasm"],
        134,
        "",
        "the guest called the import `eval:host/kv@0.1.0.get`, which nothing provides",
    ),
    (
        &["--invoke", "lookup(\"k\")", "app.wasm"],
        134,
        "",
        "--mock 'eval:host/kv@0.1.0.get=VALUE'",
    ),
    (
        &["--invoke", "note(\"hi\")", "app.wasm"],
        134,
        "",
        "the guest called the import `log`",
    ),
    // Mocks: with and without the version, world-level, `none`.
    (
        &[
            "--mock",
            "eval:host/kv.get=some(\"mocked\")",
            "--invoke",
            "lookup(\"k\")",
            "app.wasm",
        ],
        0,
        "some(\"mocked\")\n",
        "",
    ),
    (
        &[
            "--mock",
            "eval:host/kv@0.1.0.get=none",
            "--invoke",
            "lookup(\"k\")",
            "app.wasm",
        ],
        0,
        "none\n",
        "",
    ),
    (
        &["--mock", "log=", "--invoke", "note(\"hello\")", "app.wasm"],
        0,
        "5\n",
        "",
    ),
    // A wrong-typed or unknown mock is a usage error that says what fits.
    (
        &[
            "--mock",
            "eval:host/kv.get=42",
            "--invoke",
            "pure(1)",
            "app.wasm",
        ],
        2,
        "",
        "is not a value of the import's result type `option<string>`",
    ),
    (
        &[
            "--mock",
            "eval:host/kv.nope=1",
            "--invoke",
            "pure(1)",
            "app.wasm",
        ],
        2,
        "",
        "the component imports no function `eval:host/kv.nope`",
    ),
    (
        &["--mock", "no-equals", "--invoke", "pure(1)", "app.wasm"],
        2,
        "",
        "is not `IMPORT=WAVE`",
    ),
    (
        &["--mock", "log=1", "--invoke", "pure(1)", "app.wasm"],
        2,
        "",
        "the import returns nothing",
    ),
    // A plug: its exports answer the imports.
    (
        &[
            "--plug",
            "provider.wasm",
            "--invoke",
            "lookup(\"k\")",
            "app.wasm",
        ],
        0,
        "some(\"plugged:k\")\n",
        "",
    ),
    (
        &[
            "--plug",
            "provider.wasm",
            "--invoke",
            "note(\"abc\")",
            "app.wasm",
        ],
        0,
        "3\n",
        "",
    ),
    // A mock wins over a plug for the function it names.
    (
        &[
            "--plug",
            "provider.wasm",
            "--mock",
            "eval:host/kv.get=some(\"m\")",
            "--invoke",
            "lookup(\"k\")",
            "app.wasm",
        ],
        0,
        "some(\"m\")\n",
        "",
    ),
    // A plug that provides nothing, or is not a component.
    (
        &["--plug", "app.wasm", "--invoke", "pure(1)", "provider.wasm"],
        2,
        "",
        "exports nothing the component imports",
    ),
    (
        &["--plug", "core.wat", "--invoke", "pure(1)", "app.wasm"],
        2,
        "",
        "a plug must be a component",
    ),
    (
        &["--plug", "missing.wasm", "--invoke", "pure(1)", "app.wasm"],
        2,
        "",
        "cannot read missing.wasm",
    ),
];

#[test]
fn imports_are_stubbed_mocked_or_plugged_as_the_table_says() {
    let tree = fixtures();
    let mut failures = Vec::new();
    for (args, code, stdout, stderr) in CASES {
        let got = run(tree.path(), args);
        if got.code != *code || !got.stdout.starts_with(stdout) || !got.stderr.contains(stderr) {
            failures.push(format!(
                "{args:?}: expected {code} {stdout:?} {stderr:?}\n  got {} {:?} {:?}",
                got.code, got.stdout, got.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn list_marks_how_each_import_is_satisfied() {
    let tree = fixtures();
    let got = run(
        tree.path(),
        &["--list", "--mock", "eval:host/kv.get=none", "app.wasm"],
    );
    assert_eq!(got.code, 0, "{}", got.stderr);
    for line in [
        "import eval:host/kv@0.1.0.get: func(key: string) -> option<string>  [mocked: none]",
        "import eval:host/kv@0.1.0.set: func(key: string, value: string)  [stubbed]",
        "import log: func(msg: string)  [stubbed]",
    ] {
        assert!(got.stdout.contains(line), "{line}\n{}", got.stdout);
    }
    let got = run(
        tree.path(),
        &["--list", "--json", "--plug", "provider.wasm", "app.wasm"],
    );
    let json: serde_json::Value = serde_json::from_str(&got.stdout).unwrap();
    let statuses: Vec<(String, String)> = json["imports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["status"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("eval:host/kv@0.1.0#get".to_string(), "plugged".to_string()),
            ("eval:host/kv@0.1.0#set".to_string(), "plugged".to_string()),
            ("log".to_string(), "plugged".to_string()),
        ]
    );
    // WASI imports are provided.
    let got = run(tree.path(), &["--list", "provider.wasm"]);
    assert_eq!(got.code, 0, "{}", got.stderr);
}

fn runtime() -> Runtime {
    Runtime::with_options(EngineOptions {
        cache_dir: None,
        ..EngineOptions::with_limits()
    })
    .unwrap()
}

fn component(runtime: &Runtime, bytes: &[u8]) -> wasmtime::component::Component {
    match load_bytes(runtime, bytes, PrecompiledPolicy::Refuse).unwrap() {
        Artifact::Component(component) => component,
        Artifact::Module(_) => panic!("a component"),
    }
}

#[tokio::test]
async fn a_trace_records_mocked_and_plugged_calls_in_wave() {
    let runtime = runtime();
    let app = Artifact::Component(component(&runtime, &imports_component()));
    let none = Capabilities::default();
    let limits = Limits::editor();
    // Mocked.
    let mocked = Prepared::with(
        &runtime,
        &app,
        &Provisions {
            mocks: vec![Mock::parse("eval:host/kv.get=some(\"v\")").unwrap()],
            plugs: Vec::new(),
        },
    )
    .unwrap();
    let traced = mocked.trace("lookup(\"key\")", &none, &limits).await;
    assert_eq!(traced.outcome.unwrap().results, ["some(\"v\")"]);
    let calls = &traced.root.calls;
    assert_eq!(calls.len(), 1, "{calls:#?}");
    assert_eq!(calls[0].interface.as_deref(), Some("eval:host/kv@0.1.0"));
    assert_eq!(calls[0].function, "get");
    assert_eq!(
        calls[0].arguments,
        [("key".to_string(), "\"key\"".to_string())]
    );
    assert_eq!(calls[0].result.as_deref(), Some("some(\"v\")"));
    // Plugged: the same call, answered by the provider's instance.
    let plugged = Prepared::with(
        &runtime,
        &app,
        &Provisions {
            mocks: Vec::new(),
            plugs: vec![Plug {
                path: "provider.wasm".into(),
                component: component(&runtime, &kv_provider_component()),
            }],
        },
    )
    .unwrap();
    let traced = plugged.trace("lookup(\"key\")", &none, &limits).await;
    assert_eq!(traced.outcome.unwrap().results, ["some(\"plugged:key\")"]);
    assert_eq!(
        traced.root.calls[0].result.as_deref(),
        Some("some(\"plugged:key\")")
    );
    // Each call gets a fresh instance of the plug, as of the component.
    for _ in 0..3 {
        let again = plugged.invoke("lookup(\"x\")", &none, &limits).await;
        assert_eq!(again.unwrap().results, ["some(\"plugged:x\")"]);
    }
}
