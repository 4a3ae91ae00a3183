//! `textDocument/formatting` and `rangeFormatting`: the formatter's gap
//! edits, all of them or those touching the range. A file with syntax
//! errors is refused with the error's place.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::errors::request_failed;
use crate::lsp::state::{Snapshot, State};
use crate::syntax::TextRange;
use crate::syntax::format::format_edits;

pub async fn formatting(
    state: &State,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let answer = state
        .query(&params.text_document.uri, |snapshot| {
            Some(edits(snapshot, None))
        })
        .await?;
    answer.transpose()
}

pub async fn range_formatting(
    state: &State,
    params: DocumentRangeFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let range = params.range;
    let answer = state
        .query(&params.text_document.uri, move |snapshot| {
            Some(edits(snapshot, Some(range)))
        })
        .await?;
    answer.transpose()
}

fn edits(snapshot: &Snapshot<'_>, range: Option<Range>) -> Result<Vec<TextEdit>> {
    let positions = &snapshot.positions;
    let edits = format_edits(&snapshot.source().text).map_err(|e| request_failed(e.to_string()))?;
    let wanted = range.map(|r| TextRange::new(positions.offset(r.start), positions.offset(r.end)));
    Ok(edits
        .into_iter()
        .filter(|edit| wanted.is_none_or(|wanted| touches(edit.range, wanted)))
        .map(|edit| TextEdit::new(positions.range(edit.range), edit.new_text))
        .collect())
}

fn touches(gap: TextRange, wanted: TextRange) -> bool {
    gap.end() >= wanted.start()
        && (gap.start() < wanted.end() || wanted.is_empty() && gap.start() == wanted.end())
}
