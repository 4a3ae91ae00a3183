//! `workspace/executeCommand` for the lenses: `wasmlens.run`,
//! `wasmlens.invoke`, `wasmlens.trace` and `wasmlens.build`, with one
//! argument, the lens' data (`uri`, `world`, `export`) plus, for invoke and
//! trace, `arguments` (a WAVE list such as `(1, "x")`) and, for run,
//! `args` (the program's arguments).
//!
//! The work runs on a blocking thread. While it runs, the client hears
//! `$/progress` (compiling, running) when it gave or accepts a token, and
//! the guest's output as `wasmlens/output` notifications; the response
//! comes after the last of them. Cancelling the request (`$/cancelRequest`
//! or the progress' cancel button) stops the guest at its next epoch tick
//! and kills a build.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use wasmlens_runtime::sandbox::Stream;
use wasmlens_runtime::{Cancel, RunError, TracedCall};

use super::convert::{path_of, uri_of};
use super::handlers::inspect;
use super::handlers::lenses::{self, LensData};
use super::server::{Shared, fresh_analysis, lock, off_runtime};
use crate::analysis::workspace::package_root_of;
use crate::lenses::runner::{self, Action, Ended, Events, Execution, Located};
use crate::lenses::settings::Settings;
use crate::lenses::source_map::source_file;
use crate::lenses::targets::{WorldTarget, world_targets};
use crate::lenses::trace_view::{short_duration, tree_text};

/// `wasmlens/output`: a piece of a run's or build's output.
pub enum OutputNotification {}

impl notification::Notification for OutputNotification {
    type Params = OutputParams;
    const METHOD: &'static str = "wasmlens/output";
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputParams {
    /// The run this output belongs to; the response carries the same id.
    pub run_id: String,
    /// `stdout` or `stderr`.
    pub stream: String,
    pub text: String,
}

/// The argument of every lens command.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CommandArgument {
    #[serde(flatten)]
    lens: LensData,
    /// For invoke and trace: `(1, 2)`; without it the answer is a template.
    #[serde(default)]
    arguments: Option<String>,
    /// For run: the program's arguments (its name comes first on its own).
    #[serde(default)]
    args: Vec<String>,
}

/// What the blocking work tells the protocol task, in order.
enum Message {
    Compiling,
    Running,
    Output(Stream, Vec<u8>),
}

struct Channel(tokio::sync::mpsc::UnboundedSender<Message>);

impl Events for Channel {
    fn compiling(&self) {
        let _ = self.0.send(Message::Compiling);
    }

    fn running(&self) {
        let _ = self.0.send(Message::Running);
    }

    fn output(&self, stream: Stream, bytes: &[u8]) {
        let _ = self.0.send(Message::Output(stream, bytes.to_vec()));
    }
}

/// Cancels a run when the request's future is dropped (the client sent
/// `$/cancelRequest`) and forgets its progress token.
struct CancelOnDrop {
    cancel: Cancel,
    shared: Arc<Shared>,
    token: Option<String>,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.cancel.cancel();
        if let Some(token) = &self.token {
            lock(&self.shared.running).remove(token);
        }
    }
}

pub(super) fn invalid(message: impl Into<String>) -> Error {
    let mut error = Error::invalid_params(message.into());
    error.message = error
        .message
        .trim_start_matches("Invalid params: ")
        .to_string()
        .into();
    error
}

/// Where a lens command's work happens: the package, its settings and the
/// world.
struct Context {
    settings: Settings,
    base: PathBuf,
    world: WorldTarget,
    located: Located,
}

