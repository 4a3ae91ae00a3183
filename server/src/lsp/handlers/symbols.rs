//! Document symbols (the outline) and workspace symbols (search).

use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use crate::analysis::index::DefKind;
use crate::analysis::navigation::FileRange;
use crate::analysis::symbols::OutlineItem;
use tower_lsp_server::jsonrpc::Result;

use crate::analysis::PackageAnalysis;
use crate::analysis::workspace::find_package_roots;
use crate::lsp::convert::{AnalysisPositions, TextPositions};
use crate::lsp::documents::Encoding;
use crate::lsp::state::{Snapshot, State, off_runtime};

pub fn symbol_kind(kind: DefKind) -> SymbolKind {
    match kind {
        DefKind::Package => SymbolKind::PACKAGE,
        DefKind::Interface => SymbolKind::INTERFACE,
        DefKind::World => SymbolKind::MODULE,
        DefKind::TypeAlias => SymbolKind::TYPE_PARAMETER,
        DefKind::Record => SymbolKind::STRUCT,
        DefKind::Variant | DefKind::Enum | DefKind::Flags => SymbolKind::ENUM,
        DefKind::Resource => SymbolKind::CLASS,
        DefKind::Function => SymbolKind::FUNCTION,
        DefKind::Constructor => SymbolKind::CONSTRUCTOR,
        DefKind::Method | DefKind::StaticMethod => SymbolKind::METHOD,
        DefKind::Field => SymbolKind::FIELD,
        DefKind::Case | DefKind::EnumCase | DefKind::Flag => SymbolKind::ENUM_MEMBER,
        DefKind::Param => SymbolKind::VARIABLE,
        DefKind::UseAlias => SymbolKind::NAMESPACE,
        DefKind::ExternLabel => SymbolKind::MODULE,
    }
}

pub async fn document_symbol(
    state: &State,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    state
        .query(&params.text_document.uri, document_symbols)
        .await
}

fn document_symbols(snapshot: &Snapshot<'_>) -> Option<DocumentSymbolResponse> {
    let (analysis, positions) = (snapshot.analysis, &snapshot.positions);
    fn convert(
        analysis: &PackageAnalysis,
        positions: &TextPositions<'_>,
        item: &OutlineItem,
    ) -> DocumentSymbol {
        let def = analysis.index.def(item.def);
        #[allow(deprecated)] // `deprecated` is a required field of the struct
        DocumentSymbol {
            name: def.name.clone(),
            detail: None,
            kind: symbol_kind(def.kind),
            tags: def
                .gates
                .iter()
                .any(|g| matches!(g, crate::syntax::tree::Gate::Deprecated(_)))
                .then(|| vec![SymbolTag::DEPRECATED]),
            deprecated: None,
            range: positions.range(def.full_range),
            selection_range: positions.range(def.name_range),
            children: Some(
                item.children
                    .iter()
                    .map(|child| convert(analysis, positions, child))
                    .collect(),
            ),
        }
    }
    let symbols = analysis
        .outline(snapshot.file)
        .iter()
        .map(|item| convert(analysis, positions, item))
        .collect();
    Some(DocumentSymbolResponse::Nested(symbols))
}

/// At most this many workspace symbols: clients filter further as the
/// user types, and a huge list only costs time.
const MAX_WORKSPACE_SYMBOLS: usize = 256;

/// `workspace/symbol`: every package root under the workspace folders,
/// analysed now if it was not yet (no file of it opened so far).
pub async fn workspace_symbol(
    state: &State,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let folders = state.session().folders.clone();
    let roots = off_runtime(move || {
        let workspace = crate::analysis::Workspace::new();
        folders
            .iter()
            .flat_map(|folder| find_package_roots(&workspace, folder).unwrap_or_default())
            .collect::<Vec<_>>()
    })
    .await?;
    let mut analyses = Vec::new();
    for root in roots {
        analyses.push(state.fresh_analysis(&root).await?.1);
    }
    let encoding = state.session().encoding;
    let query = params.query;
    let symbols = off_runtime(move || workspace_symbols(&analyses, &query, encoding)).await?;
    Ok(Some(WorkspaceSymbolResponse::Nested(symbols)))
}

fn workspace_symbols(
    analyses: &[Arc<PackageAnalysis>],
    query: &str,
    encoding: Encoding,
) -> Vec<WorkspaceSymbol> {
    let mut ranked: Vec<_> = analyses
        .iter()
        .enumerate()
        .flat_map(|(i, analysis)| {
            analysis
                .search_symbols(query)
                .into_iter()
                .map(move |(rank, id)| (rank, i, id))
        })
        .collect();
    ranked.sort_by_key(|(rank, i, id)| (*rank, *i, *id));
    let mut positions: Vec<AnalysisPositions<'_>> = analyses
        .iter()
        .map(|a| AnalysisPositions::new(a, encoding))
        .collect();
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (_, i, id) in ranked {
        let analysis = &analyses[i];
        let def = analysis.index.def(id);
        // A dependency is analysed with every root that uses it.
        if !seen.insert((analysis.file(def.file).path.clone(), def.name_range)) {
            continue;
        }
        let at = FileRange {
            file: def.file,
            range: def.name_range,
        };
        let Some(location) = positions[i].location(at) else {
            continue;
        };
        let container = def.parent.map(|p| analysis.index.def(p).name.clone());
        found.push(WorkspaceSymbol {
            name: def.name.clone(),
            kind: symbol_kind(def.kind),
            tags: None,
            container_name: container,
            location: OneOf::Left(location),
            data: None,
        });
        if found.len() == MAX_WORKSPACE_SYMBOLS {
            break;
        }
    }
    found
}
