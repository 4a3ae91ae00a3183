//! Run lenses through the protocol, on fixture workspaces with real built
//! components (the WAT fixtures encoded by wit-component, and the C
//! program built with clang and wasi-libc): which lenses appear where,
//! discovery, invoke/trace/run results, limits, cancel, traps mapped to C
//! source lines, stale builds, and `wasmlens.toml` mistakes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};
use wasmlens_tests::components::{
    CALC_CORE, CALC_WIT, c_greet_component, component, hello_command, wasi_version,
};
use wasmlens_tests::lsp_client::{LspClient, file_uri};
use wasmlens_tests::{TestTree, wasi_p2_dir, workspace_root};

pub(crate) const CALC_PATH: &str = "target/wasm32-wasip2/release/calc.wasm";

/// A workspace with WIT under `wit/`, components written into it, and the
/// server initialised on it with one WIT file open.
pub(crate) struct LensWorkspace {
    pub(crate) root: PathBuf,
    /// The temporary tree behind `root`, kept until the test ends (none
    /// for a folder of the repository).
    _tree: Option<TestTree>,
    pub(crate) client: LspClient,
    uri: String,
}

impl LensWorkspace {
    pub(crate) async fn start(
        files: &[(&str, &str)],
        components: &[(&str, Vec<u8>)],
        open: &str,
    ) -> Self {
        let tree = TestTree::new(files);
        for (path, bytes) in components {
            tree.write_bytes(path, bytes);
        }
        LensWorkspace::on(tree, open).await
    }

    async fn on(tree: TestTree, open: &str) -> Self {
        let mut workspace = LensWorkspace::at(tree.path(), open).await;
        workspace._tree = Some(tree);
        workspace
    }

    /// The C program of `tests/fixtures/c` as a built command, with its
    /// source in the workspace (world `greet`, `wit/world.wit` open).
    pub(crate) async fn greet_command() -> Self {
        let v = wasi_version();
        let world =
            format!("package test:greet;\n\nworld greet {{\n    export wasi:cli/run@{v};\n}}\n");
        let mut files = command_files(&world);
        let source =
            std::fs::read_to_string(workspace_root().join("tests/fixtures/c/greet.c")).unwrap();
        files.push(("src/greet.c".to_string(), source));
        LensWorkspace::start(
            &borrowed(&files),
            &[("target/wasm32-wasip1/debug/greet.wasm", c_greet_component())],
            "wit/world.wit",
        )
        .await
    }

    /// The calc package whose `[[component]]` builds `out/calc.wasm` with
    /// `build` (the built component waits in `stash/`).
    pub(crate) async fn calc_with_build(build: &str) -> Self {
        let config = format!(
            "[[component]]\nworld = \"test:calc/calc\"\npath = \"out/calc.wasm\"\nbuild = \"{build}\"\n"
        );
        LensWorkspace::start(
            &[("wit/calc.wit", CALC_WIT), ("wasmlens.toml", &config)],
            &[("stash/calc.wasm", calc_component())],
            "wit/calc.wit",
        )
        .await
    }

    /// The workspace folder `root`, as it is on disk, with `open` opened.
    async fn at(root: &Path, open: &str) -> Self {
        let path = root.join(open);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut client = LspClient::in_memory();
        client.initialize(root, json!({})).await;
        client.open(&path, &text).await;
        LensWorkspace {
            uri: file_uri(&path),
            root: root.to_path_buf(),
            _tree: None,
            client,
        }
    }

    /// Every lens of the open file, resolved: `line: title`.
    pub(crate) async fn lenses(&mut self) -> Vec<String> {
        self.resolved_lenses()
            .await
            .iter()
            .map(|lens| {
                format!(
                    "{}: {}",
                    lens["range"]["start"]["line"], lens["command"]["title"]
                )
            })
            .collect()
    }

    pub(crate) async fn resolved_lenses(&mut self) -> Vec<Value> {
        let lenses = self
            .client
            .request(
                "textDocument/codeLens",
                json!({"textDocument": {"uri": self.uri}}),
            )
            .await;
        let mut resolved = Vec::new();
        for lens in lenses.as_array().cloned().unwrap_or_default() {
            assert!(lens["command"].is_null(), "commands come from resolve");
            resolved.push(self.client.request("codeLens/resolve", lens).await);
        }
        resolved
    }

