//! A finished lens command as its typed answer, and a trap's source line
//! as a diagnostic. Pure: nothing here talks to the client.

use std::path::PathBuf;
use std::time::Duration;

use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, Position, Range};
use wasmlens_runtime::{LimitHit, RunError};

use super::lens_target::LensTarget;
use crate::lenses::runner::{Action, Ended, Execution};
use crate::lenses::source_map::source_file;
use crate::lenses::trace_view::{short_duration, tree_text};
use crate::lsp::convert::uri_of;
use crate::lsp::ext::{
    BuildAnswer, CallDirection, ExecutionAnswer, LensAnswer, NamedValue, RequestAnswer,
    SourceLocation, TracedCall,
};

/// How a job ended.
pub enum Done {
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

pub struct Rendered {
    pub answer: LensAnswer,
    /// A diagnostic at the line a guest trapped on.
    pub trap: Option<TrapDiagnostic>,
}

pub struct TrapDiagnostic {
    pub path: PathBuf,
    pub diagnostic: Diagnostic,
}

pub fn render(target: &LensTarget, run_id: &str, done: Done) -> Rendered {
    let (action, component, execution) = match done {
        Done::Built {
            command,
            code,
            duration,
        } => {
            let text = format!(
                "`{command}` exited with {code} after {}",
                short_duration(duration)
            );
            let answer = LensAnswer::Build(BuildAnswer {
                run_id: run_id.to_string(),
                ok: code == 0,
                exit_code: code,
                command,
                duration_ms: millis(duration),
                text,
            });
            return Rendered { answer, trap: None };
        }
        Done::Executed {
            action,
            component,
            execution,
        } => (action, component, execution),
    };
    let call = match &action {
        Action::Invoke(call) | Action::Trace(call) => call.clone(),
        Action::Run => target.world.name.clone(),
        Action::Request { request, .. } => format!("{} {}", request.method, request.path),
    };
    let mut answer = ExecutionAnswer {
        run_id: run_id.to_string(),
        component,
        stale: target.located.stale,
        compile_ms: millis(execution.compile),
        output_truncated: execution.output_truncated,
        ok: false,
        text: String::new(),
        results: None,
        result: None,
        exit_code: None,
        duration_ms: None,
        trace: None,
        tree: None,
        dropped_calls: None,
        error: None,
        limit: None,
        backtrace: None,
        location: None,
    };
    let mut failed = None;
    let mut response = None;
    match execution.ended {
        Ended::Invoked(invocation) => {
            let result = one_result(&invocation.results);
            answer.ok = true;
            answer.text = format!(
                "{call} = {result}  ({})",
                short_duration(invocation.duration)
            );
            answer.results = Some(invocation.results);
            answer.result = Some(result);
            answer.duration_ms = Some(millis(invocation.duration));
        }
        Ended::Exited { code, duration } => {
            answer.ok = code == 0;
            answer.exit_code = Some(code);
            answer.duration_ms = Some(millis(duration));
            answer.text = format!("{call} exited with {code}  ({})", short_duration(duration));
        }
        Ended::Traced(traced) => {
            let tree = tree_text(&traced.root, traced.dropped);
            answer.trace = Some(traced_call(&traced.root));
            answer.dropped_calls = Some(traced.dropped);
            answer.duration_ms = Some(traced.root.duration.map(millis).unwrap_or_default());
            match traced.outcome {
                Ok(invocation) => {
                    let result = one_result(&invocation.results);
                    answer.ok = true;
                    answer.results = Some(invocation.results);
                    answer.result = Some(result);
                    answer.text = tree.clone();
                }
                Err(error) => failed = Some(error),
            }
            answer.tree = Some(tree);
        }
        Ended::Responded(answered) => {
            answer.ok = true;
            answer.duration_ms = Some(millis(answered.duration));
            answer.text = response_text(&call, &answered);
            response = Some(answered);
        }
        Ended::TracedRequest(traced) => {
            let tree = tree_text(&traced.root, traced.dropped);
            answer.trace = Some(traced_call(&traced.root));
            answer.dropped_calls = Some(traced.dropped);
            answer.duration_ms = Some(traced.root.duration.map(millis).unwrap_or_default());
            match traced.outcome {
                Ok(answered) => {
                    answer.ok = true;
                    answer.text = format!("{tree}{}", response_text(&call, &answered));
                    response = Some(answered);
                }
                Err(error) => failed = Some(error),
            }
            answer.tree = Some(tree);
        }
        Ended::Failed(error) => failed = Some(error),
    }
    let trap = failed.and_then(|error| failure(&mut answer, target, &call, error));
    let answer = match action {
        Action::Run => LensAnswer::Run(answer),
        Action::Invoke(_) => LensAnswer::Invoke(answer),
        Action::Trace(_) => LensAnswer::Trace(answer),
        Action::Request { .. } => {
            let body = response.as_ref().map(|r| shown_body(&r.body));
            LensAnswer::Request(RequestAnswer {
                execution: answer,
                request: call,
                status: response.as_ref().map(|r| r.status),
                headers: response
                    .as_ref()
                    .map(|r| r.headers.clone())
                    .unwrap_or_default(),
                body_bytes: response.as_ref().map(|r| r.body.len()),
                body_is_text: body.as_ref().map(|(_, text)| *text),
                body: body.map(|(shown, _)| shown),
            })
        }
    };
    Rendered { answer, trap }
}

/// Fills in a failure; the innermost frame with a source line gets a
/// diagnostic.
fn failure(
    answer: &mut ExecutionAnswer,
    target: &LensTarget,
    call: &str,
    error: RunError,
) -> Option<TrapDiagnostic> {
    let (frames, limit) = match &error {
        RunError::Trap(report) => (report.frames.clone(), None),
        RunError::Limit(hit, frames) => (frames.clone(), Some(hit)),
        _ => (Vec::new(), None),
    };
    let message = match limit {
        Some(hit) => format!("{hit}{}", remedy(hit)),
        None => error.to_string(),
    };
    answer.ok = false;
    answer.limit = limit.map(limit_name);
    answer.backtrace = Some(frames.iter().map(|f| f.to_string()).collect());
    let mut text = format!("{call} failed: {message}");
    if limit.is_some() && !frames.is_empty() {
        text.push_str("\nwasm backtrace:");
        for (i, frame) in frames.iter().enumerate() {
            text.push_str(&format!("\n  {i}: {frame}"));
        }
    }
    if let Some(tree) = &answer.tree {
        text = format!("{tree}{text}");
    }
    answer.text = text;
    answer.error = Some(message.clone());
    let (frame, location) = frames
        .iter()
        .find_map(|f| Some((f, f.location.as_ref()?)))?;
    let path = source_file(&location.file, &target.runs.base)?;
    let uri = uri_of(&path)?;
    let line = location.line.saturating_sub(1);
    let character = location.column.unwrap_or(1).saturating_sub(1);
    answer.location = Some(SourceLocation {
        uri,
        line,
        character,
    });
    let diagnostic = Diagnostic {
        range: Range::new(Position::new(line, character), Position::new(line + 1, 0)),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("wasmlens run".to_string()),
        message: format!("{message}\n(in {} while running {call})", frame.function),
        ..Default::default()
    };
    Some(TrapDiagnostic { path, diagnostic })
}

/// How the editor's user raises a limit: in `wasmlens.toml` or the
/// editor's settings (the CLI words its own flags).
fn remedy(hit: &LimitHit) -> &'static str {
    match hit {
        LimitHit::Fuel(_) => {
            "; raise it with `fuel` in wasmlens.toml [run] (or the wasmlens.run.fuel setting)"
        }
        LimitHit::Timeout(_) => {
            "; raise it with `timeout` in wasmlens.toml [run] (or the wasmlens.run.timeout setting)"
        }
        LimitHit::Memory(_) => {
            "; raise it with `max-memory` in wasmlens.toml [run] (or the wasmlens.run.maxMemory setting)"
        }
        LimitHit::Instances(_) | LimitHit::Tables(_) | LimitHit::Cancelled => "",
    }
}

