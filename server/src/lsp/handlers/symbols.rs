//! Document symbols (the outline) and workspace symbols (search).

use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use crate::analysis::index::DefKind;
use crate::analysis::navigation::FileRange;
use crate::analysis::symbols::OutlineItem;
use crate::analysis::{FileId, PackageAnalysis};
use crate::lsp::convert::{AnalysisPositions, TextPositions};
use crate::lsp::documents::Encoding;

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

pub fn document_symbols(
    analysis: &PackageAnalysis,
    file: FileId,
    encoding: Encoding,
) -> Option<DocumentSymbolResponse> {
    let positions = TextPositions::new(&analysis.file(file).text, encoding);
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
        .outline(file)
        .iter()
        .map(|item| convert(analysis, &positions, item))
        .collect();
    Some(DocumentSymbolResponse::Nested(symbols))
}

/// At most this many workspace symbols: clients filter further as the
/// user types, and a huge list only costs time.
const MAX_WORKSPACE_SYMBOLS: usize = 256;

pub fn workspace_symbols(
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