    /// The command of the first lens whose title starts with `title` on a
    /// line that holds `line_text`.
    pub(crate) async fn lens_command(&mut self, title: &str, line_text: &str) -> Value {
        let text =
            std::fs::read_to_string(wasmlens_tests::lsp_client::path_of_uri(&self.uri).unwrap())
                .unwrap();
        let lenses = self.resolved_lenses().await;
        lenses
            .into_iter()
            .find(|lens| {
                let line = lens["range"]["start"]["line"].as_u64().unwrap() as usize;
                lens["command"]["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with(title))
                    && text
                        .lines()
                        .nth(line)
                        .is_some_and(|l| l.contains(line_text))
            })
            .unwrap_or_else(|| panic!("no `{title}` lens on a line with `{line_text}`"))["command"]
            .clone()
    }

    /// Executes a lens command with extra fields in its argument.
    pub(crate) async fn execute(&mut self, command: &Value, extra: Value) -> Value {
        let response = self.execute_raw(command, extra).await;
        if let Some(error) = response.get("error") {
            panic!("{} failed: {error}", command["command"]);
        }
        response["result"].clone()
    }

    /// Executes a lens command that asks for consent first: the prompt
    /// (`window/showMessageRequest`) is answered with the action titled
    /// `choice`, and both the prompt and the response are returned.
    pub(crate) async fn execute_consenting(
        &mut self,
        command: &Value,
        extra: Value,
        choice: &str,
    ) -> (Value, Value) {
        let request = self
            .client
            .send_request("workspace/executeCommand", with(command, extra))
            .await;
        let prompt = self
            .client
            .next_message(|m| m["method"] == "window/showMessageRequest")
            .await;
        let titles: Vec<&str> = prompt["params"]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["Allow once", "Always for this workspace", "Deny"]);
        self.client.reply(&prompt, json!({"title": choice})).await;
        let response = self.client.response(request).await;
        (prompt["params"].clone(), response)
    }

    pub(crate) async fn execute_raw(&mut self, command: &Value, extra: Value) -> Value {
        self.client
            .request_raw("workspace/executeCommand", with(command, extra))
            .await
    }
}

/// `executeCommand` params for a lens command, its argument extended.
fn with(command: &Value, extra: Value) -> Value {
    let mut argument = command["arguments"][0].clone();
    for (key, value) in extra.as_object().unwrap() {
        if key != "workDoneToken" {
            argument[key] = value.clone();
        }
    }
    let mut params = json!({"command": command["command"], "arguments": [argument]});
    if let Some(token) = extra.get("workDoneToken") {
        params["workDoneToken"] = token.clone();
    }
    params
}

pub(crate) fn calc_component() -> Vec<u8> {
    component(CALC_WIT, CALC_CORE)
}

