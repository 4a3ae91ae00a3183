//! Recording every call across the component boundary during one
//! invocation: the export called, and each import the guest calls.
//!
//! Wasmtime has no hook that hands a host function's arguments to the
//! embedder, but the WASI bindings it generates (`bindgen!` with `tracing`)
//! open a `wit-bindgen import` span around every host call and emit a
//! `call` event with the arguments and a `return` event with the result.
//! A `tracing` subscriber scoped to the traced call (not global: other
//! calls on other threads stay untraced and cost nothing) turns those into
//! [`TracedCall`]s. Arguments of imports are in Rust's debug form, and
//! Wasmtime writes list contents as `...`; the export's own arguments and
//! results are WAVE.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// The span Wasmtime's generated bindings open around a host call.
const IMPORT_SPAN: &str = "wit-bindgen import";

/// Longest argument or result text kept; longer ones end in `…`.
const MAX_VALUE_CHARS: usize = 240;

/// Calls recorded beyond this many are counted, not kept, so a guest that
/// calls an import in a loop cannot exhaust the editor's memory.
pub const MAX_RECORDED_CALLS: usize = 10_000;

/// One call across the boundary and the calls made inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracedCall {
    /// `export` for the invoked function, `import` for host calls.
    pub direction: Direction,
    /// The interface (`streams`, or the export's interface), if any.
    pub interface: Option<String>,
    /// The function (`[method]output-stream.blocking-write-and-flush`).
    pub function: String,
    /// Arguments by parameter name.
    pub arguments: Vec<(String, String)>,
    /// The result, when the call returned.
    pub result: Option<String>,
    /// From the start of the trace to the call.
    pub start: Duration,
    /// How long the call took, when it returned.
    pub duration: Option<Duration>,
    pub calls: Vec<TracedCall>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Export,
    Import,
}

/// Collects import calls while installed as the scoped subscriber.
#[derive(Clone)]
pub(crate) struct Recorder {
    state: Arc<Mutex<State>>,
    next_span: Arc<AtomicU64>,
}

struct State {
    started: Instant,
    /// Spans Wasmtime opened for host calls, by id.
    spans: HashMap<u64, ImportSpan>,
    /// Entered spans, innermost last.
    entered: Vec<u64>,
    /// Every recorded call, in call order; `parent` indexes into it.
    calls: Vec<(Option<usize>, TracedCall)>,
    dropped: usize,
}

struct ImportSpan {
    interface: Option<String>,
    function: String,
    /// The call recorded for this span, once its `call` event came.
    call: Option<usize>,
}

impl Recorder {
    pub(crate) fn new() -> Recorder {
        Recorder {
            state: Arc::new(Mutex::new(State {
                started: Instant::now(),
                spans: HashMap::new(),
                entered: Vec::new(),
                calls: Vec::new(),
                dropped: 0,
            })),
            next_span: Arc::new(AtomicU64::new(1)),
        }
    }

    pub(crate) fn started(&self) -> Instant {
        self.lock().started
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The recorded import calls as a tree (outermost calls first), and how
    /// many were left out past [`MAX_RECORDED_CALLS`].
    pub(crate) fn finish(&self) -> (Vec<TracedCall>, usize) {
        let mut state = self.lock();
        let calls = std::mem::take(&mut state.calls);
        // Children come after their parent, so building from the end moves
        // each finished child into its parent.
        let mut slots: Vec<Option<TracedCall>> = Vec::with_capacity(calls.len());
        let parents: Vec<Option<usize>> = calls.iter().map(|(p, _)| *p).collect();
        slots.extend(calls.into_iter().map(|(_, c)| Some(c)));
        let mut roots = Vec::new();
        for index in (0..slots.len()).rev() {
            let call = slots[index].take().expect("each call is moved once");
            match parents[index].and_then(|p| slots[p].as_mut()) {
                Some(parent) => parent.calls.insert(0, call),
                None => roots.push(call),
            }
        }
        roots.reverse();
        (roots, state.dropped)
    }
}

/// Field values of a span or event, as text.
#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        // Parameters named like Rust keywords get a `_` in the bindings
        // (`self_`); the WIT name has none.
        let name = field.name().strip_suffix('_').unwrap_or(field.name());
        self.0
            .push((name.to_string(), readable(&format!("{value:?}"))));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_string(), value.to_string()));
    }
}

