//! The `LanguageServer` implementation: session changes happen here, on
//! the protocol task, before any `.await` (tower-lsp-server runs handlers
//! concurrently, so an edit applied after an await could be overtaken by a
//! later request). Queries run on a snapshot, off the async runtime.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::commands;
use super::convert::path_of;
use super::convert::{self, AnalysisPositions, TextPositions};
use super::documents::{Document, Encoding};
use super::handlers;
use super::session::Session;
use crate::analysis::workspace::package_root_of;
use crate::analysis::{FileId, PackageAnalysis};
use crate::lenses::runner::Runner;
use crate::lenses::settings::EditorRun;
use crate::lenses::targets::world_targets;
use wasmlens_runtime::Cancel;

/// How many times a diagnostics run yields to the runtime before it starts,
/// so that changes already received (a paste, an undo of many steps, sent
/// back to back) are applied first and cost one analysis. A timer would
/// cost more: tokio's has a resolution of a millisecond, and analysis of
/// the whole WASI tree takes about three (BENCHMARKS.md).
const DIAGNOSTICS_YIELDS: usize = 4;

/// The parameters of `wasmlens/debug`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DebugParams {
    /// Panic inside the request's work.
    pub panic: bool,
    /// Wait this long first (at most a minute).
    pub sleep_ms: u64,
}

pub struct Server {
    client: Client,
    shared: Arc<Shared>,
}

pub(super) struct Shared {
    pub(super) session: Mutex<Session>,
    /// Per package root, held while its analysis is computed.
    analysing: Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>,
    /// The client pulls diagnostics (`textDocument/diagnostic`) instead of
    /// having them pushed.
    pull_diagnostics: AtomicBool,
    /// Runs lens commands; holds the runtime and compiled components.
    pub(super) runner: Arc<Runner>,
    /// The client allows running components (`initializationOptions`
    /// `{"execution": false}` turns it off, e.g. in an untrusted workspace).
    pub(super) execution: AtomicBool,
    /// The client accepts server-made progress tokens.
    pub(super) progress_supported: AtomicBool,
    /// Running commands by progress token, for the cancel button.
    pub(super) running: Mutex<HashMap<String, Cancel>>,
    /// Files that hold a diagnostic from the last run (a trap's line).
    pub(super) run_diagnostics: Mutex<HashSet<PathBuf>>,
    pub(super) next_run: AtomicU64,
    /// The editor's `[run]` settings, under each `wasmlens.toml`.
    pub(super) editor_run: Mutex<EditorRun>,
}

impl Server {
    pub fn new(client: Client) -> Self {
        Server {
            client,
            shared: Arc::new(Shared {
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
            }),
        }
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        lock(&self.shared.session)
    }