/// The WASI 0.2 tree as `wit/deps/`, and a command world next to it.
pub(crate) fn command_files(world: &str) -> Vec<(String, String)> {
    let mut files = vec![("wit/world.wit".to_string(), world.to_string())];
    for entry in std::fs::read_dir(wasi_p2_dir().join("deps")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "wit") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.push((
                format!("wit/deps/{name}"),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    files
}

pub(crate) fn borrowed(files: &[(String, String)]) -> Vec<(&str, &str)> {
    files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect()
}

fn set_modified(path: &Path, when: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

#[tokio::test]
async fn lenses_sit_above_each_export_and_say_when_nothing_is_built() {
    // Table: (case, config, component present) -> lenses of calc.wit.
    let cases: [(&str, &str, bool, &[&str]); 3] = [
        (
            "built",
            "",
            true,
            &[
                "3: \"▶ Invoke\"",
                "3: \"⏵ Debug\"",
                "3: \"Trace\"",
                "7: \"▶ Invoke\"",
                "7: \"⏵ Debug\"",
                "7: \"Trace\"",
                "8: \"▶ Invoke\"",
                "8: \"⏵ Debug\"",
                "8: \"Trace\"",
                "9: \"▶ Invoke\"",
                "9: \"⏵ Debug\"",
                "9: \"Trace\"",
                "10: \"▶ Invoke\"",
                "10: \"⏵ Debug\"",
                "10: \"Trace\"",
                "11: \"▶ Invoke\"",
                "11: \"⏵ Debug\"",
                "11: \"Trace\"",
                "12: \"▶ Invoke\"",
                "12: \"⏵ Debug\"",
                "12: \"Trace\"",
                "13: \"▶ Invoke\"",
                "13: \"⏵ Debug\"",
                "13: \"Trace\"",
            ],
        ),
        (
            "nothing built, no mapping",
            "",
            false,
            &[
                "6: \"No built component for test:calc/calc: build one into target/, build/, dist/ or out/, or map it with [[component]] in wasmlens.toml\"",
            ],
        ),
        (
            "nothing built, a build command",
            "[[component]]\nworld = \"test:calc/calc\"\npath = \"out/calc.wasm\"\nbuild = \"true\"\n",
            false,
            &[
                "6: \"No component at OUT (mapped in wasmlens.toml)\"",
                "6: \"Build\"",
            ],
        ),
    ];
    for (case, config, built, expected) in cases {
        let components = if built {
            vec![(CALC_PATH, calc_component())]
        } else {
            Vec::new()
        };
        let mut workspace = LensWorkspace::start(
            &[("wit/calc.wit", CALC_WIT), ("wasmlens.toml", config)],
            &components,
            "wit/calc.wit",
        )
        .await;
        let out = workspace.root.join("out/calc.wasm");
        let expected: Vec<String> = expected
            .iter()
            .map(|l| l.replace("OUT", &out.display().to_string()))
            .collect();
        assert_eq!(workspace.lenses().await, expected, "{case}");
    }
}

#[tokio::test]
async fn invoke_answers_a_template_then_the_wave_result() {
    // A component that does not match the world sits beside the right one,
    // newer: discovery must still pick the calc component.
    let mut workspace = LensWorkspace::start(
        &[("wit/calc.wit", CALC_WIT)],
        &[
            (CALC_PATH, calc_component()),
            ("target/other/hello.wasm", hello_command(false)),
        ],
        "wit/calc.wit",
    )
    .await;
    let invoke = workspace.lens_command("▶ Invoke", "export add").await;
    assert_eq!(invoke["command"], "wasmlens.invoke");

    let template = workspace.execute(&invoke, json!({})).await;
    assert_eq!(template["kind"], "template");
    assert_eq!(template["template"], "(0, 0)");
    assert!(
        template["component"]
            .as_str()
            .unwrap()
            .ends_with("calc.wasm")
    );

    // Table: (lens line, arguments) -> result, text.
    let cases = [
        ("export add", "(1, 2)", "3", "add(1, 2) = 3"),
        ("export add", "40, 2", "42", "add(40, 2) = 42"),
        (
            "export greet",
            "(\"world\")",
            "\"Hello, world!\"",
            "greet(\"world\") = \"Hello, world!\"",
        ),
        ("export maybe", "()", "none", "maybe() = none"),
        ("scale:", "(6, 7)", "42", "test:calc/math.scale(6, 7) = 42"),
    ];
    for (line, arguments, result, text) in cases {
        let invoke = workspace.lens_command("▶ Invoke", line).await;
        let answer = workspace
            .execute(&invoke, json!({"arguments": arguments}))
            .await;
        assert_eq!(answer["ok"], true, "{answer}");
        assert_eq!(answer["result"], result, "{line} {arguments}");
        assert!(
            answer["text"].as_str().unwrap().starts_with(text),
            "{}",
            answer["text"]
        );
        assert!(answer["durationMs"].as_f64().unwrap() > 0.0);
    }
    // The component was compiled once, for the template.
    let invoke = workspace.lens_command("▶ Invoke", "export add").await;
    let again = workspace
        .execute(&invoke, json!({"arguments": "(1, 1)"}))
        .await;
    assert_eq!(again["compileMs"], 0.0);

    // A wrong argument is the guest's answer, not a protocol error.
    let wrong = workspace
        .execute(&invoke, json!({"arguments": "(\"x\", 1)"}))
        .await;
    assert_eq!(wrong["ok"], false);
    assert!(
        wrong["error"].as_str().unwrap().contains("argument 1 `a`"),
        "{wrong}"
    );
}

#[tokio::test]
async fn a_looping_export_is_stopped_by_the_limit_and_the_server_keeps_serving() {
    let mut workspace = LensWorkspace::start(
        &[
            ("wit/calc.wit", CALC_WIT),
            ("wasmlens.toml", "[run]\ntimeout = \"300ms\"\n"),
        ],
        &[(CALC_PATH, calc_component())],
        "wit/calc.wit",
    )
    .await;
    let spin = workspace.lens_command("▶ Invoke", "export spin").await;
    let started = Instant::now();
    let answer = workspace.execute(&spin, json!({"arguments": "()"})).await;
    assert_eq!(answer["ok"], false);
    assert_eq!(answer["limit"], "timeout", "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .starts_with("timed out after 300ms")
    );
    assert!(started.elapsed() < Duration::from_secs(10));

    // Memory: `bomb` grows memory past [run] max-memory... with the
    // editor's default it stops at 256 MiB.
    let bomb = workspace.lens_command("▶ Invoke", "export bomb").await;
    let answer = workspace.execute(&bomb, json!({"arguments": "()"})).await;
    assert_eq!(answer["limit"], "memory", "{answer}");

    let add = workspace.lens_command("▶ Invoke", "export add").await;
    let answer = workspace
        .execute(&add, json!({"arguments": "(2, 2)"}))
        .await;
    assert_eq!(answer["result"], "4");
}

#[tokio::test]
async fn a_cancelled_run_stops() {
    let mut workspace = LensWorkspace::start(
        &[
            ("wit/calc.wit", CALC_WIT),
            (
                "wasmlens.toml",
                "[run]\ntimeout = \"60s\"\nfuel = 100_000_000_000_000\n",
            ),
        ],
        &[(CALC_PATH, calc_component())],
        "wit/calc.wit",
    )
    .await;
    let spin = workspace.lens_command("▶ Invoke", "export spin").await;

    // The progress' cancel button: the request ends with the run stopped.
    let params = with(&spin, json!({"arguments": "()", "workDoneToken": "spin-1"}));
    let request = workspace
        .client
        .send_request("workspace/executeCommand", params)
        .await;
    workspace
        .client
        .next_message(|m| {
            m["method"] == "$/progress" && m["params"]["value"]["message"] == "running"
        })
        .await;
    let started = Instant::now();
    workspace
        .client
        .notify("window/workDoneProgress/cancel", json!({"token": "spin-1"}))
        .await;
    let answer = workspace.client.response(request).await["result"].clone();
    assert_eq!(answer["ok"], false);
    assert_eq!(answer["limit"], "cancelled", "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));

    // `$/cancelRequest`: the request is answered as cancelled, and the
    // server goes on serving.
    let response = workspace
        .client
        .request_raw_with_cancel(
            "workspace/executeCommand",
            with(&spin, json!({"arguments": "()"})),
            Duration::from_millis(300),
        )
        .await;
    assert_eq!(response["error"]["code"], -32800, "{response}");
    let add = workspace.lens_command("▶ Invoke", "export add").await;
    let answer = workspace
        .execute(&add, json!({"arguments": "(1, 2)"}))
        .await;
    assert_eq!(answer["result"], "3");
}

#[tokio::test]
async fn run_streams_output_and_trace_records_the_wasi_calls() {
    let v = wasi_version();
    let world = format!(
        "package test:hello;\n\nworld hello {{\n    import wasi:cli/stdout@{v};\n    import wasi:io/streams@{v};\n    export wasi:cli/run@{v};\n}}\n"
    );
    let files = command_files(&world);
    let mut workspace = LensWorkspace::start(
        &borrowed(&files),
        &[("build/hello.wasm", hello_command(false))],
        "wit/world.wit",
    )
    .await;
    assert_eq!(workspace.lenses().await, ["2: \"▶ Run\"", "2: \"⏵ Debug\""]);
    let run = workspace.lens_command("▶ Run", "world hello").await;
    let answer = workspace.execute(&run, json!({})).await;
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["exitCode"], 0);
    let output = workspace
        .client
        .next_message(|m| m["method"] == "wasmlens/output")
        .await;
    assert_eq!(output["params"]["text"], "hello from wasm\n");
    assert_eq!(output["params"]["stream"], "stdout");
    assert_eq!(output["params"]["runId"], answer["runId"]);

    // Trace the command's `run` as a function of the exported interface.
    let mut trace = run.clone();
    trace["command"] = json!("wasmlens.trace");
    let call = format!("wasi:cli/run@{v}.run");
    let answer = workspace
        .execute(&trace, json!({"export": call, "arguments": "()"}))
        .await;
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["result"], "ok");
    let tree = answer["tree"].as_str().unwrap();
    let lines: Vec<&str> = tree.lines().collect();
    assert!(
        lines[0].starts_with(&format!("wasi:cli/run@{v}.run() -> ok  [")),
        "{tree}"
    );
    assert!(
        lines[1].starts_with("├─ stdout.get-stdout() -> Ok(Resource {"),
        "{tree}"
    );
    assert!(
        lines[2].starts_with(
            "└─ streams.[method]output-stream.blocking-write-and-flush(self: Resource {"
        ) && lines[2].contains("contents: […]) -> Ok(())  ["),
        "{tree}"
    );
    assert_eq!(lines.len(), 3, "{tree}");
    let calls = answer["trace"]["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 2, "{answer}");
    assert_eq!(calls[1]["interface"], "streams");
    assert_eq!(calls[1]["direction"], "import");
    assert!(calls[1]["durationMs"].as_f64().is_some());
}

#[tokio::test]
async fn a_trap_in_c_becomes_a_diagnostic_on_its_source_line() {
    let mut workspace = LensWorkspace::greet_command().await;
    let run = workspace.lens_command("▶ Run", "world greet").await;
    let answer = workspace.execute(&run, json!({"args": ["trap"]})).await;
    assert_eq!(answer["ok"], false, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("unreachable"),
        "{answer}"
    );
    assert!(
        answer["backtrace"][0]
            .as_str()
            .unwrap()
            .contains("crash_here at "),
        "{answer}"
    );
    let location = &answer["location"];
    assert!(location["uri"].as_str().unwrap().ends_with("/greet.c"));
    assert_eq!(location["line"], 10, "greet.c:11, zero-based");
    let diagnostics = workspace
        .client
        .diagnostics(location["uri"].as_str().unwrap())
        .await;
    assert_eq!(diagnostics["diagnostics"][0]["range"]["start"]["line"], 10);
    assert_eq!(diagnostics["diagnostics"][0]["source"], "wasmlens run");

    // The next run clears it. (`exit(3)` through the preview 1 adapter is
    // an error exit of `wasi:cli/run`, which WASI 0.2 reports as 1.)
    let answer = workspace
        .execute(&run, json!({"args": ["exit", "3"]}))
        .await;
    assert_eq!(answer["exitCode"], 1, "{answer}");
    assert_eq!(answer["ok"], false);
    let cleared = workspace
        .client
        .diagnostics(location["uri"].as_str().unwrap())
        .await;
    assert_eq!(cleared["diagnostics"], json!([]));
}

#[tokio::test]
async fn a_component_older_than_its_wit_is_flagged_stale() {
    let mut workspace = LensWorkspace::start(
        &[
            ("wit/calc.wit", CALC_WIT),
            (
                "wasmlens.toml",
                "[[component]]\nworld = \"test:calc/calc\"\npath = \"calc.wasm\"\nbuild = \"true\"\n",
            ),
        ],
        &[("calc.wasm", calc_component())],
        "wit/calc.wit",
    )
    .await;
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    set_modified(&workspace.root.join("calc.wasm"), hour_ago);
    let lenses = workspace.lenses().await;
    assert_eq!(lenses[0], "3: \"▶ Invoke (stale build)\"", "{lenses:?}");
    assert_eq!(
        lenses[3], "6: \"⚠ Older than the WIT: Rebuild\"",
        "{lenses:?}"
    );

    // Rebuilding (here `true`, which leaves the file as it is) answers
    // with the build's exit code.
    let build = workspace.lens_command("⚠ Older", "world calc").await;
    let (_, response) = workspace
        .execute_consenting(&build, json!({}), "Allow once")
        .await;
    let answer = &response["result"];
    assert_eq!(answer["kind"], "build");
    assert_eq!(answer["exitCode"], 0);

    // A fresh component is not stale.
    set_modified(
        &workspace.root.join("calc.wasm"),
        SystemTime::now() + Duration::from_secs(60),
    );
    workspace
        .client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&workspace.root.join("calc.wasm")), "type": 2}]}),
        )
        .await;
    assert_eq!(workspace.lenses().await[0], "3: \"▶ Invoke\"");

    // Nor is one written a moment before its WIT, as a fresh clone of a
    // repository that commits its build writes them.
    let wit_written = std::fs::metadata(workspace.root.join("wit/calc.wit"))
        .and_then(|m| m.modified())
        .unwrap();
    set_modified(
        &workspace.root.join("calc.wasm"),
        wit_written - Duration::from_secs(1),
    );
    workspace
        .client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&workspace.root.join("calc.wasm")), "type": 2}]}),
        )
        .await;
    assert_eq!(workspace.lenses().await[0], "3: \"▶ Invoke\"");
}

