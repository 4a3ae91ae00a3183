//! wasmlens' extensions to the protocol, typed: the lens commands of
//! `workspace/executeCommand` with their argument and answers, the
//! `wasmlens/output` notification, `wasmlens.exports` and `wasmlens/debug`.
//!
//! This file is the contract. The snapshots of `tests/tests/e2e/lens_protocol.rs`
//! hold one answer of each kind; the VS Code extension's
//! `editors/vscode/src/protocol.ts` is type-checked against them, and the
//! README's lens table is checked against their fields.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower_lsp_server::jsonrpc::Error;
use tower_lsp_server::ls_types::{ExecuteCommandParams, Uri, notification, request};

use super::errors::invalid_params;

pub const RUN: &str = "wasmlens.run";
pub const INVOKE: &str = "wasmlens.invoke";
pub const TRACE: &str = "wasmlens.trace";
pub const BUILD: &str = "wasmlens.build";
/// An HTTP request to a world that exports `wasi:http/incoming-handler`.
pub const REQUEST: &str = "wasmlens.request";
/// A debug session's launch configuration for a lens (the client starts
/// the session: `wasmlens dap`).
pub const DEBUG_CONFIG: &str = "wasmlens.debugConfig";
/// The lens commands: they run something (or hand out what runs it), so
/// execution must be on.
pub const LENS_COMMANDS: [&str; 6] = [RUN, INVOKE, TRACE, BUILD, DEBUG_CONFIG, REQUEST];
/// A component's WIT; reads a file and runs nothing.
pub const EXPORTS: &str = "wasmlens.exports";

/// What a lens is about (its `data`); also the argument of its command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LensData {
    pub kind: LensKind,
    /// The WIT file the lens is in.
    pub uri: Uri,
    /// `ns:pkg/world`.
    pub world: String,
    /// The function as a call names it (`add`, `ns:pkg/iface@1.0.0.f`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<String>,
    /// The lens is about a component older than its WIT.
    #[serde(default)]
    pub stale: bool,
    /// For [`LensKind::Missing`]: the explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LensKind {
    Run,
    Invoke,
    Trace,
    Build,
    /// ⏵ Debug: a launch configuration for `wasmlens dap`.
    Debug,
    /// ▶ Request: an HTTP request to the world's incoming handler.
    Request,
    /// Trace Request: the same, recording every call the handler makes.
    TraceRequest,
    /// No component: a lens that explains, without a command.
    Missing,
}

/// The argument of every lens command: the lens' data, plus what the user
/// typed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LensCommandArgument {
    #[serde(flatten)]
    pub lens: LensData,
    /// For invoke and trace: `(1, 2)`; without it the answer is a template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    /// For run: the program's arguments (its name comes first on its own).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// For request: `GET` (the default), `POST`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// For request: path and query, `/` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// For request: `[name, value]` pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// For request: the body, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// The argument of `wasmlens.exports`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportsArgument {
    /// A `.wasm` or `.wat` component.
    pub uri: Uri,
}

/// Which lens command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LensCommand {
    Run,
    Invoke,
    Trace,
    Build,
    DebugConfig,
    Request,
}

impl LensCommand {
    pub fn name(self) -> &'static str {
        match self {
            LensCommand::Run => RUN,
            LensCommand::Invoke => INVOKE,
            LensCommand::Trace => TRACE,
            LensCommand::Build => BUILD,
            LensCommand::DebugConfig => DEBUG_CONFIG,
            LensCommand::Request => REQUEST,
        }
    }
}

/// An `executeCommand` request, parsed once.
#[derive(Debug, Clone)]
pub enum Command {
    Lens(LensCommand, Box<LensCommandArgument>),
    Exports(ExportsArgument),
}

/// Which command a name is, before its argument is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    Lens(LensCommand),
    Exports,
}

impl CommandKind {
    pub fn of(name: &str) -> Result<CommandKind, Error> {
        Ok(match name {
            RUN => CommandKind::Lens(LensCommand::Run),
            INVOKE => CommandKind::Lens(LensCommand::Invoke),
            TRACE => CommandKind::Lens(LensCommand::Trace),
            BUILD => CommandKind::Lens(LensCommand::Build),
            DEBUG_CONFIG => CommandKind::Lens(LensCommand::DebugConfig),
            REQUEST => CommandKind::Lens(LensCommand::Request),
            EXPORTS => CommandKind::Exports,
            _ => {
                return Err(invalid_params(format!(
                    "unknown command `{name}`; wasmlens executes {}, {EXPORTS}",
                    LENS_COMMANDS.join(", ")
                )));
            }
        })
    }
}

impl Command {
    /// The command `kind` names, with its argument.
    pub fn parse(kind: CommandKind, params: &ExecuteCommandParams) -> Result<Command, Error> {
        match kind {
            CommandKind::Exports => {
                argument(params, r#"{"uri": "file:///…/component.wasm"}"#).map(Command::Exports)
            }
            CommandKind::Lens(lens) => {
                let shape = r#"{"kind", "uri", "world", "export"?, "arguments"?, "args"?, "method"?, "path"?, "headers"?, "body"?}"#;
                argument(params, shape).map(|argument| Command::Lens(lens, Box::new(argument)))
            }
        }
    }
}

/// The single argument of a command, or an error that shows its shape.
fn argument<T: serde::de::DeserializeOwned>(
    params: &ExecuteCommandParams,
    shape: &str,
) -> Result<T, Error> {
    let wrong = |why: String| {
        invalid_params(format!(
            "`{}` takes one argument: {shape}{why}",
            params.command
        ))
    };
    let first = params
        .arguments
        .first()
        .ok_or_else(|| wrong(String::new()))?;
    serde_json::from_value(first.clone()).map_err(|e| wrong(format!(" ({e})")))
}

/// The answer of a lens command, by its `kind`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LensAnswer {
    /// Invoke or trace without `arguments`: a WAVE template to pre-fill a
    /// prompt.
    Template(TemplateAnswer),
    Run(ExecutionAnswer),
    Invoke(ExecutionAnswer),
    Trace(ExecutionAnswer),
    Build(BuildAnswer),
    DebugConfig(DebugConfigAnswer),
    Request(RequestAnswer),
}

