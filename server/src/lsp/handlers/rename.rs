//! `prepareRename` and `rename`: one `WorkspaceEdit` over every file, or an
//! error that says why not.

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::Error;
use tower_lsp_server::ls_types::*;

use crate::analysis::{FileId, PackageAnalysis};
use crate::lsp::convert::{TextPositions, uri_of};
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
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    let mut positions: HashMap<FileId, TextPositions<'_>> = HashMap::new();
    for edit in edits {
        let text = &analysis.file(edit.file).text;
        let at = positions
            .entry(edit.file)
            .or_insert_with(|| TextPositions::new(text, encoding));
        let range = at.range(edit.range);
        let Some(uri) = uri_of(&analysis.file(edit.file).path) else {
            continue;
        };
        changes.entry(uri).or_default().push(TextEdit {
            range,
            new_text: edit.new_text,
        });
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    })
}
