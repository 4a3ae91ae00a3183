//! Document links: a package name in a path opens the file that declares
//! the package (in `deps/` or beside this one).

use tower_lsp_server::ls_types::*;

use crate::analysis::{FileId, PackageAnalysis};
use crate::lsp::convert::{TextPositions, uri_of};
use crate::lsp::documents::Encoding;

pub fn document_links(
    analysis: &PackageAnalysis,
    file: FileId,
    encoding: Encoding,
) -> Option<Vec<DocumentLink>> {
    let positions = TextPositions::new(&analysis.file(file).text, encoding);
    let links = analysis
        .package_links(file)
        .into_iter()
        .filter_map(|(range, target)| {
            let path = &analysis.file(target).path;
            Some(DocumentLink {
                range: positions.range(range),
                target: Some(uri_of(path)?),
                tooltip: Some(format!("open {}", path.display())),
                data: None,
            })
        })
        .collect();
    Some(links)
}
