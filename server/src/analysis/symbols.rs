//! The outline of a file (document symbols) and the search over every
//! definition of the analysed packages (workspace symbols).

use std::collections::{HashMap, HashSet};

use super::index::{DefId, DefKind};
use super::{FileId, PackageAnalysis};

/// A definition in a file's outline, with the definitions inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineItem {
    pub def: DefId,
    pub children: Vec<OutlineItem>,
}

/// Kinds that belong in an outline: items and their members, not the names
/// a `use` brings in or the parameters of a function.
fn in_outline(kind: DefKind) -> bool {
    !matches!(kind, DefKind::UseAlias | DefKind::Param)
}

impl PackageAnalysis {
    /// The definitions of `file` as a tree, in source order.
    pub fn outline(&self, file: FileId) -> Vec<OutlineItem> {
        let index = &self.index;
        let in_file: HashSet<DefId> = index
            .def_ids()
            .filter(|&id| {
                let d = index.def(id);
                d.file == file && in_outline(d.kind) && d.kind != DefKind::Package
            })
            .collect();
        // Each item under its nearest ancestor that is in the outline.
        let mut children: HashMap<Option<DefId>, Vec<DefId>> = HashMap::new();
        for id in index.def_ids().filter(|id| in_file.contains(id)) {
            let mut up = index.def(id).parent;
            while let Some(p) = up.filter(|p| !in_file.contains(p)) {
                up = index.def(p).parent;
            }
            children.entry(up).or_default().push(id);
        }
        fn build(
            analysis: &PackageAnalysis,
            children: &HashMap<Option<DefId>, Vec<DefId>>,
            parent: Option<DefId>,
        ) -> Vec<OutlineItem> {
            let mut items: Vec<OutlineItem> = children
                .get(&parent)
                .into_iter()
                .flatten()
                .map(|&id| OutlineItem {
                    def: id,
                    children: build(analysis, children, Some(id)),
                })
                .collect();
            items.sort_by_key(|item| analysis.index.def(item.def).full_range.start());
            items
        }
        build(self, &children, None)
    }

    /// Definitions whose name matches `query` fuzzily (its characters in
    /// order, ignoring case), each with its rank: lower is better (exact,
    /// then prefix, then subsequence; shorter names first within a kind).
    pub fn search_symbols(&self, query: &str) -> Vec<(SymbolRank, DefId)> {
        let query = query.to_lowercase();
        let mut found: Vec<(SymbolRank, DefId)> = self
            .index
            .def_ids()
            .filter_map(|id| {
                let d = self.index.def(id);
                if !in_outline(d.kind) {
                    return None;
                }
                let name = d.name.to_lowercase();
                let rank = if name == query {
                    0
                } else if name.starts_with(&query) {
                    1
                } else if is_subsequence(&query, &name) {
                    2
                } else {
                    return None;
                };
                Some((SymbolRank(rank, name.len()), id))
            })
            .collect();
        found.sort();
        found
    }
}

/// How well a name matches a search: compare to sort, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SymbolRank(u8, usize);

fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut rest = haystack.chars();
    needle.chars().all(|c| rest.any(|h| h == c))
}