impl Fields {
    fn take(&mut self, name: &str) -> Option<String> {
        let at = self.0.iter().position(|(n, _)| n == name)?;
        Some(self.0.remove(at).1)
    }
}

/// A value as shown in a trace: Wasmtime's elided lists as `[…]`, and long
/// texts cut.
fn readable(text: &str) -> String {
    if text == "\"...\"" {
        return "[…]".to_string();
    }
    match text.char_indices().nth(MAX_VALUE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // Only what the generated WASI bindings and our own host
        // functions emit.
        metadata.target().starts_with("wasmtime_wasi")
            || metadata.target().starts_with(PROVIDED_TARGET)
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let id = self.next_span.fetch_add(1, Ordering::Relaxed);
        if attributes.metadata().name() == IMPORT_SPAN {
            let mut fields = Fields::default();
            attributes.record(&mut fields);
            let span = ImportSpan {
                interface: fields.take("module").filter(|m| !m.starts_with('<')),
                function: fields.take("function").unwrap_or_default(),
                call: None,
            };
            self.lock().spans.insert(id, span);
        }
        Id::from_u64(id)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let Some(message) = fields.take("message") else {
            return;
        };
        match message.as_str() {
            "call" => self.on_call(fields.0),
            "return" => self.on_return(fields.take("result")),
            _ => {}
        }
    }

    fn enter(&self, id: &Id) {
        self.lock().entered.push(id.into_u64());
    }

    fn exit(&self, id: &Id) {
        let mut state = self.lock();
        let id = id.into_u64();
        if let Some(at) = state.entered.iter().rposition(|&e| e == id) {
            state.entered.remove(at);
        }
    }

    fn try_close(&self, id: Id) -> bool {
        self.lock().spans.remove(&id.into_u64());
        true
    }
}

impl Recorder {
    /// The host call of the innermost entered span began with `arguments`.
    fn on_call(&self, arguments: Vec<(String, String)>) {
        let mut state = self.lock();
        let Some(&span_id) = state.entered.last() else {
            return;
        };
        let now = state.started.elapsed();
        {
            {
                if state.calls.len() >= MAX_RECORDED_CALLS {
                    state.dropped += 1;
                    return;
                }
                // The parent is the nearest enclosing host call that was
                // recorded (host calls rarely nest; async ones can).
                let enclosing = &state.entered[..state.entered.len() - 1];
                let parent = enclosing
                    .iter()
                    .rev()
                    .find_map(|id| state.spans.get(id).and_then(|s| s.call));
                let Some(span) = state.spans.get(&span_id) else {
                    return;
                };
                let call = TracedCall {
                    direction: Direction::Import,
                    interface: span.interface.clone(),
                    function: span.function.clone(),
                    arguments,
                    result: None,
                    start: now,
                    duration: None,
                    calls: Vec::new(),
                };
                let index = state.calls.len();
                state.calls.push((parent, call));
                if let Some(span) = state.spans.get_mut(&span_id) {
                    span.call = Some(index);
                }
            }
        }
    }

    /// The host call of the innermost entered span returned `result`.
    fn on_return(&self, result: Option<String>) {
        let mut state = self.lock();
        let Some(&span_id) = state.entered.last() else {
            return;
        };
        let now = state.started.elapsed();
        let Some(index) = state.spans.get(&span_id).and_then(|s| s.call) else {
            return;
        };
        let call = &mut state.calls[index].1;
        call.result = result;
        call.duration = Some(now.saturating_sub(call.start));
    }
}

