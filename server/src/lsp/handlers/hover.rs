//! `textDocument/hover`: the item's WIT, gates, docs and ABI facts, as
//! Markdown.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::state::State;

pub async fn hover(state: &State, params: HoverParams) -> Result<Option<Hover>> {
    let at = params.text_document_position_params;
    state
        .query(&at.text_document.uri, move |snapshot| {
            let info = snapshot
                .analysis
                .hover(snapshot.file, snapshot.offset(at.position))?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: info.markdown,
                }),
                range: Some(snapshot.positions.range(info.range)),
            })
        })
        .await
}
