//! The state every handler shares, and the two ways a request reaches the
//! analysis: [`State::fresh_analysis`] (the analysis of a package for the
//! current texts) and [`State::query`] (a read-only question about one
//! file, answered on a [`Snapshot`] off the async runtime).
//!
//! Invariant: nothing here knows a particular request; handlers use this
//! module, never the other way round.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{MessageType, Position, Uri};

use super::convert::{AnalysisPositions, TextPositions, path_of};
use super::documents::Encoding;
use super::errors;
use super::session::Session;
use crate::analysis::config::RunSettings;
use crate::analysis::workspace::package_root_of;
use crate::analysis::{FileId, PackageAnalysis, SourceFile};
use crate::lenses::consent::ConsentStore;
use crate::lenses::runner::Runner;
pub use crate::sync::lock;
use crate::syntax::TextSize;
use wasmlens_runtime::Cancel;

/// What the server was started with, beyond what the client says.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// Where the user's answers to consent prompts are kept; `None` is
    /// the user's state directory (`$XDG_STATE_HOME/wasmlens`).
    pub state_dir: Option<PathBuf>,
}

pub struct State {
    pub client: Client,
    pub session: Mutex<Session>,
    /// Per package root, held while its analysis is computed.
    analysing: Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>,
    /// The client pulls diagnostics (`textDocument/diagnostic`) instead of
    /// having them pushed.
    pub pull_diagnostics: AtomicBool,
    /// Runs lens commands; holds the runtime and compiled components.
    pub runner: Arc<Runner>,
    /// The client allows running components (`initializationOptions`
    /// `{"execution": false}` turns it off, e.g. in an untrusted workspace).
    pub execution: AtomicBool,
    /// The client accepts server-made progress tokens.
    pub progress_supported: AtomicBool,
    /// Running commands by progress token, for the cancel button.
    pub running: Mutex<HashMap<String, Cancel>>,
    /// Files that hold a diagnostic from the last run (a trap's line).
    pub run_diagnostics: Mutex<HashSet<PathBuf>>,
    pub next_run: AtomicU64,
    /// The editor's `[run]` settings, under each `wasmlens.toml`.
    pub editor_run: Mutex<RunSettings>,
    /// The user's remembered answers to a workspace's wishes.
    pub consent: ConsentStore,
}

impl State {
    pub fn new(client: Client, options: ServerOptions) -> State {
        State {
            client,
            session: Mutex::new(Session::default()),
            analysing: Mutex::default(),
            pull_diagnostics: AtomicBool::new(false),
            runner: Arc::default(),
            execution: AtomicBool::new(true),
            progress_supported: AtomicBool::new(false),
            running: Mutex::default(),
            run_diagnostics: Mutex::default(),
            next_run: AtomicU64::new(0),
            editor_run: Mutex::default(),
            consent: ConsentStore::new(options.state_dir),
        }
    }

    pub fn session(&self) -> MutexGuard<'_, Session> {
        lock(&self.session)
    }

    /// The analysis of `root` for the current texts, computed if needed.
    pub async fn fresh_analysis(&self, root: &Path) -> Result<(u64, Arc<PackageAnalysis>)> {
        // One analysis of a root at a time: a request that arrives while the
        // diagnostics run analyses the same text waits for that result instead
        // of computing it a second time beside it.
        let gate = lock(&self.analysing)
            .entry(root.to_path_buf())
            .or_default()
            .clone();
        let _one_at_a_time = gate.lock().await;
        loop {
            let input = match self.session().analysis_or_input(root) {
                Ok(fresh) => return Ok(fresh),
                Err(input) => input,
            };
            let (input, analysis) = off_runtime(move || {
                let analysis = Arc::new(input.analyze());
                (input, analysis)
            })
            .await?;
            if self.session().store(&input, &analysis) {
                return Ok((input.generation, analysis));
            }
            // The text changed while analysing: analyse the newer one.
        }
    }

    /// Answers a read-only question about the file at `uri` on a fresh
    /// analysis of its package, off the async runtime. `None` when the URI
    /// is not a file of a package.
    pub async fn query<T: Send + 'static>(
        &self,
        uri: &Uri,
        question: impl FnOnce(&Snapshot<'_>) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        let Some(path) = path_of(uri) else {
            return Ok(None);
        };
        let root = package_root_of(&path);
        let (_, analysis) = self.fresh_analysis(&root).await?;
        let encoding = self.session().encoding;
        let answer = off_runtime(move || {
            let file = analysis.file_id(&path)?;
            question(&Snapshot::new(&analysis, file, encoding))
        })
        .await;
        self.logged(answer).await
    }

    /// `result`, with an internal error (a panic) also written to the
    /// client's log: the response alone may not reach the user.
    pub async fn logged<T>(&self, result: Result<T>) -> Result<T> {
        if let Err(error) = &result {
            self.client
                .log_message(MessageType::ERROR, error.message.to_string())
                .await;
        }
        result
    }
}

/// One file of a fresh analysis, with its positions in the agreed
/// encoding: what every read-only handler works on.
pub struct Snapshot<'a> {
    pub analysis: &'a PackageAnalysis,
    pub file: FileId,
    pub positions: TextPositions<'a>,
    pub encoding: Encoding,
}

impl<'a> Snapshot<'a> {
    pub fn new(analysis: &'a PackageAnalysis, file: FileId, encoding: Encoding) -> Snapshot<'a> {
        Snapshot {
            analysis,
            file,
            positions: TextPositions::new(&analysis.file(file).text, encoding),
            encoding,
        }
    }

    pub fn source(&self) -> &'a SourceFile {
        self.analysis.file(self.file)
    }

    /// The byte offset of a client position in this file.
    pub fn offset(&self, position: Position) -> TextSize {
        self.positions.offset(position)
    }

    /// Positions in any file of the package (results in other files).
    pub fn package_positions(&self) -> AnalysisPositions<'a> {
        AnalysisPositions::new(self.analysis, self.encoding)
    }
}

/// Runs blocking work off the async runtime; a panic in it becomes an
/// internal error response instead of a dead server.
pub async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| errors::internal(format!("wasmlens: the request failed: {e}")))
}