/// Where wasmlens' own host functions (mocks, plugs) trace from.
const PROVIDED_TARGET: &str = "wasmlens_runtime::provisions";

/// The span around one call of a host function of ours, shaped like the
/// ones Wasmtime's bindings open, so a trace shows it like a WASI call.
pub(crate) fn provided_span(interface: Option<&str>, function: &str) -> tracing::Span {
    tracing::trace_span!(
        target: PROVIDED_TARGET,
        "wit-bindgen import",
        module = interface.unwrap_or("<world>"),
        function = function
    )
}

/// Records the arguments of the call in the current span, in WAVE (only
/// when a trace is being recorded).
pub(crate) fn record_call(names: &[String], values: &[wasmtime::component::Val]) {
    tracing::dispatcher::get_default(|dispatch| {
        if let Some(recorder) = dispatch.downcast_ref::<Recorder>() {
            let arguments = names
                .iter()
                .zip(values)
                .map(|(name, value)| (name.clone(), readable(&crate::wave::render(value))))
                .collect();
            recorder.on_call(arguments);
        }
    });
}

/// Records the results of the call in the current span, in WAVE.
pub(crate) fn record_return(results: &[wasmtime::component::Val]) {
    tracing::dispatcher::get_default(|dispatch| {
        if let Some(recorder) = dispatch.downcast_ref::<Recorder>() {
            let shown: Vec<String> = results.iter().map(crate::wave::render).collect();
            let result = match shown.as_slice() {
                [] => "()".to_string(),
                [one] => readable(one),
                many => readable(&format!("({})", many.join(", "))),
            };
            recorder.on_return(Some(result));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_calls_become_a_tree_in_call_order() {
        let recorder = Recorder::new();
        let dispatch = tracing::Dispatch::new(recorder.clone());
        tracing::dispatcher::with_default(&dispatch, || {
            let outer = tracing::span!(
                target: "wasmtime_wasi::test",
                tracing::Level::TRACE,
                "wit-bindgen import",
                module = "streams",
                function = "write"
            );
            let _outer = outer.enter();
            tracing::event!(target: "wasmtime_wasi::test", tracing::Level::TRACE, contents = ?"...", "call");
            {
                let inner = tracing::span!(
                    target: "wasmtime_wasi::test",
                    tracing::Level::TRACE,
                    "wit-bindgen import",
                    module = "poll",
                    function = "block"
                );
                let _inner = inner.enter();
                tracing::event!(target: "wasmtime_wasi::test", tracing::Level::TRACE, self_ = ?1u32, "call");
                tracing::event!(target: "wasmtime_wasi::test", tracing::Level::TRACE, result = ?(), "return");
            }
            tracing::event!(target: "wasmtime_wasi::test", tracing::Level::TRACE, result = ?Ok::<u8, u8>(3), "return");
            // Not from the bindings: ignored.
            tracing::event!(target: "other", tracing::Level::TRACE, x = 1, "call");
        });
        let (calls, dropped) = recorder.finish();
        assert_eq!(dropped, 0);
        assert_eq!(calls.len(), 1);
        let outer = &calls[0];
        assert_eq!(outer.interface.as_deref(), Some("streams"));
        assert_eq!(outer.function, "write");
        assert_eq!(outer.arguments, vec![("contents".into(), "[…]".into())]);
        assert_eq!(outer.result.as_deref(), Some("Ok(3)"));
        assert!(outer.duration.is_some());
        assert_eq!(outer.calls.len(), 1);
        assert_eq!(outer.calls[0].function, "block");
        assert_eq!(outer.calls[0].result.as_deref(), Some("()"));
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(1000);
        let shown = readable(&long);
        assert_eq!(shown.chars().count(), MAX_VALUE_CHARS + 1);
        assert!(shown.ends_with('…'));
    }
}