/// A request that was handled (or whose handler failed): the execution's
/// fields (`ok` is whether the handler answered, whatever the status) and
/// the response.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestAnswer {
    #[serde(flatten)]
    pub execution: ExecutionAnswer,
    /// `GET /path`.
    pub request: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `[name, value]` pairs, in the order the handler set them.
    pub headers: Vec<(String, String)>,
    /// The body as text; a body that is not UTF-8 as its size and a hex
    /// preview.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_bytes: Option<usize>,
    /// Whether `body` is the body itself (UTF-8) or its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_is_text: Option<bool>,
}

/// What a client starts a debug session with.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DebugConfigAnswer {
    pub configuration: LaunchConfiguration,
    /// The component is older than its WIT.
    pub stale: bool,
    /// Something the user should know first (no debug info, a stale build).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// A `wasmlens` launch configuration (`launch.json`'s names).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LaunchConfiguration {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub request: &'static str,
    pub name: String,
    pub component: PathBuf,
    /// The WAVE call; without it the component runs as a command.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoke: Option<String>,
    pub args: Vec<String>,
    pub env: std::collections::BTreeMap<String, String>,
    pub dirs: Vec<LaunchDir>,
    pub allow_net: bool,
    pub stop_on_entry: bool,
    pub cwd: PathBuf,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LaunchDir {
    pub host: PathBuf,
    pub guest: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateAnswer {
    pub export: String,
    /// `(0, "")`: one placeholder per parameter.
    pub template: String,
    pub component: PathBuf,
}

/// A run, invoke or trace that happened (whether the guest succeeded or
/// not).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionAnswer {
    /// The id the run's `wasmlens/output` notifications carry.
    pub run_id: String,
    pub component: PathBuf,
    /// The component is older than its WIT.
    pub stale: bool,
    /// Time spent compiling before the run (0 when cached).
    pub compile_ms: f64,
    /// The guest wrote more than is kept; the rest was dropped.
    pub output_truncated: bool,
    pub ok: bool,
    /// What to show: the result line, the trace tree, or the failure.
    pub text: String,
    /// Invoke, trace: every result in WAVE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<String>>,
    /// Invoke, trace: the results as one WAVE value (a tuple when several).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Run: the program's exit code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    /// Trace: the export's call with the imports it made, nested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<TracedCall>,
    /// Trace: the same as readable lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tree: Option<String>,
    /// Trace: calls beyond the recording limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped_calls: Option<usize>,
    /// Failed: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Failed on a limit: which one (`fuel`, `timeout`, `memory`,
    /// `instances`, `tables`, `cancelled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<&'static str>,
    /// Failed: the wasm frames, innermost first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backtrace: Option<Vec<String>>,
    /// Failed: the source line of the innermost frame that has one (a
    /// diagnostic is published there too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<SourceLocation>,
}

/// A place in a source file, 0-based as the protocol counts.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceLocation {
    pub uri: Uri,
    pub line: u32,
    pub character: u32,
}

/// One call of a trace: the export at the root, imports below.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TracedCall {
    pub direction: CallDirection,
    pub interface: Option<String>,
    pub function: String,
    pub arguments: Vec<NamedValue>,
    pub result: Option<String>,
    pub start_ms: f64,
    pub duration_ms: Option<f64>,
    pub calls: Vec<TracedCall>,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CallDirection {
    Export,
    Import,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedValue {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildAnswer {
    pub run_id: String,
    pub ok: bool,
    pub exit_code: i32,
    pub command: String,
    pub duration_ms: f64,
    pub text: String,
}

/// The answer of `wasmlens.exports`.
#[derive(Debug, Clone, Serialize)]
pub struct ExportsAnswer {
    pub path: PathBuf,
    /// The component's WIT, as `wasm-tools component wit` prints it.
    pub wit: String,
}

/// `wasmlens/output`: a piece of a run's or build's output, sent before
/// the command's answer.
pub enum Output {}

impl notification::Notification for Output {
    type Params = OutputParams;
    const METHOD: &'static str = "wasmlens/output";
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputParams {
    /// The run this output belongs to; the answer carries the same id.
    pub run_id: String,
    pub stream: OutputStream,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OutputStream {
    Stdout,
    Stderr,
}

/// `wasmlens/debug`: a request that waits, then fails the way a bug
/// would, on demand, so client authors (and our tests) can check how a
/// slow, cancelled or failing request is handled. Answers `"ok"`.
pub enum Debug {}

impl request::Request for Debug {
    type Params = DebugParams;
    type Result = Value;
    const METHOD: &'static str = "wasmlens/debug";
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DebugParams {
    /// Panic inside the request's work.
    pub panic: bool,
    /// Wait this long first (at most a minute).
    pub sleep_ms: u64,
}

/// `window/workDoneProgress/cancel`, which tower-lsp-server does not route:
/// the cancel button of a run's progress.
pub const PROGRESS_CANCEL: &str = "window/workDoneProgress/cancel";
