//! Diagnostics, pushed or pulled. Pushed (the default): after each change
//! the roots that read the changed file are analysed again and every file
//! of each gets its list (empty lists clear what no longer applies), with
//! the document's version. Pulled (a client that declares
//! `textDocument/diagnostic`): the client asks per file, and after each
//! change is asked to pull again (`workspace/diagnostic/refresh`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::convert::{self, AnalysisPositions, TextPositions, path_of};
use super::documents::Encoding;
use super::state::{State, off_runtime};
use crate::analysis::{FileId, PackageAnalysis};

/// How many times a diagnostics run yields to the runtime before it starts,
/// so that changes already received (a paste, an undo of many steps, sent
/// back to back) are applied first and cost one analysis. A timer would
/// cost more: tokio's has a resolution of a millisecond, and analysis of
/// the whole WASI tree takes about three (BENCHMARKS.md).
const DIAGNOSTICS_YIELDS: usize = 4;

/// Publishes fresh diagnostics for `roots` once the changes already
/// received are applied; a later change to a root cancels its run.
pub fn schedule(state: &Arc<State>, roots: Vec<PathBuf>) {
    if state.pull_diagnostics.load(Ordering::Relaxed) {
        let client = state.client.clone();
        tokio::spawn(async move {
            // Asks the client to pull again: other files of the
            // package may have changed their verdict too.
            let _ = client.workspace_diagnostic_refresh().await;
        });
        return;
    }
    let generation = state.session().generation();
    for root in roots {
        let state = state.clone();
        tokio::spawn(async move {
            for _ in 0..DIAGNOSTICS_YIELDS {
                tokio::task::yield_now().await;
            }
            if state.session().changed_since(&root, generation) {
                return; // a later change scheduled its own run
            }
            if let Err(e) = publish(&state, &root).await {
                state
                    .client
                    .log_message(MessageType::ERROR, format!("diagnostics failed: {e}"))
                    .await;
            }
        });
    }
}

/// `textDocument/diagnostic`: the diagnostics of one file.
pub async fn pull(
    state: &State,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let path = path_of(&params.text_document.uri);
    let items = state
        .query(&params.text_document.uri, move |snapshot| {
            let path = path?;
            by_path(snapshot.analysis, snapshot.encoding, Some(&path)).remove(&path)
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

/// Publishes the diagnostics of every file of `root`, and clears those of
/// files that no longer have any.
async fn publish(state: &State, root: &Path) -> Result<()> {
    let (generation, analysis) = state.fresh_analysis(root).await?;
    let encoding = state.session().encoding;
    let by_path = off_runtime(move || by_path(&analysis, encoding, None)).await?;
    let paths: HashSet<PathBuf> = by_path.keys().cloned().collect();
    let (stale, versions) = {
        let mut session = state.session();
        let Some(stale) = session.claim_publish(root, generation, paths) else {
            return Ok(());
        };
        let versions: Vec<Option<i32>> = by_path.keys().map(|p| session.version_of(p)).collect();
        (stale, versions)
    };
    for ((path, diagnostics), version) in by_path.iter().zip(versions) {
        if let Some(uri) = convert::uri_of(path) {
            state
                .client
                .publish_diagnostics(uri, diagnostics.clone(), version)
                .await;
        }
    }
    for path in stale.iter().filter(|p| !by_path.contains_key(*p)) {
        if let Some(uri) = convert::uri_of(path) {
            state
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
    }
    Ok(())
}

/// Every file of the analysis (or only `only`), empty lists included so
/// that fixed files are cleared, with its diagnostics in protocol form.
fn by_path(
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
