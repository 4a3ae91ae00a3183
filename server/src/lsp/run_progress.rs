//! What a running lens command tells the client while it runs: `$/progress`
//! (compiling, running, with a cancel button) and the guest's or build's
//! output as `wasmlens/output`; and the two ways to cancel it
//! (`$/cancelRequest` drops the request's future, the progress' button
//! sends `window/workDoneProgress/cancel`).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp_server::ls_types::ProgressToken;
use tower_lsp_server::{Cancellable, OngoingProgress, Unbounded};
use wasmlens_runtime::Cancel;
use wasmlens_runtime::sandbox::Stream;

use super::ext::{Output, OutputParams, OutputStream};
use super::state::{State, lock};
use crate::lenses::runner::Events;

/// What the blocking work tells the protocol task, in order.
pub enum Message {
    Compiling,
    Running,
    Output(Stream, Vec<u8>),
}

/// The blocking work's side: [`Events`] sent to the protocol task.
pub struct Channel(pub tokio::sync::mpsc::UnboundedSender<Message>);

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

/// One command's progress and output towards the client, and its cancel
/// switch. Dropping it (the request's future dropped on `$/cancelRequest`)
/// cancels the work and forgets the progress token.
pub struct RunProgress {
    pub run_id: String,
    pub cancel: Cancel,
    state: Arc<State>,
    token: Option<String>,
    progress: Option<OngoingProgress<Unbounded, Cancellable>>,
    decoder: Utf8Chunks,
}

impl RunProgress {
    /// Starts the progress titled `title`: with the client's token, else
    /// one we create when the client accepts server-made ones.
    pub async fn begin(
        state: &Arc<State>,
        client_token: Option<ProgressToken>,
        title: String,
    ) -> RunProgress {
        let run_id = format!("{}", state.next_run.fetch_add(1, Ordering::Relaxed) + 1);
        let client = &state.client;
        let token = match client_token {
            Some(token) => Some(token),
            None if state.progress_supported.load(Ordering::Relaxed) => {
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
        let key = token.as_ref().map(token_key);
        if let Some(key) = &key {
            lock(&state.running).insert(key.clone(), cancel.clone());
        }
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
        RunProgress {
            run_id,
            cancel,
            state: state.clone(),
            token: key,
            progress,
            decoder: Utf8Chunks::default(),
        }
    }

    /// Tells the client what the work reported.
    pub async fn forward(&mut self, message: Message) {
        match message {
            Message::Compiling => self.report("compiling").await,
            Message::Running => self.report("running").await,
            Message::Output(stream, bytes) => {
                let text = self.decoder.push(stream, &bytes);
                if !text.is_empty() {
                    let params = OutputParams {
                        run_id: self.run_id.clone(),
                        stream: match stream {
                            Stream::Stdout => OutputStream::Stdout,
                            Stream::Stderr => OutputStream::Stderr,
                        },
                        text,
                    };
                    self.state.client.send_notification::<Output>(params).await;
                }
            }
        }
    }

    /// A line of wasmlens' own on the run's stderr (e.g. what it withheld).
    pub async fn say(&mut self, line: &str) {
        self.forward(Message::Output(Stream::Stderr, line.as_bytes().to_vec()))
            .await;
    }

    async fn report(&self, message: &str) {
        if let Some(progress) = &self.progress {
            progress.report_with_message(message, None).await;
        }
    }

    /// Ends the progress (the answer follows).
    pub async fn finish(&mut self) {
        if let Some(progress) = self.progress.take() {
            progress.finish().await;
        }
    }
}

impl Drop for RunProgress {
    fn drop(&mut self) {
        self.cancel.cancel();
        if let Some(token) = &self.token {
            lock(&self.state.running).remove(token);
        }
    }
}

fn token_key(token: &ProgressToken) -> String {
    match token {
        ProgressToken::Number(n) => n.to_string(),
        ProgressToken::String(s) => s.clone(),
    }
}

/// Cancels the run whose progress has `token`, if it still runs.
pub fn cancel_by_token(state: &State, token: &ProgressToken) {
    if let Some(cancel) = lock(&state.running).get(&token_key(token)) {
        cancel.cancel();
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