    /// Runs `query` on a fresh analysis of the package that holds `uri`.
    async fn query<T: Send + 'static>(
        &self,
        uri: &Uri,
        query: impl FnOnce(&PackageAnalysis, FileId, Encoding) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        let Some(path) = path_of(uri) else {
            return Ok(None);
        };
        let root = package_root_of(&path);
        let (_, analysis) = fresh_analysis(&self.shared, &root).await?;
        let encoding = self.session().encoding;
        let answer = off_runtime(move || {
            let file = analysis.file_id(&path)?;
            query(&analysis, file, encoding)
        })
        .await;
        self.logged(answer).await
    }

    /// `result`, with an internal error (a panic) also written to the
    /// client's log: the response alone may not reach the user.
    async fn logged<T>(&self, result: Result<T>) -> Result<T> {
        if let Err(error) = &result {
            self.client
                .log_message(MessageType::ERROR, error.message.to_string())
                .await;
        }
        result
    }

    /// `wasmlens/debug`: a request that waits, then fails the way a bug
    /// would, on demand. It lets client authors (and our tests) check how
    /// a client and the server handle a slow, cancelled or failing request.
    pub async fn debug(&self, params: DebugParams) -> Result<serde_json::Value> {
        tokio::time::sleep(Duration::from_millis(params.sleep_ms.min(60_000))).await;
        let panic = params.panic;
        let answer = off_runtime(move || {
            assert!(!panic, "wasmlens/debug was asked to panic");
        })
        .await;
        self.logged(answer).await?;
        Ok(serde_json::json!("ok"))
    }

    /// `window/workDoneProgress/cancel`: the cancel button of a run's
    /// progress.
    pub async fn progress_cancel(&self, params: WorkDoneProgressCancelParams) {
        commands::cancel_progress(&self.shared, &params.token);
    }

    /// Takes the editor's `[run]` settings; a value that cannot be read is
    /// shown to the user (naming the setting) and the rest still apply
    /// once it is fixed.
    async fn set_editor_run(&self, value: &serde_json::Value) {
        let run = match serde_json::from_value::<EditorRun>(value.clone()) {
            Ok(run) => run,
            Err(e) => {
                let message = format!(
                    "wasmlens.run settings are not valid: {e}; fix them in the editor's settings"
                );
                self.client.show_message(MessageType::ERROR, message).await;
                return;
            }
        };
        if let Err(message) = run.check() {
            self.client
                .show_message(
                    MessageType::ERROR,
                    format!("{message}; fix it in the editor's settings"),
                )
                .await;
        }
        *lock(&self.shared.editor_run) = run;
    }

    fn schedule_diagnostics(&self, roots: Vec<PathBuf>) {
        if self.shared.pull_diagnostics.load(Ordering::Relaxed) {
            let client = self.client.clone();
            tokio::spawn(async move {
                // Asks the client to pull again: other files of the
                // package may have changed their verdict too.
                let _ = client.workspace_diagnostic_refresh().await;
            });
            return;
        }
        let generation = self.session().generation();
        for root in roots {
            let client = self.client.clone();
            let shared = self.shared.clone();
            tokio::spawn(async move {
                for _ in 0..DIAGNOSTICS_YIELDS {
                    tokio::task::yield_now().await;
                }
                if lock(&shared.session).changed_since(&root, generation) {
                    return; // a later change scheduled its own run
                }
                if let Err(e) = publish_diagnostics(&client, &shared, &root).await {
                    client
                        .log_message(MessageType::ERROR, format!("diagnostics failed: {e}"))
                        .await;
                }
            });
        }
    }
}

pub(super) fn lock<T>(session: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves the session as consistent as
    // any single edit does; keep serving rather than poison every request.
    session
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs blocking work off the async runtime; a panic in it becomes an
/// internal error response instead of a dead server.
pub(super) async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        let mut error = Error::internal_error();
        error.message = format!("wasmlens: the request failed: {e}").into();
        error
    })
}

/// The analysis of `root` for the current texts, computed if needed.
pub(super) async fn fresh_analysis(
    shared: &Arc<Shared>,
    root: &Path,
) -> Result<(u64, Arc<PackageAnalysis>)> {
    // One analysis of a root at a time: a request that arrives while the
    // diagnostics run analyses the same text waits for that result instead
    // of computing it a second time beside it.
    let gate = lock(&shared.analysing)
        .entry(root.to_path_buf())
        .or_default()
        .clone();
    let _one_at_a_time = gate.lock().await;
    loop {
        let input = match lock(&shared.session).analysis_or_input(root) {
            Ok(fresh) => return Ok(fresh),
            Err(input) => input,
        };
        let (input, analysis) = off_runtime(move || {
            let analysis = Arc::new(input.analyze());
            (input, analysis)
        })
        .await?;
        if lock(&shared.session).store(&input, &analysis) {
            return Ok((input.generation, analysis));
        }
        // The text changed while analysing: analyse the newer one.
    }
}

