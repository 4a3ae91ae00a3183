//! Hover: the item's WIT, gates, docs and ABI facts, as Markdown.

use tower_lsp_server::ls_types::*;

use crate::analysis::{FileId, PackageAnalysis};
use crate::lsp::convert::TextPositions;
use crate::lsp::documents::Encoding;

pub fn hover(
    analysis: &PackageAnalysis,
    file: FileId,
    position: Position,
    encoding: Encoding,
) -> Option<Hover> {
    let positions = TextPositions::new(&analysis.file(file).text, encoding);
    let info = analysis.hover(file, positions.offset(position))?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: info.markdown,
        }),
        range: Some(positions.range(info.range)),
    })
}