/// `(line, message)` of every diagnostic `wasmlens check` reports in
/// `wasmlens.toml` under `root`.
fn check_config_findings(root: &Path) -> Vec<(u64, String)> {
    let run = wasmlens_tests::wasmlens(root, &["check", "--format", "json", "wit"]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}{}", run.stdout, run.stderr);
    });
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "wasmlens.toml")
        .map(|d| {
            (
                // check counts lines from 1, the protocol from 0
                d["range"]["start"]["line"].as_u64().unwrap() - 1,
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn wasmlens_toml_mistakes_are_the_same_in_the_editor_and_in_check() {
    const VERSIONED: &str = "package test:calc@1.0.0;\n\nworld calc {\n    export add: func(a: u32, b: u32) -> u32;\n}\n";
    const COMPONENT: &str = "[[component]]\npath = \"out/calc.wasm\"\n";
    // Table: (wit, wasmlens.toml) -> every (line, start of message).
    type Case<'a> = (&'a str, String, Vec<(u64, &'a str)>);
    let imports_wit = wasmlens_tests::components::imports_wit();
    let cases: Vec<Case> = vec![
        (
            CALC_WIT,
            "[run]\ntimeout = \"5 parsecs\"\n".into(),
            vec![(
                1,
                "[run] timeout: unknown duration unit ` parsecs` in `5 parsecs`",
            )],
        ),
        (
            CALC_WIT,
            "[run]\nmax-memory = \"lots\"\n".into(),
            vec![(1, "[run] max-memory:")],
        ),
        (
            CALC_WIT,
            "[run]\nfuel = \"many\"\n".into(),
            vec![(1, "invalid configuration:")],
        ),
        (
            CALC_WIT,
            "[run]\nmocks = { \"not a name\" = \"1\" }\n".into(),
            vec![(
                1,
                "[run] mocks: `not a name` is not the name of an imported function",
            )],
        ),
        (
            CALC_WIT,
            "[run]\nmocks = { log = 1 }\n".into(),
            vec![(1, "invalid configuration:")],
        ),
        (
            CALC_WIT,
            "[run]\nplugs = [\"build/none.wasm\"]\n".into(),
            vec![(1, "[run] plugs: `build/none.wasm` does not exist")],
        ),
        (
            CALC_WIT,
            "[lint]\nunused-use = \"warn\"\nnot-a-lint = \"deny\"\n".into(),
            vec![(2, "unknown lint `not-a-lint`")],
        ),
        (
            CALC_WIT,
            "[[component]]\nworld = 1\n".into(),
            vec![(1, "invalid configuration:")],
        ),
        (
            CALC_WIT,
            "[runn]\nfuel = 1\n".into(),
            vec![(0, "invalid configuration: unknown section `runn`")],
        ),
        (
            CALC_WIT,
            format!("{COMPONENT}world = \"test:calc/calcc\"\n"),
            vec![(
                2,
                "[[component]] world `test:calc/calcc`: package test:calc has no world `calcc`; did you mean `test:calc/calc`?",
            )],
        ),
        (
            CALC_WIT,
            format!("{COMPONENT}world = \"tset:calc/calc\"\n"),
            vec![(
                2,
                "[[component]] world `tset:calc/calc`: no package `tset:calc` here; did you mean `test:calc/calc`?",
            )],
        ),
        (
            CALC_WIT,
            format!("{COMPONENT}world = \"calc\"\n"),
            vec![(2, "[[component]] world `calc` is not a world name")],
        ),
        // An unversioned name matches a versioned world; a versioned one
        // must match the version.
        (
            VERSIONED,
            format!("{COMPONENT}world = \"test:calc/calc\"\n"),
            vec![],
        ),
        (
            VERSIONED,
            format!("{COMPONENT}world = \"test:calc/calc@1.0.0\"\n"),
            vec![],
        ),
        (
            VERSIONED,
            format!("{COMPONENT}world = \"test:calc/calc@2.0.0\"\n"),
            vec![(
                2,
                "[[component]] world `test:calc/calc@2.0.0`: no package `test:calc@2.0.0` here; did you mean `test:calc/calc@1.0.0`?",
            )],
        ),
        // `[run] mocks` against the worlds' imports: an import no world has,
        // a value of the wrong type; the right ones are clean.
        (
            CALC_WIT,
            "[run]\nmocks = { log = '' }\n".into(),
            vec![(
                1,
                "[run] mocks: no world of this package imports a function `log`",
            )],
        ),
        (
            &imports_wit,
            "[run]\nmocks = { \"eval:host/kv.get\" = '42' }\n".into(),
            vec![(
                1,
                "[run] mocks: `42` is not a value of `option<string>`, the result type of `eval:host/kv.get`",
            )],
        ),
        (
            &imports_wit,
            "[run]\nmocks = { \"eval:host/kv@0.1.0.get\" = 'some(\"x\")', log = '' }\n".into(),
            vec![],
        ),
        // Every mistake at once, each at its place; the valid parts apply.
        (
            CALC_WIT,
            "[run]\ntimeout = \"soon\"\nmax-memory = \"lots\"\n[lint]\nnope = \"warn\"\n".into(),
            vec![
                (1, "[run] timeout:"),
                (2, "[run] max-memory:"),
                (4, "unknown lint `nope`"),
            ],
        ),
    ];
    for (wit, config, expected) in cases {
        let mut workspace = LensWorkspace::start(
            &[("wit/calc.wit", wit), ("wasmlens.toml", &config)],
            &[],
            "wit/calc.wit",
        )
        .await;
        let uri = file_uri(&workspace.root.join("wasmlens.toml"));
        let published = if expected.is_empty() {
            // The WIT file's diagnostics come after the toml's (files are
            // published in path order): once they are here, none for the
            // toml were sent.
            let wit = file_uri(&workspace.root.join("wit/calc.wit"));
            workspace.client.diagnostics(&wit).await;
            let sent = workspace.client.arrived(|m| m["params"]["uri"] == uri);
            assert!(sent.is_empty(), "{config}: {sent:?}");
            json!({"diagnostics": []})
        } else {
            workspace.client.diagnostics(&uri).await
        };
        let editor: Vec<(u64, String)> = published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                assert_eq!(d["code"], "config", "{config}: {published}");
                (
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(editor.len(), expected.len(), "{config}: {editor:?}");
        for ((line, message), (expected_line, start)) in editor.iter().zip(&expected) {
            assert_eq!(line, expected_line, "{config}: {editor:?}");
            assert!(message.starts_with(start), "{config}: {message}");
        }
        assert_eq!(
            check_config_findings(&workspace.root),
            editor,
            "wasmlens check and the editor disagree on\n{config}"
        );
    }
}

#[tokio::test]
async fn lens_commands_refuse_what_they_cannot_do() {
    let mut workspace = LensWorkspace::start(
        &[("wit/calc.wit", CALC_WIT)],
        &[(CALC_PATH, calc_component())],
        "wit/calc.wit",
    )
    .await;
    let invoke = workspace.lens_command("▶ Invoke", "export add").await;
    // Table: (command, argument changes) -> error code (invalid params: the
    // request is wrong; request failed: the work could not be done) and
    // message start.
    const INVALID_PARAMS: i64 = -32602;
    const REQUEST_FAILED: i64 = -32803;
    let cases = [
        (
            "wasmlens.invoke",
            json!({"export": "nope"}),
            INVALID_PARAMS,
            "test:calc/calc exports no function `nope`",
        ),
        (
            "wasmlens.invoke",
            json!({"world": "test:calc/other"}),
            REQUEST_FAILED,
            "no world `test:calc/other`",
        ),
        (
            "wasmlens.run",
            json!({}),
            INVALID_PARAMS,
            "test:calc/calc does not export wasi:cli/run",
        ),
        (
            "wasmlens.build",
            json!({}),
            REQUEST_FAILED,
            "no build command for test:calc/calc",
        ),
        (
            "wasmlens.frobnicate",
            json!({}),
            INVALID_PARAMS,
            "unknown command `wasmlens.frobnicate`",
        ),
    ];
    for (command, changes, code, message) in cases {
        let mut lens = invoke.clone();
        lens["command"] = json!(command);
        let response = workspace.execute_raw(&lens, changes).await;
        let error = response["error"]["message"].as_str().unwrap_or_default();
        assert!(error.starts_with(message), "{command}: {response}");
        assert_eq!(response["error"]["code"], code, "{command}: {response}");
    }
    // The component is gone (deleted after the lens was drawn): the work
    // cannot be done, so the request failed.
    std::fs::remove_file(workspace.root.join(CALC_PATH)).unwrap();
    workspace
        .client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&workspace.root.join(CALC_PATH)), "type": 3}]}),
        )
        .await;
    let response = workspace.execute_raw(&invoke, json!({})).await;
    assert_eq!(response["error"]["code"], REQUEST_FAILED, "{response}");
    let message = response["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("no built component for test:calc/calc"),
        "{message}"
    );
}

