//! `prepareRename` and `rename`: one `WorkspaceEdit` over every file, or an
//! error that says why not.

use tower_lsp_server::jsonrpc::Error;
use tower_lsp_server::ls_types::*;

use crate::analysis::{FileId, PackageAnalysis};
use crate::lsp::convert::{TextPositions, workspace_edit};
use crate::lsp::documents::Encoding;

/// A refusal the client shows the user as is.
fn refused(message: String) -> Error {
    Error::invalid_params(message)
}

pub fn prepare(
    analysis: &PackageAnalysis,
    file: FileId,
    position: Position,
    encoding: Encoding,
) -> Result<PrepareRenameResponse, Error> {
    let positions = TextPositions::new(&analysis.file(file).text, encoding);
    let (range, name) = analysis
        .prepare_rename(file, positions.offset(position))
        .map_err(refused)?;
    Ok(PrepareRenameResponse::RangeWithPlaceholder {
        range: positions.range(range),
        placeholder: name,
    })
}

pub fn rename(
    analysis: &PackageAnalysis,
    file: FileId,
    position: Position,
    new_name: &str,
    encoding: Encoding,
) -> Result<WorkspaceEdit, Error> {
    let offset = TextPositions::new(&analysis.file(file).text, encoding).offset(position);
    let edits = analysis.rename(file, offset, new_name).map_err(refused)?;
    Ok(workspace_edit(analysis, edits, encoding))
}