/// Publishes the diagnostics of every file of `root`, and clears those of
/// files that no longer have any.
async fn publish_diagnostics(client: &Client, shared: &Arc<Shared>, root: &Path) -> Result<()> {
    let (generation, analysis) = fresh_analysis(shared, root).await?;
    let encoding = lock(&shared.session).encoding;
    let by_path = off_runtime(move || diagnostics_by_path(&analysis, encoding, None)).await?;
    let paths: HashSet<PathBuf> = by_path.keys().cloned().collect();
    let (stale, versions) = {
        let mut session = lock(&shared.session);
        let Some(stale) = session.claim_publish(root, generation, paths) else {
            return Ok(());
        };
        let versions: Vec<Option<i32>> = by_path.keys().map(|p| session.version_of(p)).collect();
        (stale, versions)
    };
    for ((path, diagnostics), version) in by_path.iter().zip(versions) {
        if let Some(uri) = convert::uri_of(path) {
            client
                .publish_diagnostics(uri, diagnostics.clone(), version)
                .await;
        }
    }
    for path in stale.iter().filter(|p| !by_path.contains_key(*p)) {
        if let Some(uri) = convert::uri_of(path) {
            client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }
    Ok(())
}

/// Every file of the analysis (or only `only`), empty lists included so
/// that fixed files are cleared, with its diagnostics in protocol form.
fn diagnostics_by_path(
    analysis: &PackageAnalysis,
    encoding: Encoding,
    only: Option<&Path>,
) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let wanted = |path: &Path| only.is_none_or(|only| only == path);
    let file_ids: HashMap<&Path, FileId> = (0..analysis.files.len() as u32)
        .map(FileId)
        .map(|id| (analysis.file(id).path.as_path(), id))
        .collect();
    let mut by_path: BTreeMap<PathBuf, Vec<Diagnostic>> = file_ids
        .keys()
        .filter(|path| wanted(path))
        .map(|path| (path.to_path_buf(), Vec::new()))
        .collect();
    let mut positions = AnalysisPositions::new(analysis, encoding);
    let empty = TextPositions::new("", encoding);
    for diagnostic in analysis.diagnostics.iter().filter(|d| wanted(&d.path)) {
        let converted = match file_ids.get(diagnostic.path.as_path()) {
            Some(&file) => convert::diagnostic(diagnostic, positions.file(file)),
            // Not a WIT file of the package (`wasmlens.toml`): its text
            // from disk places the range.
            None => match std::fs::read_to_string(&diagnostic.path) {
                Ok(text) => convert::diagnostic(diagnostic, &TextPositions::new(&text, encoding)),
                Err(_) => convert::diagnostic(diagnostic, &empty),
            },
        };
        by_path
            .entry(diagnostic.path.clone())
            .or_default()
            .push(converted);
    }
    by_path
}

fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = negotiate_encoding(&params);
        let pull = params
            .capabilities
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        self.shared.pull_diagnostics.store(pull, Ordering::Relaxed);
        let execution = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("execution"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(true);
        self.shared.execution.store(execution, Ordering::Relaxed);
        if let Some(run) = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("run"))
        {
            self.set_editor_run(run).await;
        }
        let progress = params
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        self.shared
            .progress_supported
            .store(progress, Ordering::Relaxed);
        {
            let mut session = self.session();
            session.encoding = encoding;
            session.folders = params
                .workspace_folders
                .iter()
                .flatten()
                .filter_map(|f| path_of(&f.uri))
                .collect();
        }
        Ok(InitializeResult {
            capabilities: handlers::capabilities(encoding, pull, execution),
            server_info: Some(ServerInfo {
                name: "wasmlens".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // Files that are not open change too (a package manager updating
        // `deps/`, a branch switch): ask to hear about them.
        let watchers = ["**/*.wit", "**/*.wasm", "**/wasmlens.toml"]
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob.to_string()),
                kind: None,
            })
            .collect();
        let registration = Registration {
            id: "wasmlens-watch".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers,
            })
            .ok(),
        };
        let client = self.client.clone();
        tokio::spawn(async move {
            // Clients without dynamic registration answer with an error;
            // they still send what they watch on their own.
            let _ = client.register_capability(vec![registration]).await;
        });
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        // VS Code sends `{"wasmlens": {...}}` for its configuration section.
        if let Some(run) = params.settings.get("wasmlens").and_then(|w| w.get("run")) {
            self.set_editor_run(run).await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let Some(path) = path_of(&document.uri) else {
            return;
        };
        let roots = {
            let mut session = self.session();
            let text: Arc<str> = Arc::from(document.text.as_str());
            session.documents.insert(
                path.clone(),
                Document::new(&document.text, document.version),
            );
            session.text_changed(&path, Some(text))
        };
        self.schedule_diagnostics(roots);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else {
            return;
        };
        let roots = {
            let mut session = self.session();
            let encoding = session.encoding;
            let Some(document) = session.documents.get_mut(&path) else {
                return; // a change to a document never opened: nothing to apply it to
            };
            document.apply_changes(
                params.content_changes,
                params.text_document.version,
                encoding,
            );
            let text: Arc<str> = Arc::from(document.text());
            session.text_changed(&path, Some(text))
        };
        self.schedule_diagnostics(roots);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else {
            return;
        };
        let roots = {
            let mut session = self.session();
            session.documents.remove(&path);
            session.text_changed(&path, None)
        };
        self.schedule_diagnostics(roots);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        // A component built, rebuilt or deleted: discovery looks again, and
        // the lenses say so.
        let components_changed = params.changes.iter().any(|c| {
            path_of(&c.uri).is_some_and(|p| {
                p.extension().is_some_and(|e| e == "wasm")
                    || p.file_name()
                        .is_some_and(|n| n == crate::analysis::config::CONFIG_FILE)
            })
        });
        if components_changed {
            self.shared.runner.files_changed();
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.code_lens_refresh().await;
            });
        }
        let roots = {
            let mut session = self.session();
            let mut roots = Vec::new();
            for change in params.changes {
                let Some(path) = path_of(&change.uri) else {
                    continue;
                };
                // An open buffer's text wins over the disk until it closes.
                if !session.documents.contains_key(&path) {
                    roots.extend(session.file_changed(&path));
                }
            }
            roots.sort();
            roots.dedup();
            roots
        };
        self.schedule_diagnostics(roots);
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let mut session = self.session();
        let removed: Vec<PathBuf> = params
            .event
            .removed
            .iter()
            .filter_map(|f| path_of(&f.uri))
            .collect();
        session.folders.retain(|f| !removed.contains(f));
        session
            .folders
            .extend(params.event.added.iter().filter_map(|f| path_of(&f.uri)));
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let path = path_of(&params.text_document.uri);
        let items = self
            .query(&params.text_document.uri, move |analysis, _, encoding| {
                let path = path?;
                diagnostics_by_path(analysis, encoding, Some(&path)).remove(&path)
            })
            .await?
            .unwrap_or_default();
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        self.query(&at.text_document.uri, move |analysis, file, encoding| {
            handlers::navigation::goto(
                analysis,
                file,
                at.position,
                encoding,
                PackageAnalysis::definition,
            )
        })
        .await
    }

    async fn goto_declaration(
        &self,
        params: request::GotoDeclarationParams,
    ) -> Result<Option<request::GotoDeclarationResponse>> {
        let at = params.text_document_position_params;
        self.query(&at.text_document.uri, move |analysis, file, encoding| {
            handlers::navigation::goto(
                analysis,
                file,
                at.position,
                encoding,
                PackageAnalysis::declaration,
            )
        })
        .await
    }

    async fn goto_type_definition(
        &self,
        params: request::GotoTypeDefinitionParams,
    ) -> Result<Option<request::GotoTypeDefinitionResponse>> {
        let at = params.text_document_position_params;
        self.query(&at.text_document.uri, move |analysis, file, encoding| {
            handlers::navigation::goto(
                analysis,
                file,
                at.position,
                encoding,
                PackageAnalysis::type_definition,
            )
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        let include_declaration = params.context.include_declaration;
        self.query(&at.text_document.uri, move |analysis, file, encoding| {
            handlers::navigation::references(
                analysis,
                file,
                at.position,
                include_declaration,
                encoding,
            )
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let at = params.text_document_position_params;
        self.query(&at.text_document.uri, move |analysis, file, encoding| {
            handlers::navigation::highlight(analysis, file, at.position, encoding)
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        self.query(&at.text_document.uri, move |analysis, file, encoding| {
            handlers::hover::hover(analysis, file, at.position, encoding)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.query(
            &params.text_document.uri,
            move |analysis, file, encoding| {
                handlers::symbols::document_symbols(analysis, file, encoding)
            },
        )
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        // Every package root under the workspace folders, analysed now if
        // it was not yet (no file of it opened so far).
        let folders = self.session().folders.clone();
        let roots = off_runtime(move || {
            let workspace = crate::analysis::Workspace::new();
            folders
                .iter()
                .flat_map(|folder| {
                    crate::analysis::workspace::find_package_roots(&workspace, folder)
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
        })
        .await?;
        let mut analyses = Vec::new();
        for root in roots {
            analyses.push(fresh_analysis(&self.shared, &root).await?.1);
        }
        let encoding = self.session().encoding;
        let query = params.query;
        let symbols =
            off_runtime(move || handlers::symbols::workspace_symbols(&analyses, &query, encoding))
                .await?;
        Ok(Some(WorkspaceSymbolResponse::Nested(symbols)))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let answer = self
            .query(
                &params.text_document.uri,
                move |analysis, file, encoding| {
                    Some(handlers::rename::prepare(
                        analysis,
                        file,
                        params.position,
                        encoding,
                    ))
                },
            )
            .await?;
        answer.transpose()
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let at = params.text_document_position;
        let new_name = params.new_name;
        let answer = self
            .query(&at.text_document.uri, move |analysis, file, encoding| {
                Some(handlers::rename::rename(
                    analysis,
                    file,
                    at.position,
                    &new_name,
                    encoding,
                ))
            })
            .await?;
        answer.transpose()
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.query(
            &params.text_document.uri,
            move |analysis, file, encoding| {
                handlers::structure::folding_ranges(analysis, file, encoding)
            },
        )
        .await
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        let positions = params.positions;
        self.query(
            &params.text_document.uri,
            move |analysis, file, encoding| {
                handlers::structure::selection_ranges(analysis, file, positions, encoding)
            },
        )
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let tokens = self
            .query(
                &params.text_document.uri,
                move |analysis, file, encoding| {
                    handlers::semantic_tokens::tokens(analysis, file, None, encoding)
                },
            )
            .await?;
        Ok(tokens.map(SemanticTokensResult::Tokens))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let range = params.range;
        let tokens = self
            .query(
                &params.text_document.uri,
                move |analysis, file, encoding| {
                    handlers::semantic_tokens::tokens(analysis, file, Some(range), encoding)
                },
            )
            .await?;
        Ok(tokens.map(SemanticTokensRangeResult::Tokens))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.query(
            &params.text_document.uri,
            move |analysis, file, encoding| {
                handlers::links::document_links(analysis, file, encoding)
            },
        )
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        self.query(&at.text_document.uri, move |analysis, file, encoding| {
            handlers::completion::completion(analysis, file, at.position, encoding)
        })
        .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let answer = self
            .query(
                &params.text_document.uri,
                move |analysis, file, encoding| {
                    Some(handlers::formatting::formatting(
                        analysis, file, None, encoding,
                    ))
                },
            )
            .await?;
        answer.transpose()
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let range = params.range;
        let answer = self
            .query(
                &params.text_document.uri,
                move |analysis, file, encoding| {
                    Some(handlers::formatting::formatting(
                        analysis,
                        file,
                        Some(range),
                        encoding,
                    ))
                },
            )
            .await?;
        answer.transpose()
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let Some(path) = path_of(&uri) else {
            return Ok(None);
        };
        let root = package_root_of(&path);
        let (_, analysis) = fresh_analysis(&self.shared, &root).await?;
        let (encoding, folders) = {
            let session = self.session();
            (session.encoding, session.folders.clone())
        };
        let runner = self.shared.runner.clone();
        let answer = off_runtime(move || {
            let file = analysis.file_id(&path)?;
            // A broken wasmlens.toml is a diagnostic in that file; the
            // lenses then work as without one.
            let settings = crate::lenses::settings::Settings::discover(&root).unwrap_or_default();
            let fallback = commands::fallback_base(&root, &folders);
            let base = settings.base(&fallback).to_path_buf();
            let worlds: Vec<_> = world_targets(&analysis)
                .into_iter()
                .map(|world| {
                    let located = runner.locate(&analysis, &settings, &base, &world);
                    (world, located)
                })
                .collect();
            Some(handlers::lenses::code_lenses(
                &analysis, file, &uri, &worlds, encoding,
            ))
        })
        .await;
        self.logged(answer).await
    }

    async fn code_lens_resolve(&self, lens: CodeLens) -> Result<CodeLens> {
        Ok(handlers::lenses::resolve(lens))
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        commands::execute(&self.client, &self.shared, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let (range, context) = (params.range, params.context);
        self.query(
            &params.text_document.uri,
            move |analysis, file, encoding| {
                Some(handlers::actions::code_actions(
                    analysis, file, range, context, encoding,
                ))
            },
        )
        .await
    }
}