pub async fn execute(
    client: &Client,
    shared: &Arc<Shared>,
    params: ExecuteCommandParams,
) -> Result<Option<Value>> {
    if params.command == inspect::EXPORTS {
        return inspect::component_exports(&params.arguments).map(Some);
    }
    if !lenses::COMMANDS.contains(&params.command.as_str()) {
        return Err(invalid(format!(
            "unknown command `{}`; wasmlens executes {}",
            params.command,
            lenses::COMMANDS.join(", ")
        )));
    }
    if !shared.execution.load(Ordering::Relaxed) {
        return Err(invalid(
            "running components is disabled for this workspace (the editor started wasmlens with execution off, e.g. an untrusted workspace)",
        ));
    }
    let argument: CommandArgument = params
        .arguments
        .first()
        .cloned()
        .and_then(|a| serde_json::from_value(a).ok())
        .ok_or_else(|| {
            invalid(format!(
                "`{}` takes one argument: {{\"uri\", \"world\", \"export\"?, \"arguments\"?}}",
                params.command
            ))
        })?;
    let context = context(shared, &argument).await?;
    let run_id = format!("{}", shared.next_run.fetch_add(1, Ordering::Relaxed) + 1);

    let export = argument.lens.export.clone();
    let action = match params.command.as_str() {
        lenses::RUN => {
            if !context.world.is_command {
                return Err(invalid(format!(
                    "{} does not export wasi:cli/run, so it cannot run; invoke its functions instead",
                    context.world.name
                )));
            }
            Some(Action::Run)
        }
        lenses::BUILD => None,
        _ => {
            let Some(export) = export.as_deref() else {
                return Err(invalid(
                    "invoke and trace need `export`, the function to call",
                ));
            };
            if !context
                .world
                .functions
                .iter()
                .any(|f| f.call_name == export)
            {
                return Err(invalid(format!(
                    "{} exports no function `{export}`",
                    context.world.name
                )));
            }
            let Some(arguments) = argument.arguments.as_deref() else {
                return template(shared, &context, export).await.map(Some);
            };
            let arguments = arguments.trim();
            let call = if arguments.starts_with('(') {
                format!("{export}{arguments}")
            } else {
                format!("{export}({arguments})")
            };
            Some(if params.command == lenses::TRACE {
                Action::Trace(call)
            } else {
                Action::Invoke(call)
            })
        }
    };

    // Progress: the client's token, else one we create when it accepts.
    let token = match params.work_done_progress_params.work_done_token {
        Some(token) => Some(token),
        None if shared.progress_supported.load(Ordering::Relaxed) => {
            let token = ProgressToken::String(format!("wasmlens/run/{run_id}"));
            client
                .create_work_done_progress(token.clone())
                .await
                .ok()
                .map(|_| token)
        }
        None => None,
    };
    let cancel = Cancel::new();
    let token_key = token.as_ref().map(token_key);
    if let Some(key) = &token_key {
        lock(&shared.running).insert(key.clone(), cancel.clone());
    }
    let _guard = CancelOnDrop {
        cancel: cancel.clone(),
        shared: shared.clone(),
        token: token_key,
    };
    let title = match &action {
        None => format!("Building {}", context.world.name),
        Some(Action::Run) => format!("Running {}", context.world.name),
        Some(Action::Invoke(call) | Action::Trace(call)) => call.clone(),
    };
    let progress = match token {
        Some(token) => Some(
            client
                .progress(token, title)
                .with_cancel_button()
                .with_message("starting")
                .begin()
                .await,
        ),
        None => None,
    };
    clear_run_diagnostics(client, shared).await;

    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let events: Arc<dyn Events> = Arc::new(Channel(sender));
    let runner = shared.runner.clone();
    let work_cancel = cancel.clone();
    let component = context
        .located
        .component
        .as_ref()
        .map(|(f, _)| f.path.clone());
    let base = context.base.clone();
    let settings = context.settings.clone();
    let build_command = context.located.build.clone();
    let world_name = context.world.name.clone();
    let program_args = argument.args.clone();
    let work = off_runtime(move || -> std::result::Result<Done, String> {
        match action {
            None => {
                let command = build_command.ok_or_else(|| {
                    format!("no build command for {world_name}: add `build = \"…\"` to its [[component]] in wasmlens.toml")
                })?;
                let started = std::time::Instant::now();
                let code = runner::build(&command, &base, &work_cancel, events.as_ref())?;
                runner.files_changed();
                Ok(Done::Built {
                    command,
                    code,
                    duration: started.elapsed(),
                })
            }
            Some(action) => {
                let component = component.ok_or_else(|| {
                    format!("no built component for {world_name}; build it, or map one with [[component]] in wasmlens.toml")
                })?;
                let mut settings = settings;
                if matches!(action, Action::Run) {
                    settings.program_args = program_args;
                }
                let execution =
                    runner.execute(&component, &action, &settings, &base, work_cancel, events)?;
                Ok(Done::Executed {
                    action,
                    component,
                    execution,
                })
            }
        }
    });
    tokio::pin!(work);

    // Forward progress and output while the work runs, then what is left.
    let mut decoder = Utf8Chunks::default();
    let done = loop {
        tokio::select! {
            biased;
            message = receiver.recv() => match message {
                Some(message) => forward(client, progress.as_ref(), &run_id, &mut decoder, message).await,
                None => break (&mut work).await,
            },
            done = &mut work => break done,
        }
    };
    while let Ok(message) = receiver.try_recv() {
        forward(client, progress.as_ref(), &run_id, &mut decoder, message).await;
    }
    if let Some(progress) = progress {
        progress.finish().await;
    }
    let done = done?.map_err(invalid)?;
    let answer = answer(client, shared, &context, &run_id, done).await;
    if matches!(answer.get("kind"), Some(Value::String(kind)) if kind == "build") {
        // A build changes what the lenses say (found, stale).
        let client = client.clone();
        tokio::spawn(async move {
            let _ = client.code_lens_refresh().await;
        });
    }
    Ok(Some(answer))
}

