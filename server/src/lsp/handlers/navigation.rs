//! Definition, declaration, type definition, references and highlights.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::analysis::FileId;
use crate::analysis::PackageAnalysis;
use crate::analysis::navigation::{FileRange, NavigationTarget};
use crate::lsp::state::{Snapshot, State};
use crate::syntax::TextSize;

type Find = fn(&PackageAnalysis, FileId, TextSize) -> Option<NavigationTarget>;

pub async fn goto_definition(
    state: &State,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    goto(
        state,
        params.text_document_position_params,
        PackageAnalysis::definition,
    )
    .await
}

pub async fn goto_declaration(
    state: &State,
    params: request::GotoDeclarationParams,
) -> Result<Option<request::GotoDeclarationResponse>> {
    goto(
        state,
        params.text_document_position_params,
        PackageAnalysis::declaration,
    )
    .await
}

pub async fn goto_type_definition(
    state: &State,
    params: request::GotoTypeDefinitionParams,
) -> Result<Option<request::GotoTypeDefinitionResponse>> {
    let at = params.text_document_position_params;
    goto(state, at, PackageAnalysis::type_definition).await
}

/// Definition, declaration or type definition: `find` picks the target of
/// the name at the cursor; the answer is its name's location.
async fn goto(
    state: &State,
    at: TextDocumentPositionParams,
    find: Find,
) -> Result<Option<GotoDefinitionResponse>> {
    state
        .query(&at.text_document.uri, move |snapshot| {
            let target = find(
                snapshot.analysis,
                snapshot.file,
                snapshot.offset(at.position),
            )?;
            let location = snapshot.package_positions().location(FileRange {
                file: target.file,
                range: target.name_range,
            })?;
            Some(GotoDefinitionResponse::Scalar(location))
        })
        .await
}

pub async fn references(state: &State, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let at = params.text_document_position;
    let include_declaration = params.context.include_declaration;
    state
        .query(&at.text_document.uri, move |snapshot| {
            let symbol = symbol_at(snapshot, at.position)?;
            let mut positions = snapshot.package_positions();
            let locations = snapshot
                .analysis
                .occurrences(symbol)
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
        })
        .await
}

pub async fn document_highlight(
    state: &State,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let at = params.text_document_position_params;
    state
        .query(&at.text_document.uri, move |snapshot| {
            let symbol = symbol_at(snapshot, at.position)?;
            let highlights = snapshot
                .analysis
                .occurrences(symbol)
                .into_iter()
                .filter(|o| o.file == snapshot.file)
                .map(|o| DocumentHighlight {
                    range: snapshot.positions.range(o.range),
                    kind: Some(if o.is_definition {
                        DocumentHighlightKind::WRITE
                    } else {
                        DocumentHighlightKind::READ
                    }),
                })
                .collect();
            Some(highlights)
        })
        .await
}

fn symbol_at(snapshot: &Snapshot<'_>, position: Position) -> Option<crate::analysis::index::DefId> {
    let symbol = snapshot
        .analysis
        .symbol_at(snapshot.file, snapshot.offset(position))?;
    Some(symbol.def)
}
