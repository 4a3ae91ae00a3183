//! Text synchronisation and file events: `didOpen`, `didChange`,
//! `didClose`, `didChangeWatchedFiles`, `didChangeWorkspaceFolders`.
//!
//! Each applies its change to the session **before any `.await`**:
//! tower-lsp-server runs handlers concurrently, so a change applied after
//! an await could be overtaken by a later request. Then the diagnostics of
//! the roots it touched are scheduled.

use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use crate::analysis::config::CONFIG_FILE;
use crate::lsp::convert::path_of;
use crate::lsp::diagnostics;
use crate::lsp::documents::Document;
use crate::lsp::state::State;

pub async fn did_open(state: &Arc<State>, params: DidOpenTextDocumentParams) {
    let document = params.text_document;
    let Some(path) = path_of(&document.uri) else {
        return;
    };
    let roots = {
        let mut session = state.session();
        let text: Arc<str> = Arc::from(document.text.as_str());
        session.documents.insert(
            path.clone(),
            Document::new(&document.text, document.version),
        );
        session.text_changed(&path, Some(text))
    };
    diagnostics::schedule(state, roots);
}

pub async fn did_change(state: &Arc<State>, params: DidChangeTextDocumentParams) {
    let Some(path) = path_of(&params.text_document.uri) else {
        return;
    };
    let roots = {
        let mut session = state.session();
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
    diagnostics::schedule(state, roots);
}

pub async fn did_close(state: &Arc<State>, params: DidCloseTextDocumentParams) {
    let Some(path) = path_of(&params.text_document.uri) else {
        return;
    };
    let roots = {
        let mut session = state.session();
        session.documents.remove(&path);
        session.text_changed(&path, None)
    };
    diagnostics::schedule(state, roots);
}

pub async fn did_change_watched_files(state: &Arc<State>, params: DidChangeWatchedFilesParams) {
    // A component built, rebuilt or deleted: discovery looks again, and
    // the lenses say so.
    let components_changed = params.changes.iter().any(|c| {
        path_of(&c.uri).is_some_and(|p| {
            p.extension().is_some_and(|e| e == "wasm")
                || p.file_name().is_some_and(|n| n == CONFIG_FILE)
        })
    });
    if components_changed {
        state.runner.files_changed();
        let client = state.client.clone();
        tokio::spawn(async move {
            let _ = client.code_lens_refresh().await;
        });
    }
    let roots = {
        let mut session = state.session();
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
    diagnostics::schedule(state, roots);
}

pub async fn did_change_workspace_folders(state: &State, params: DidChangeWorkspaceFoldersParams) {
    let mut session = state.session();
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