enum Done {
    Built {
        command: String,
        code: i32,
        duration: Duration,
    },
    Executed {
        action: Action,
        component: PathBuf,
        execution: Execution,
    },
}

fn token_key(token: &ProgressToken) -> String {
    match token {
        ProgressToken::Number(n) => n.to_string(),
        ProgressToken::String(s) => s.clone(),
    }
}

/// `window/workDoneProgress/cancel`: the progress' cancel button.
pub fn cancel_progress(shared: &Shared, token: &ProgressToken) {
    if let Some(cancel) = lock(&shared.running).get(&token_key(token)) {
        cancel.cancel();
    }
}

async fn context(shared: &Arc<Shared>, argument: &CommandArgument) -> Result<Context> {
    let Some(path) = path_of(&argument.lens.uri) else {
        return Err(invalid("`uri` is not a file URI"));
    };
    let root = package_root_of(&path);
    let (_, analysis) = fresh_analysis(shared, &root).await?;
    let folders = lock(&shared.session).folders.clone();
    let runner = shared.runner.clone();
    let world_name = argument.lens.world.clone();
    let editor_run = lock(&shared.editor_run).clone();
    off_runtime(move || {
        let mut settings = Settings::discover(&root).map_err(|(file, e)| {
            invalid(format!("{}: {}", file.display(), e.message))
        })?;
        settings.editor = editor_run;
        let fallback = fallback_base(&root, &folders);
        let base = settings.base(&fallback).to_path_buf();
        let world = world_targets(&analysis)
            .into_iter()
            .find(|w| w.is_named(&world_name))
            .ok_or_else(|| {
                invalid(format!(
                    "no world `{world_name}` in this package (or its WIT has errors; fix them first)"
                ))
            })?;
        let located = runner.locate(&analysis, &settings, &base, &world);
        Ok(Context {
            settings,
            base,
            world,
            located,
        })
    })
    .await?
}

/// Where build-output folders are looked for without a `wasmlens.toml`:
/// the workspace folder that holds the package, else the folder above it
/// (a `wit/` folder's project).
pub fn fallback_base(root: &Path, folders: &[PathBuf]) -> PathBuf {
    folders
        .iter()
        .filter(|f| root.starts_with(f))
        .max_by_key(|f| f.as_os_str().len())
        .cloned()
        .or_else(|| root.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| root.to_path_buf())
}

async fn template(shared: &Arc<Shared>, context: &Context, export: &str) -> Result<Value> {
    let Some((found, _)) = &context.located.component else {
        return Err(invalid(format!(
            "no built component for {}; build it, or map one with [[component]] in wasmlens.toml",
            context.world.name
        )));
    };
    let runner = shared.runner.clone();
    let (path, name) = (found.path.clone(), export.to_string());
    let template = off_runtime(move || runner.template(&path, &name))
        .await?
        .map_err(invalid)?;
    Ok(json!({
        "kind": "template",
        "export": export,
        "template": template,
        "component": found.path,
    }))
}

