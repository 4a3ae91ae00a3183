//! Navigation queries over one package analysis: what symbol is under a
//! cursor, where it is defined, and every place that names it. Rename,
//! highlight and references all rest on [`occurrences`].

use super::index::{DefId, DefKind, RefKind};
use super::{FileId, PackageAnalysis};
use crate::syntax::{TextRange, TextSize};

/// A place in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileRange {
    pub file: FileId,
    pub range: TextRange,
}

/// Where a definition is: its name (to select) and its whole item (to show).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavigationTarget {
    pub def: DefId,
    pub file: FileId,
    pub name_range: TextRange,
    pub full_range: TextRange,
}

/// The symbol under a cursor: the definition it means and the range of the
/// name the cursor is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SymbolAt {
    pub def: DefId,
    pub range: TextRange,
    /// Whether the cursor is on a reference (rather than a definition's name).
    pub is_reference: bool,
}

/// An occurrence of a symbol: a reference, or the name of its definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub file: FileId,
    pub range: TextRange,
    pub is_definition: bool,
}

impl PackageAnalysis {
    /// The symbol at `offset`: a resolved reference or a definition's name.
    /// A cursor right after a name (as at the end of a word) counts too.
    pub fn symbol_at(&self, file: FileId, offset: TextSize) -> Option<SymbolAt> {
        let on = |range: TextRange| range.contains_inclusive(offset);
        let reference = self
            .index
            .references
            .iter()
            .filter(|r| r.file == file && on(r.range))
            // Package references (`ns:name`) span the path's start; the
            // item name after `/` is the more specific hit.
            .min_by_key(|r| (r.kind == RefKind::Package, r.range.len()));
        if let Some(reference) = reference
            && let Some(def) = reference.target
        {
            return Some(SymbolAt {
                def,
                range: reference.range,
                is_reference: true,
            });
        }
        self.index
            .def_ids()
            .find(|&id| {
                let def = self.index.def(id);
                def.file == file && on(def.name_range)
            })
            .map(|def| SymbolAt {
                def,
                range: self.index.def(def).name_range,
                is_reference: false,
            })
    }

    pub fn navigation_target(&self, def: DefId) -> NavigationTarget {
        let d = self.index.def(def);
        NavigationTarget {
            def,
            file: d.file,
            name_range: d.name_range,
            full_range: d.full_range,
        }
    }

    /// Go to definition: the item itself, through any `use` aliases.
    pub fn definition(&self, file: FileId, offset: TextSize) -> Option<NavigationTarget> {
        let symbol = self.symbol_at(file, offset)?;
        Some(self.navigation_target(self.index.original(symbol.def)))
    }

    /// Go to declaration: the name as this scope declares it, so a type
    /// brought in by `use` leads to the `use`, not to the type.
    pub fn declaration(&self, file: FileId, offset: TextSize) -> Option<NavigationTarget> {
        let symbol = self.symbol_at(file, offset)?;
        Some(self.navigation_target(symbol.def))
    }

    /// Go to type definition: for a field, parameter, case or type alias,
    /// the type its type expression names first; for a type, itself.
    pub fn type_definition(&self, file: FileId, offset: TextSize) -> Option<NavigationTarget> {
        let symbol = self.symbol_at(file, offset)?;
        let def = self.index.def(self.index.original(symbol.def));
        if def.kind.is_type() && def.kind != DefKind::TypeAlias {
            return Some(self.navigation_target(self.index.original(symbol.def)));
        }
        let after_name = TextRange::new(def.name_range.end(), def.full_range.end());
        let named = self
            .index
            .references
            .iter()
            .filter(|r| r.file == def.file && r.kind == RefKind::Type)
            .filter(|r| after_name.contains_range(r.range))
            .min_by_key(|r| r.range.start())?;
        Some(self.navigation_target(self.index.original(named.target?)))
    }

    /// Every occurrence of the symbol `def` stands for: its definition's name,
    /// every reference to it, and the names of `use` items that bring it in
    /// under the same name (those are the same word; `use a.{t as u}`
    /// starts a new name, `u`, whose uses are not occurrences of `t`).
    pub fn occurrences(&self, def: DefId) -> Vec<Occurrence> {
        let index = &self.index;
        let original = self.name_root(def);
        let same = self.same_name_defs(original);
        let mut found: Vec<Occurrence> = index
            .references
            .iter()
            .filter(|r| r.target.is_some_and(|t| same.contains(&t)))
            .map(|r| Occurrence {
                file: r.file,
                range: r.range,
                is_definition: false,
            })
            .collect();
        let declaration = index.def(original);
        found.push(Occurrence {
            file: declaration.file,
            range: declaration.name_range,
            is_definition: true,
        });
        found.sort_by_key(|o| (o.file, o.range.start(), o.range.end()));
        // An alias without `as` shares its range with the reference it
        // makes: one occurrence, not two.
        found.dedup_by(|a, b| a.file == b.file && a.range == b.range);
        found
    }

    /// `root` and the `use` aliases that bring it in under its own name.
    pub fn same_name_defs(&self, root: DefId) -> Vec<DefId> {
        self.index
            .def_ids()
            .filter(|&id| self.name_root(id) == root)
            .collect()
    }

    /// The definition that introduces the name `def` is known by: through
    /// `use` aliases that keep the name, up to the item or to the `as` that
    /// renamed it.
    pub fn name_root(&self, mut def: DefId) -> DefId {
        for _ in 0..64 {
            let d = self.index.def(def);
            match d.alias_of {
                Some(next) if d.kind == DefKind::UseAlias && !d.renames => def = next,
                _ => break,
            }
        }
        def
    }

    /// Whether `file` belongs to the package root itself, not to `deps/`.
    pub fn is_main_file(&self, file: FileId) -> bool {
        self.groups[self.file(file).group].is_main
    }
}

impl PackageAnalysis {
    /// Package names written in `file` (`ns:name` of a path) with the file
    /// that declares the package, for editors to make them links.
    pub fn package_links(&self, file: FileId) -> Vec<(TextRange, FileId)> {
        self.index
            .references
            .iter()
            .filter(|r| r.file == file && r.kind == RefKind::Package)
            .filter_map(|r| Some((r.range, self.index.def(r.target?).file)))
            .filter(|(_, target)| *target != file)
            .collect()
    }
}
