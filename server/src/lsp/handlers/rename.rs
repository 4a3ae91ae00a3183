//! `textDocument/prepareRename` and `textDocument/rename`: every
//! occurrence across the package and its `deps/`, or a refusal that says
//! why (a keyword, a name in a binary dependency, a clash).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::convert::workspace_edit;
use crate::lsp::errors::invalid_params;
use crate::lsp::state::State;

pub async fn prepare_rename(
    state: &State,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let answer = state
        .query(&params.text_document.uri, move |snapshot| {
            let prepared = snapshot
                .analysis
                .prepare_rename(snapshot.file, snapshot.offset(params.position));
            Some(prepared.map(
                |(range, name)| PrepareRenameResponse::RangeWithPlaceholder {
                    range: snapshot.positions.range(range),
                    placeholder: name,
                },
            ))
        })
        .await?;
    answer.transpose().map_err(invalid_params)
}

pub async fn rename(state: &State, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let at = params.text_document_position;
    let new_name = params.new_name;
    let answer = state
        .query(&at.text_document.uri, move |snapshot| {
            let analysis = snapshot.analysis;
            let edits = analysis.rename(snapshot.file, snapshot.offset(at.position), &new_name);
            Some(edits.map(|edits| workspace_edit(analysis, edits, snapshot.encoding)))
        })
        .await?;
    answer.transpose().map_err(invalid_params)
}