#[tokio::test]
async fn build_runs_the_configured_command_and_the_lenses_follow() {
    let mut workspace = LensWorkspace::calc_with_build(
        "mkdir -p out && cp stash/calc.wasm out/ && echo built; echo warning >&2",
    )
    .await;
    let build = workspace.lens_command("Build", "world calc").await;
    let (_, response) = workspace
        .execute_consenting(&build, json!({}), "Allow once")
        .await;
    let answer = &response["result"];
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["exitCode"], 0);
    let mut streams = Vec::new();
    for _ in 0..2 {
        let output = workspace
            .client
            .next_message(|m| m["method"] == "wasmlens/output")
            .await;
        streams.push((
            output["params"]["stream"].as_str().unwrap().to_string(),
            output["params"]["text"].as_str().unwrap().to_string(),
        ));
    }
    streams.sort();
    assert_eq!(
        streams,
        [
            ("stderr".to_string(), "warning\n".to_string()),
            ("stdout".to_string(), "built\n".to_string())
        ]
    );
    // The client is asked to refresh, and the lenses now offer Invoke.
    workspace
        .client
        .next_message(|m| m["method"] == "workspace/codeLens/refresh")
        .await;
    assert_eq!(workspace.lenses().await[0], "3: \"▶ Invoke\"");
}

