//! `textDocument/formatting` and `rangeFormatting`: the formatter's edits,
//! each replacing the space between two tokens, so a range request simply
//! keeps the edits that touch its range.

use tower_lsp_server::jsonrpc::{Error, ErrorCode};
use tower_lsp_server::ls_types::*;

use crate::analysis::{FileId, PackageAnalysis};
use crate::lsp::convert::TextPositions;
use crate::lsp::documents::Encoding;
use crate::syntax::TextRange;
use crate::syntax::format::format_edits;

/// LSP's `RequestFailed`: the request was valid but could not be carried out.
const REQUEST_FAILED: i64 = -32803;

pub fn formatting(
    analysis: &PackageAnalysis,
    file: FileId,
    range: Option<Range>,
    encoding: Encoding,
) -> Result<Vec<TextEdit>, Error> {
    let text = &analysis.file(file).text;
    let positions = TextPositions::new(text, encoding);
    let edits = format_edits(text).map_err(|e| Error {
        code: ErrorCode::ServerError(REQUEST_FAILED),
        message: e.to_string().into(),
        data: None,
    })?;
    let wanted = range.map(|r| TextRange::new(positions.offset(r.start), positions.offset(r.end)));
    Ok(edits
        .into_iter()
        .filter(|edit| wanted.is_none_or(|wanted| touches(edit.range, wanted)))
        .map(|edit| TextEdit::new(positions.range(edit.range), edit.new_text))
        .collect())
}

/// Whether a gap edit belongs to a range request: it overlaps the range,
/// or ends where the range starts (the indentation of its first line); one
/// that only starts where the range ends belongs to the next line.
fn touches(gap: TextRange, wanted: TextRange) -> bool {
    gap.end() >= wanted.start()
        && (gap.start() < wanted.end() || wanted.is_empty() && gap.start() == wanted.end())
}
