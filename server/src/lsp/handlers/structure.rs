//! Folding ranges and selection ranges.

use tower_lsp_server::ls_types::*;

use crate::analysis::structure::{self, FoldKind};
use crate::analysis::{FileId, PackageAnalysis};
use crate::lsp::convert::TextPositions;
use crate::lsp::documents::Encoding;

pub fn folding_ranges(
    analysis: &PackageAnalysis,
    file: FileId,
    encoding: Encoding,
) -> Option<Vec<FoldingRange>> {
    let source = analysis.file(file);
    let positions = TextPositions::new(&source.text, encoding);
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

pub fn selection_ranges(
    analysis: &PackageAnalysis,
    file: FileId,
    at: Vec<Position>,
    encoding: Encoding,
) -> Option<Vec<SelectionRange>> {
    let source = analysis.file(file);
    let positions = TextPositions::new(&source.text, encoding);
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
