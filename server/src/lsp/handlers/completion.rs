//! Completion items from the analysis' completions.

use tower_lsp_server::ls_types::*;

use crate::analysis::completion::CompletionKind;
use crate::analysis::index::DefKind;
use crate::lsp::state::State;
use tower_lsp_server::jsonrpc::Result;

fn item_kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::BuiltinType => CompletionItemKind::TYPE_PARAMETER,
        CompletionKind::Package => CompletionItemKind::MODULE,
        CompletionKind::Snippet => CompletionItemKind::SNIPPET,
        CompletionKind::Definition(kind) => match kind {
            DefKind::Interface | DefKind::World => CompletionItemKind::INTERFACE,
            DefKind::Record => CompletionItemKind::STRUCT,
            DefKind::Variant | DefKind::Enum | DefKind::Flags => CompletionItemKind::ENUM,
            DefKind::Resource => CompletionItemKind::CLASS,
            DefKind::Function | DefKind::Method | DefKind::StaticMethod => {
                CompletionItemKind::FUNCTION
            }
            _ => CompletionItemKind::TYPE_PARAMETER,
        },
    }
}

pub async fn completion(
    state: &State,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let at = params.text_document_position;
    state
        .query(&at.text_document.uri, move |snapshot| {
            let positions = &snapshot.positions;
            let items = snapshot
                .analysis
                .completions(snapshot.file, snapshot.offset(at.position))
                .into_iter()
                .map(|c| CompletionItem {
                    kind: Some(item_kind(c.kind)),
                    detail: c.detail,
                    filter_text: c.filter,
                    // An edit of the typed word (or package path), so that clients
                    // whose word boundaries stop at `:` or `/` replace all of it.
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                        positions.range(c.replace),
                        c.insert.unwrap_or_else(|| c.label.clone()),
                    ))),
                    insert_text_format: Some(if c.is_snippet {
                        InsertTextFormat::SNIPPET
                    } else {
                        InsertTextFormat::PLAIN_TEXT
                    }),
                    label: c.label,
                    ..Default::default()
                })
                .collect();
            Some(CompletionResponse::Array(items))
        })
        .await
}