/// The most of a body that is not UTF-8 shown, as hex.
const HEX_PREVIEW: usize = 32;

/// A body as text, or (not UTF-8) its size and its first bytes in hex; and
/// whether it is the text.
fn shown_body(body: &[u8]) -> (String, bool) {
    match std::str::from_utf8(body) {
        Ok(text) => (text.to_string(), true),
        Err(_) => {
            let preview: Vec<String> = body
                .iter()
                .take(HEX_PREVIEW)
                .map(|b| format!("{b:02x}"))
                .collect();
            let more = if body.len() > HEX_PREVIEW { " …" } else { "" };
            (
                format!(
                    "<{} bytes, not UTF-8: {}{more}>",
                    body.len(),
                    preview.join(" ")
                ),
                false,
            )
        }
    }
}

/// `GET / → 200 (1.2 ms)`, the headers, a blank line and the body.
fn response_text(call: &str, response: &wasmlens_runtime::HttpResponse) -> String {
    let mut text = format!(
        "{call} → {}  ({})\n",
        response.status,
        short_duration(response.duration)
    );
    for (name, value) in &response.headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    text.push('\n');
    text.push_str(&shown_body(&response.body).0);
    text
}

fn one_result(results: &[String]) -> String {
    match results {
        [one] => one.clone(),
        many => format!("({})", many.join(", ")),
    }
}

fn limit_name(hit: &LimitHit) -> &'static str {
    match hit {
        LimitHit::Fuel(_) => "fuel",
        LimitHit::Timeout(_) => "timeout",
        LimitHit::Memory(_) => "memory",
        LimitHit::Instances(_) => "instances",
        LimitHit::Tables(_) => "tables",
        LimitHit::Cancelled => "cancelled",
    }
}

fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1e6).round() / 1e3
}

fn traced_call(call: &wasmlens_runtime::TracedCall) -> TracedCall {
    TracedCall {
        direction: match call.direction {
            wasmlens_runtime::Direction::Export => CallDirection::Export,
            wasmlens_runtime::Direction::Import => CallDirection::Import,
        },
        interface: call.interface.clone(),
        function: call.function.clone(),
        arguments: call
            .arguments
            .iter()
            .map(|(name, value)| NamedValue {
                name: name.clone(),
                value: value.clone(),
            })
            .collect(),
        result: call.result.clone(),
        start_ms: millis(call.start),
        duration_ms: call.duration.map(millis),
        calls: call.calls.iter().map(traced_call).collect(),
    }
}