async fn forward(
    client: &Client,
    progress: Option<&ProgressHandle>,
    run_id: &str,
    decoder: &mut Utf8Chunks,
    message: Message,
) {
    match message {
        Message::Compiling => {
            if let Some(progress) = progress {
                progress.report_with_message("compiling", None).await;
            }
        }
        Message::Running => {
            if let Some(progress) = progress {
                progress.report_with_message("running", None).await;
            }
        }
        Message::Output(stream, bytes) => {
            let text = decoder.push(stream, &bytes);
            if !text.is_empty() {
                client
                    .send_notification::<OutputNotification>(OutputParams {
                        run_id: run_id.to_string(),
                        stream: stream_name(stream).to_string(),
                        text,
                    })
                    .await;
            }
        }
    }
}

type ProgressHandle =
    tower_lsp_server::OngoingProgress<tower_lsp_server::Unbounded, tower_lsp_server::Cancellable>;

fn stream_name(stream: Stream) -> &'static str {
    match stream {
        Stream::Stdout => "stdout",
        Stream::Stderr => "stderr",
    }
}

/// Output decoded as UTF-8 across chunk boundaries: a character split
/// between two writes is sent whole with the second.
#[derive(Default)]
struct Utf8Chunks {
    pending: [Vec<u8>; 2],
}

impl Utf8Chunks {
    fn push(&mut self, stream: Stream, bytes: &[u8]) -> String {
        let pending = &mut self.pending[stream as usize];
        pending.extend_from_slice(bytes);
        let valid = match std::str::from_utf8(pending) {
            Ok(_) => pending.len(),
            // An incomplete character at the end waits for the rest.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => pending.len(),
        };
        let text = String::from_utf8_lossy(&pending[..valid]).into_owned();
        pending.drain(..valid);
        text
    }
}