/// A server on `tree` started with `initializationOptions`.
async fn started_with(tree: &TestTree, options: Value) -> (LspClient, Value) {
    let mut client = LspClient::in_memory();
    let init = client
        .initialize_with(tree.path(), json!({}), options)
        .await;
    (client, init)
}

#[tokio::test]
async fn show_component_exports_decodes_the_wit_even_with_execution_off() {
    let tree = TestTree::new(&[("wit/calc.wit", CALC_WIT)]);
    tree.write_bytes(CALC_PATH, &calc_component());
    let component = file_uri(&tree.path().join(CALC_PATH));
    for execution in [true, false] {
        let (mut client, init) = started_with(&tree, json!({"execution": execution})).await;
        let commands = &init["capabilities"]["executeCommandProvider"]["commands"];
        assert_eq!(
            commands.as_array().unwrap().len(),
            if execution { 7 } else { 1 },
            "{commands}"
        );
        let answer = client
            .request(
                "workspace/executeCommand",
                json!({"command": "wasmlens.exports", "arguments": [{"uri": component}]}),
            )
            .await;
        let wit = answer["wit"].as_str().unwrap();
        assert!(
            wit.contains("export add: func(a: u32, b: u32) -> u32;"),
            "{wit}"
        );
        assert!(wit.contains("interface math {"), "{wit}");
    }
    // Not a component: the error says what it is instead.
    let (mut client, _) = started_with(&tree, json!({})).await;
    let wit_file = file_uri(&tree.path().join("wit/calc.wit"));
    let response = client
        .request_raw(
            "workspace/executeCommand",
            json!({"command": "wasmlens.exports", "arguments": [{"uri": wit_file}]}),
        )
        .await;
    let message = response["error"]["message"].as_str().unwrap();
    assert!(message.contains("calc.wit"), "{message}");
}

