//! Definition, declaration, type definition, references and highlights.

use tower_lsp_server::ls_types::*;

use crate::analysis::navigation::{FileRange, NavigationTarget};
use crate::analysis::{FileId, PackageAnalysis};
use crate::lsp::convert::{AnalysisPositions, TextPositions};
use crate::lsp::documents::Encoding;
use crate::syntax::TextSize;

fn offset(
    analysis: &PackageAnalysis,
    file: FileId,
    position: Position,
    encoding: Encoding,
) -> TextSize {
    TextPositions::new(&analysis.file(file).text, encoding).offset(position)
}

/// Definition, declaration or type definition: `find` picks the target of
/// the name at the cursor; the answer is its name's location.
pub fn goto(
    analysis: &PackageAnalysis,
    file: FileId,
    position: Position,
    encoding: Encoding,
    find: fn(&PackageAnalysis, FileId, TextSize) -> Option<NavigationTarget>,
) -> Option<GotoDefinitionResponse> {
    let target = find(analysis, file, offset(analysis, file, position, encoding))?;
    let mut positions = AnalysisPositions::new(analysis, encoding);
    let location = positions.location(FileRange {
        file: target.file,
        range: target.name_range,
    })?;
    Some(GotoDefinitionResponse::Scalar(location))
}

pub fn references(
    analysis: &PackageAnalysis,
    file: FileId,
    position: Position,
    include_declaration: bool,
    encoding: Encoding,
) -> Option<Vec<Location>> {
    let symbol = analysis.symbol_at(file, offset(analysis, file, position, encoding))?;
    let mut positions = AnalysisPositions::new(analysis, encoding);
    let locations = analysis
        .occurrences(symbol.def)
        .into_iter()
        .filter(|o| include_declaration || !o.is_definition)
        .filter_map(|o| {
            positions.location(FileRange {
                file: o.file,
                range: o.range,
            })
        })
        .collect();
    Some(locations)
}

pub fn highlight(
    analysis: &PackageAnalysis,
    file: FileId,
    position: Position,
    encoding: Encoding,
) -> Option<Vec<DocumentHighlight>> {
    let symbol = analysis.symbol_at(file, offset(analysis, file, position, encoding))?;
    let positions = TextPositions::new(&analysis.file(file).text, encoding);
    let highlights = analysis
        .occurrences(symbol.def)
        .into_iter()
        .filter(|o| o.file == file)
        .map(|o| DocumentHighlight {
            range: positions.range(o.range),
            kind: Some(if o.is_definition {
                DocumentHighlightKind::WRITE
            } else {
                DocumentHighlightKind::READ
            }),
        })
        .collect();
    Some(highlights)
}
