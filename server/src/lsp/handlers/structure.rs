//! Folding ranges and selection ranges.

use tower_lsp_server::ls_types::*;

use tower_lsp_server::jsonrpc::Result;

use crate::analysis::structure::{self, FoldKind};
use crate::lsp::state::{Snapshot, State};

pub async fn folding_range(
    state: &State,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    state.query(&params.text_document.uri, folding_ranges).await
}

fn folding_ranges(snapshot: &Snapshot<'_>) -> Option<Vec<FoldingRange>> {
    let source = snapshot.source();
    let positions = &snapshot.positions;
    let folds = structure::folds(&source.text, &source.parse)
        .into_iter()
        .map(|fold| {
            let range = positions.range(fold.range);
            FoldingRange {
                start_line: range.start.line,
                start_character: None,
                end_line: range.end.line,
                end_character: None,
                kind: Some(match fold.kind {
                    FoldKind::Body => FoldingRangeKind::Region,
                    FoldKind::Comment => FoldingRangeKind::Comment,
                }),
                collapsed_text: None,
            }
        })
        .collect();
    Some(folds)
}

pub async fn selection_range(
    state: &State,
    params: SelectionRangeParams,
) -> Result<Option<Vec<SelectionRange>>> {
    let at = params.positions;
    state
        .query(&params.text_document.uri, move |snapshot| {
            selection_ranges(snapshot, at)
        })
        .await
}

fn selection_ranges(snapshot: &Snapshot<'_>, at: Vec<Position>) -> Option<Vec<SelectionRange>> {
    let source = snapshot.source();
    let positions = &snapshot.positions;
    let answers = at
        .into_iter()
        .map(|position| {
            let ranges = structure::selection_ranges(&source.parse, positions.offset(position));
            // Built from the outside in: each range's parent is the next one.
            ranges
                .iter()
                .rev()
                .fold(None, |parent: Option<SelectionRange>, &range| {
                    Some(SelectionRange {
                        range: positions.range(range),
                        parent: parent.map(Box::new),
                    })
                })
                .unwrap_or(SelectionRange {
                    range: Range::new(position, position),
                    parent: None,
                })
        })
        .collect();
    Some(answers)
}