#[tokio::test]
async fn with_execution_off_there_are_no_lenses_and_nothing_runs() {
    let tree = TestTree::new(&[("wit/calc.wit", CALC_WIT)]);
    tree.write_bytes(CALC_PATH, &calc_component());
    let (mut client, init) = started_with(&tree, json!({"execution": false})).await;
    assert!(init["capabilities"]["codeLensProvider"].is_null());
    let path = tree.path().join("wit/calc.wit");
    client.open(&path, CALC_WIT).await;
    let response = client
        .request_raw(
            "workspace/executeCommand",
            json!({"command": "wasmlens.invoke", "arguments": [{
                "uri": file_uri(&path), "world": "calc", "export": "add", "arguments": "(1, 2)"
            }]}),
        )
        .await;
    let message = response["error"]["message"].as_str().unwrap();
    assert!(message.contains("disabled for this workspace"), "{message}");
}

#[tokio::test]
async fn editor_run_settings_apply_under_the_workspace_file() {
    // The editor sets fuel and a timeout; the file sets its own timeout.
    let mut workspace = LensWorkspace::start(
        &[
            ("wit/calc.wit", CALC_WIT),
            ("wasmlens.toml", "[run]\ntimeout = \"30s\"\n"),
        ],
        &[(CALC_PATH, calc_component())],
        "wit/calc.wit",
    )
    .await;
    workspace
        .client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"wasmlens": {"run": {"fuel": 100000, "timeout": "1ms"}}}}),
        )
        .await;
    let spin = workspace.lens_command("▶ Invoke", "export spin").await;
    let answer = workspace.execute(&spin, json!({"arguments": "()"})).await;
    // Fuel from the editor stops it; the editor's 1ms timeout lost to the
    // file's 30s, or the limit would be the timeout.
    assert_eq!(answer["limit"], "fuel", "{answer}");

    // A bad setting is reported, naming it, and the run says so too.
    workspace
        .client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"wasmlens": {"run": {"maxMemory": "lots"}}}}),
        )
        .await;
    let shown = workspace
        .client
        .next_message(|m| m["method"] == "window/showMessage")
        .await;
    let text = shown["params"]["message"].as_str().unwrap();
    assert!(text.contains("wasmlens.run.maxMemory"), "{text}");
}

