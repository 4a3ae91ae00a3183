//! The session's events as DAP events: stops, logpoint messages, and the
//! end (the call's result or the exit code, then `exited` and
//! `terminated`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::json;
use wasmlens_runtime::debug::{Ending, SessionEvent, StopReason};

use super::adapter::{Outbox, THREAD_ID};

/// Forwards the session's stops and its end to the client; a session
/// ended by a restart ends silently.
pub(super) fn report(
    reports: std::sync::mpsc::Receiver<SessionEvent>,
    outbox: Outbox,
    running: Arc<AtomicBool>,
    restarting: Arc<AtomicBool>,
    call: Option<String>,
) {
    for event in reports {
        match event {
            SessionEvent::Stopped(stop) => {
                running.store(false, Ordering::SeqCst);
                let reason = match stop.reason {
                    StopReason::Entry => "entry",
                    StopReason::Breakpoint => "breakpoint",
                    StopReason::Step => "step",
                    StopReason::Pause => "pause",
                    StopReason::Trap => "exception",
                };
                outbox.event(
                    "stopped",
                    json!({
                        "reason": reason,
                        "threadId": THREAD_ID,
                        "allThreadsStopped": true,
                        "hitBreakpointIds": stop.breakpoints,
                        "description": (!stop.description.is_empty()).then_some(&stop.description),
                        "text": (!stop.description.is_empty()).then_some(&stop.description),
                    }),
                );
            }
            SessionEvent::Log(text) => {
                outbox.event("output", json!({"category": "console", "output": text}));
            }
            SessionEvent::Ended(ending) => {
                running.store(true, Ordering::SeqCst);
                if restarting.load(Ordering::SeqCst) {
                    break;
                }
                let (line, code) = match &ending {
                    Ending::Returned(results) => {
                        let result = match results.as_slice() {
                            [one] => one.clone(),
                            many => format!("({})", many.join(", ")),
                        };
                        (
                            format!("{} = {result}\n", call.as_deref().unwrap_or("the call")),
                            0,
                        )
                    }
                    Ending::Exited(code) => (format!("exited with {code}\n"), *code),
                    Ending::Failed(error) => (format!("failed: {error}\n"), 134),
                    Ending::Terminated => ("terminated\n".to_string(), 143),
                };
                outbox.event("output", json!({"category": "console", "output": line}));
                outbox.event("exited", json!({"exitCode": code}));
                outbox.event("terminated", json!({}));
                break;
            }
        }
    }
}
