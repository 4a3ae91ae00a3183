//! Semantic highlighting: every meaningful token of a file with what it is
//! (from the symbol index, so a type and an interface of the same spelling
//! get different colours) and how (declared here, documentation, deprecated,
//! built in).

use rustc_hash::FxHashMap as HashMap;

use super::index::{DefId, DefKind, RefKind};
use super::{FileId, PackageAnalysis};
use crate::syntax::SyntaxKind::{self, *};
use crate::syntax::tree::{Gate, Node};
use crate::syntax::{TextRange, TextSize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Highlight {
    Namespace,
    Interface,
    World,
    Type,
    Struct,
    Enum,
    EnumMember,
    Resource,
    Function,
    Method,
    Parameter,
    Property,
    Keyword,
    Comment,
    Number,
    Operator,
    Decorator,
}

/// Modifiers, as bits.
pub mod modifier {
    pub const DECLARATION: u32 = 1 << 0;
    pub const DOCUMENTATION: u32 = 1 << 1;
    pub const DEPRECATED: u32 = 1 << 2;
    pub const DEFAULT_LIBRARY: u32 = 1 << 3;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HighlightedRange {
    pub range: TextRange,
    pub highlight: Highlight,
    pub modifiers: u32,
}

fn highlight_of(kind: DefKind) -> Highlight {
    match kind {
        DefKind::Package => Highlight::Namespace,
        DefKind::Interface => Highlight::Interface,
        DefKind::World | DefKind::ExternLabel => Highlight::World,
        DefKind::TypeAlias | DefKind::UseAlias => Highlight::Type,
        DefKind::Record => Highlight::Struct,
        DefKind::Variant | DefKind::Enum | DefKind::Flags => Highlight::Enum,
        DefKind::Resource => Highlight::Resource,
        DefKind::Function => Highlight::Function,
        DefKind::Constructor | DefKind::Method | DefKind::StaticMethod => Highlight::Method,
        DefKind::Field => Highlight::Property,
        DefKind::Case | DefKind::EnumCase | DefKind::Flag => Highlight::EnumMember,
        DefKind::Param => Highlight::Parameter,
    }
}

fn is_primitive(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        U8_KW
            | U16_KW
            | U32_KW
            | U64_KW
            | S8_KW
            | S16_KW
            | S32_KW
            | S64_KW
            | F32_KW
            | F64_KW
            | CHAR_KW
            | BOOL_KW
            | STRING_KW
    )
}

impl PackageAnalysis {
    /// The highlighted tokens of `file` in order, limited to `within` when
    /// given. Comments spanning lines come as one range per line.
    pub fn highlights(&self, file: FileId, within: Option<TextRange>) -> Vec<HighlightedRange> {
        let source = self.file(file);
        let index = &self.index;
        let deprecated = |id: DefId| {
            index
                .def(id)
                .gates
                .iter()
                .any(|g| matches!(g, Gate::Deprecated(_)))
        };
        // What each identifier is, by its start.
        let mut names: HashMap<TextSize, (Highlight, u32)> = HashMap::default();
        for reference in index.references.iter().filter(|r| r.file == file) {
            let (highlight, modifiers) = match (reference.kind, reference.target) {
                (RefKind::Package, _) => (Highlight::Namespace, 0),
                (_, Some(target)) => {
                    let original = index.original(target);
                    let bits = if deprecated(original) {
                        modifier::DEPRECATED
                    } else {
                        0
                    };
                    (highlight_of(index.def(original).kind), bits)
                }
                (RefKind::Type, None) => (Highlight::Type, 0),
                (RefKind::UsePath | RefKind::Extern, None) => (Highlight::Interface, 0),
                (RefKind::Include, None) => (Highlight::World, 0),
                (RefKind::UseName | RefKind::IncludeName, None) => (Highlight::Type, 0),
            };
            names.insert(reference.range.start(), (highlight, modifiers));
        }
        for id in index.def_ids() {
            let def = index.def(id);
            if def.file != file || def.kind == DefKind::Package {
                continue;
            }
            let highlight = match def.kind {
                // A `use` name shows as what it brings in.
                DefKind::UseAlias => def.alias_of.map_or(Highlight::Type, |t| {
                    highlight_of(index.def(index.original(t)).kind)
                }),
                kind => highlight_of(kind),
            };
            let mut bits = modifier::DECLARATION;
            if deprecated(index.original(id)) {
                bits |= modifier::DEPRECATED;
            }
            names.insert(def.name_range.start(), (highlight, bits));
        }

        let mut found = Vec::new();
        let root = Node::root(&source.parse.green);
        // Package names (`ns:name`) are namespaces wherever they appear.
        let mut package_names = Vec::new();
        // `@` starts an attribute (`@since(…)`), or a version (`@0.2.0`).
        let mut attribute_starts = Vec::new();
        root.for_each_descendant(&mut |node| match node.kind() {
            PACKAGE_NAME => package_names.push(node.text_range()),
            ATTRIBUTE => attribute_starts.push(node.text_range().start()),
            _ => {}
        });
        let mut after_at = false;
        root.for_each_token(&mut |token| {
            let range = token.text_range();
            if within.is_some_and(|w| range.intersect(w).is_none_or(|i| i.is_empty())) {
                return;
            }
            let kind = token.kind();
            let mut push = |highlight, modifiers| {
                found.push(HighlightedRange {
                    range,
                    highlight,
                    modifiers,
                })
            };
            match kind {
                COMMENT => {
                    let text = token.text();
                    let docs = text.starts_with("///") || text.starts_with("/**");
                    let bits = if docs { modifier::DOCUMENTATION } else { 0 };
                    let mut start = range.start();
                    for line in text.split_inclusive('\n') {
                        let trimmed = line.trim_end_matches(['\n', '\r']);
                        if !trimmed.is_empty() {
                            found.push(HighlightedRange {
                                range: TextRange::at(start, TextSize::of(trimmed)),
                                highlight: Highlight::Comment,
                                modifiers: bits,
                            });
                        }
                        start += TextSize::of(line);
                    }
                }
                WHITESPACE => return,
                AT if attribute_starts.contains(&range.start()) => push(Highlight::Decorator, 0),
                IDENT | EXPLICIT_IDENT if after_at => push(Highlight::Decorator, 0),
                IDENT | EXPLICIT_IDENT => {
                    if let Some(&(highlight, bits)) = names.get(&range.start()) {
                        push(highlight, bits);
                    } else if package_names.iter().any(|p| p.contains_range(range)) {
                        push(Highlight::Namespace, 0);
                    }
                }
                INTEGER => push(Highlight::Number, 0),
                ARROW | EQ | STAR => push(Highlight::Operator, 0),
                _ if is_primitive(kind) => push(Highlight::Type, modifier::DEFAULT_LIBRARY),
                _ if kind.is_keyword() => push(Highlight::Keyword, 0),
                _ => {}
            }
            after_at = kind == AT && attribute_starts.contains(&range.start());
        });
        found
    }
}