/// The README's example workspace, as a newcomer opens it (the committed
/// builds, at the modification times the checkout gave them): every export
/// has its lens, none says "stale", and each runs.
#[tokio::test]
async fn the_example_workspace_runs_from_its_lenses() {
    let root = workspace_root().join("examples/calc");
    let mut workspace = LensWorkspace::at(&root, "wit/calc.wit").await;
    assert_eq!(
        workspace.lenses().await,
        [
            "5: \"▶ Invoke\"",
            "5: \"⏵ Debug\"",
            "5: \"Trace\"",
            "7: \"▶ Invoke\"",
            "7: \"⏵ Debug\"",
            "7: \"Trace\"",
            "10: \"▶ Invoke\"",
            "10: \"⏵ Debug\"",
            "10: \"Trace\"",
            "14: \"▶ Run\"",
            "14: \"⏵ Debug\"",
        ]
    );

    // Table: (lens line, arguments) -> WAVE result.
    let cases = [
        ("export add", "(2, 3)", "5"),
        ("export add", "(4294967295, 1)", "0"),
        ("export greet", "(\"newcomer\")", "\"Hello, newcomer!\""),
    ];
    for (line, arguments, result) in cases {
        let invoke = workspace.lens_command("▶ Invoke", line).await;
        let answer = workspace
            .execute(&invoke, json!({"arguments": arguments}))
            .await;
        assert_eq!(answer["result"], result, "{line} {arguments}: {answer}");
    }
    let spin = workspace.lens_command("▶ Invoke", "export spin").await;
    let answer = workspace.execute(&spin, json!({"arguments": "()"})).await;
    assert_eq!(answer["limit"], "timeout", "{answer}");

    let run = workspace.lens_command("▶ Run", "world hello").await;
    let answer = workspace.execute(&run, json!({})).await;
    assert_eq!(answer["exitCode"], 0, "{answer}");
    let output = workspace
        .client
        .next_message(|m| m["method"] == "wasmlens/output")
        .await;
    assert_eq!(output["params"]["text"], "hello from wasm\n");
}