/// The response of a finished command, and a diagnostic at a trap's
/// source line.
async fn answer(
    client: &Client,
    shared: &Arc<Shared>,
    context: &Context,
    run_id: &str,
    done: Done,
) -> Value {
    let stale = context.located.stale;
    let (action, component, execution) = match done {
        Done::Built {
            command,
            code,
            duration,
        } => {
            return json!({
                "kind": "build",
                "runId": run_id,
                "ok": code == 0,
                "exitCode": code,
                "command": command,
                "durationMs": millis(duration),
                "text": format!("`{command}` exited with {code} after {}", short_duration(duration)),
            });
        }
        Done::Executed {
            action,
            component,
            execution,
        } => (action, component, execution),
    };
    let kind = match action {
        Action::Run => "run",
        Action::Invoke(_) => "invoke",
        Action::Trace(_) => "trace",
    };
    let mut answer = json!({
        "kind": kind,
        "runId": run_id,
        "component": component,
        "stale": stale,
        "compileMs": millis(execution.compile),
        "outputTruncated": execution.output_truncated,
    });
    let fields = answer.as_object_mut().expect("an object");
    let call = match &action {
        Action::Invoke(call) | Action::Trace(call) => call.clone(),
        Action::Run => context.world.name.clone(),
    };
    let mut failed = None;
    match execution.ended {
        Ended::Invoked(invocation) => {
            let result = one_result(&invocation.results);
            fields.insert("ok".into(), json!(true));
            fields.insert("results".into(), json!(invocation.results));
            fields.insert("result".into(), json!(result));
            fields.insert("durationMs".into(), json!(millis(invocation.duration)));
            fields.insert(
                "text".into(),
                json!(format!(
                    "{call} = {result}  ({})",
                    short_duration(invocation.duration)
                )),
            );
        }
        Ended::Exited { code, duration } => {
            fields.insert("ok".into(), json!(code == 0));
            fields.insert("exitCode".into(), json!(code));
            fields.insert("durationMs".into(), json!(millis(duration)));
            fields.insert(
                "text".into(),
                json!(format!(
                    "{call} exited with {code}  ({})",
                    short_duration(duration)
                )),
            );
        }
        Ended::Traced(traced) => {
            let tree = tree_text(&traced.root, traced.dropped);
            fields.insert("trace".into(), trace_json(&traced.root));
            fields.insert("tree".into(), json!(tree));
            fields.insert("droppedCalls".into(), json!(traced.dropped));
            fields.insert(
                "durationMs".into(),
                json!(traced.root.duration.map(millis).unwrap_or_default()),
            );
            match traced.outcome {
                Ok(invocation) => {
                    let result = one_result(&invocation.results);
                    fields.insert("ok".into(), json!(true));
                    fields.insert("results".into(), json!(invocation.results));
                    fields.insert("result".into(), json!(result));
                    fields.insert("text".into(), json!(tree));
                }
                Err(error) => failed = Some(error),
            }
        }
        Ended::Failed(error) => failed = Some(error),
    }
    if let Some(error) = failed {
        let (frames, limit) = match &error {
            RunError::Trap(report) => (report.frames.clone(), None),
            RunError::Limit(hit, frames) => (frames.clone(), Some(limit_name(hit))),
            _ => (Vec::new(), None),
        };
        let message = error.to_string();
        fields.insert("ok".into(), json!(false));
        fields.insert("error".into(), json!(message));
        if let Some(limit) = limit {
            fields.insert("limit".into(), json!(limit));
        }
        fields.insert(
            "backtrace".into(),
            json!(frames.iter().map(|f| f.to_string()).collect::<Vec<_>>()),
        );
        let mut text = format!("{call} failed: {message}");
        if matches!(error, RunError::Limit(..)) && !frames.is_empty() {
            text.push_str("\nwasm backtrace:");
            for (i, frame) in frames.iter().enumerate() {
                text.push_str(&format!("\n  {i}: {frame}"));
            }
        }
        if let Some(tree) = fields.get("tree").and_then(Value::as_str) {
            text = format!("{tree}{text}");
        }
        fields.insert("text".into(), json!(text));
        // The innermost frame that has a source line gets a diagnostic.
        let located = frames.iter().find_map(|f| Some((f, f.location.as_ref()?)));
        if let Some((frame, location)) = located
            && let Some(path) = source_file(&location.file, &context.base)
            && let Some(uri) = uri_of(&path)
        {
            let line = location.line.saturating_sub(1);
            let column = location.column.unwrap_or(1).saturating_sub(1);
            fields.insert(
                "location".into(),
                json!({ "uri": uri, "line": line, "character": column }),
            );
            let diagnostic = Diagnostic {
                range: Range::new(Position::new(line, column), Position::new(line + 1, 0)),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("wasmlens run".to_string()),
                message: format!("{message}\n(in {} while running {call})", frame.function),
                ..Default::default()
            };
            lock(&shared.run_diagnostics).insert(path);
            client
                .publish_diagnostics(uri, vec![diagnostic], None)
                .await;
        }
    }
    answer
}

/// Clears the diagnostics the last run left.
async fn clear_run_diagnostics(client: &Client, shared: &Shared) {
    let paths: HashSet<PathBuf> = std::mem::take(&mut *lock(&shared.run_diagnostics));
    for path in paths {
        if let Some(uri) = uri_of(&path) {
            client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }
}

fn one_result(results: &[String]) -> String {
    match results {
        [one] => one.clone(),
        many => format!("({})", many.join(", ")),
    }
}

fn limit_name(hit: &wasmlens_runtime::LimitHit) -> &'static str {
    use wasmlens_runtime::LimitHit::*;
    match hit {
        Fuel(_) => "fuel",
        Timeout(_) => "timeout",
        Memory(_) => "memory",
        Instances(_) => "instances",
        Tables(_) => "tables",
        Cancelled => "cancelled",
    }
}

fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1e6).round() / 1e3
}

/// A traced call as JSON, its calls nested.
fn trace_json(call: &TracedCall) -> Value {
    json!({
        "direction": match call.direction {
            wasmlens_runtime::Direction::Export => "export",
            wasmlens_runtime::Direction::Import => "import",
        },
        "interface": call.interface,
        "function": call.function,
        "arguments": call.arguments.iter().map(|(n, v)| json!({"name": n, "value": v})).collect::<Vec<_>>(),
        "result": call.result,
        "startMs": millis(call.start),
        "durationMs": call.duration.map(millis),
        "calls": call.calls.iter().map(trace_json).collect::<Vec<_>>(),
    })
}
