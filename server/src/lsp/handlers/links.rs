//! `textDocument/documentLink`: a package name in a path opens the file
//! that declares the package (in `deps/` or beside this one).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::convert::uri_of;
use crate::lsp::state::State;

pub async fn document_link(
    state: &State,
    params: DocumentLinkParams,
) -> Result<Option<Vec<DocumentLink>>> {
    state
        .query(&params.text_document.uri, move |snapshot| {
            let analysis = snapshot.analysis;
            let links = analysis
                .package_links(snapshot.file)
                .into_iter()
                .filter_map(|(range, target)| {
                    let path = &analysis.file(target).path;
                    Some(DocumentLink {
                        range: snapshot.positions.range(range),
                        target: Some(uri_of(path)?),
                        tooltip: Some(format!("open {}", path.display())),
                        data: None,
                    })
                })
                .collect();
            Some(links)
        })
        .await
}
