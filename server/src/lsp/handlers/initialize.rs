//! `initialize` and `initialized`: what the client can do (position
//! encoding, pull diagnostics, progress, whether components may run) and
//! what the server offers in return; then the file watchers.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::configuration::set_editor_run;
use crate::lsp::convert::path_of;
use crate::lsp::documents::Encoding;
use crate::lsp::ext::{EXPORTS, LENS_COMMANDS};
use crate::lsp::state::State;

pub async fn initialize(state: &State, params: InitializeParams) -> Result<InitializeResult> {
    let encoding = negotiate_encoding(&params);
    let pull = params
        .capabilities
        .text_document
        .as_ref()
        .is_some_and(|t| t.diagnostic.is_some());
    state.pull_diagnostics.store(pull, Ordering::Relaxed);
    let options = params.initialization_options.as_ref();
    let execution = options
        .and_then(|o| o.get("execution"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(true);
    state.execution.store(execution, Ordering::Relaxed);
    if let Some(run) = options.and_then(|o| o.get("run")) {
        set_editor_run(state, run).await;
    }
    let progress = params
        .capabilities
        .window
        .as_ref()
        .and_then(|w| w.work_done_progress)
        .unwrap_or(false);
    state.progress_supported.store(progress, Ordering::Relaxed);
    {
        let mut session = state.session();
        session.encoding = encoding;
        session.folders = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| path_of(&f.uri))
            .collect();
    }
    Ok(InitializeResult {
        capabilities: capabilities(encoding, pull, execution),
        server_info: Some(ServerInfo {
            name: "wasmlens".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        offset_encoding: None,
    })
}

pub async fn initialized(state: &Arc<State>, _: InitializedParams) {
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
    let client = state.client.clone();
    tokio::spawn(async move {
        // Clients without dynamic registration answer with an error;
        // they still send what they watch on their own.
        let _ = client.register_capability(vec![registration]).await;
    });
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

/// What the server offers, given the agreed encoding, whether the
/// client pulls diagnostics, and whether it lets components run (without,
/// no lens or command is offered).
fn capabilities(encoding: Encoding, pull_diagnostics: bool, execution: bool) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        definition_provider: Some(OneOf::Left(true)),
        declaration_provider: Some(DeclarationCapability::Simple(true)),
        type_definition_provider: Some(TypeDefinitionProviderCapability::Simple(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![
                ":".into(),
                "/".into(),
                ".".into(),
                "{".into(),
                "<".into(),
            ]),
            ..Default::default()
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: super::semantic_tokens::legend(),
                range: Some(true),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                work_done_progress_options: Default::default(),
            },
        )),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::SOURCE_ORGANIZE_IMPORTS,
            ]),
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        })),
        code_lens_provider: execution.then_some(CodeLensOptions {
            resolve_provider: Some(true),
        }),
        // Inspecting a component runs nothing, so it stays on without
        // execution; the lens commands do not.
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: std::iter::once(EXPORTS)
                .chain(execution.then_some(LENS_COMMANDS).into_iter().flatten())
                .map(String::from)
                .collect(),
            work_done_progress_options: WorkDoneProgressOptions {
                work_done_progress: Some(true),
            },
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        diagnostic_provider: pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("wasmlens".to_string()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            })
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    }
}
