//! Fixes: quick fixes for the references and `use`s at a range, and
//! "organize uses" for a whole file. Each fix is a set of text edits; the
//! LSP layer turns them into code actions.
//!
//! Fixes are computed from the symbol index, not from diagnostics: wit-parser
//! stops at its first error, but the index knows every name that does not
//! resolve, so a second unknown type gets its fix before it gets its error.

use rustc_hash::FxHashMap;

use super::completion::PRIMITIVES;
use super::index::{DefId, DefKind, RefKind, Reference};
use super::{FileEdit, FileId, PackageAnalysis};
use crate::syntax::{SyntaxKind, SyntaxKind::*, SyntaxNode, TextRange, TextSize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixKind {
    QuickFix,
    OrganizeUses,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub kind: FixKind,
    pub edits: Vec<FileEdit>,
    /// The range of the problem it fixes (to attach the diagnostic there).
    pub problem: Option<TextRange>,
    /// The one fix an editor may apply without asking.
    pub preferred: bool,
}

impl Fix {
    fn quick(title: String, problem: TextRange, edits: Vec<FileEdit>) -> Fix {
        Fix {
            title,
            kind: FixKind::QuickFix,
            edits,
            problem: Some(problem),
            preferred: false,
        }
    }
}

/// How close a name must be to count as a misspelling: an edit distance of
/// at most a third of its length (and at least 1).
fn close_enough(typed: &str, candidate: &str) -> Option<usize> {
    let distance = strsim::damerau_levenshtein(typed, candidate);
    (distance > 0 && distance <= (typed.chars().count() / 3).max(1)).then_some(distance)
}

fn escaped(name: &str) -> String {
    if SyntaxKind::from_keyword(name).is_some() {
        format!("%{name}")
    } else {
        name.to_string()
    }
}

impl PackageAnalysis {
    /// Quick fixes for what lies in `range` of `file`.
    pub fn fixes(&self, file: FileId, range: TextRange) -> Vec<Fix> {
        let mut fixes = Vec::new();
        let touches = |r: TextRange| r.start() <= range.end() && range.start() <= r.end();
        for reference in self.index.references.iter() {
            if reference.file != file || !touches(reference.range) {
                continue;
            }
            match (reference.target, reference.kind) {
                (None, RefKind::Type) => {
                    fixes.extend(self.add_use_fixes(reference));
                    fixes.extend(self.did_you_mean(reference));
                }
                (
                    None,
                    RefKind::UseName | RefKind::UsePath | RefKind::Extern | RefKind::Include,
                ) => {
                    fixes.extend(self.did_you_mean(reference));
                }
                (Some(package), RefKind::Package) => {
                    fixes.extend(self.add_version(reference, package));
                }
                _ => {}
            }
        }
        for id in self.unused_aliases(file) {
            if touches(self.index.def(id).name_range)
                && let Some(fix) = self.remove_unused_use(id)
            {
                fixes.push(fix);
            }
        }
        if let [only] = fixes.as_mut_slice() {
            only.preferred = true;
        }
        fixes
    }

    /// The `use` names of `file` that nothing refers to.
    fn unused_aliases(&self, file: FileId) -> impl Iterator<Item = DefId> + '_ {
        let counts = self.index.reference_counts();
        self.index.def_ids().filter(move |&id| {
            let def = self.index.def(id);
            def.kind == DefKind::UseAlias && def.file == file && counts[id.0 as usize] == 0
        })
    }

    fn root(&self, file: FileId) -> SyntaxNode {
        self.file(file).parse.syntax()
    }

    /// `use iface.{name};` from each interface that defines a type `name`,
    /// in this package or another.
    fn add_use_fixes(&self, reference: &Reference) -> Vec<Fix> {
        let name = self
            .reference_text(reference)
            .trim_start_matches('%')
            .to_string();
        let Some(scope) = self.scope_at(reference.file, reference.range.start()) else {
            return Vec::new();
        };
        let own_package = self.package_of(scope);
        let mut fixes = Vec::new();
        for id in self.index.def_ids() {
            let def = self.index.def(id);
            let Some(interface) = def.parent else {
                continue;
            };
            let owner = self.index.def(interface);
            let top_level = owner
                .parent
                .is_some_and(|p| self.index.def(p).kind == DefKind::Package);
            if def.name != name
                || !def.kind.is_type()
                || owner.kind != DefKind::Interface
                || !top_level
                || interface == scope
            {
                continue;
            }
            let package = self.package_of(interface);
            let path = if package == own_package {
                escaped(&owner.name)
            } else {
                let Some(package) = package else { continue };
                self.full_path(package, &owner.name)
            };
            if let Some(edit) = self.use_edit(reference.file, scope, interface, &path, &name) {
                fixes.push(Fix::quick(
                    format!("Import `{name}` from `{path}`"),
                    reference.range,
                    vec![edit],
                ));
            }
        }
        fixes.sort_by(|a, b| a.title.cmp(&b.title));
        fixes
    }

    /// The edit that makes `name` of `interface` visible in `scope`: added
    /// to a `use` of that interface if the scope has one, else a new `use`
    /// after the scope's last one (or at the top of its body).
    fn use_edit(
        &self,
        file: FileId,
        scope: DefId,
        interface: DefId,
        path: &str,
        name: &str,
    ) -> Option<FileEdit> {
        let root = self.root(file);
        let scope_range = self.index.def(scope).full_range;
        let body = root
            .descendants()
            .filter(|n| matches!(n.kind(), INTERFACE | WORLD | INLINE_INTERFACE))
            .find(|n| n.text_range() == scope_range)
            .or_else(|| {
                root.descendants()
                    .filter(|n| matches!(n.kind(), INTERFACE | WORLD | INLINE_INTERFACE))
                    .filter(|n| n.text_range().contains_range(scope_range))
                    .min_by_key(|n| n.text_range().len())
            })?;
        let uses: Vec<SyntaxNode> = body.children().filter(|n| n.kind() == USE).collect();
        // A `use` of the same interface: add the name to its list.
        for use_node in &uses {
            let path_node = use_node.children().find(|n| n.kind() == USE_PATH)?;
            let same = self.index.references.iter().any(|r| {
                r.file == file
                    && r.kind == RefKind::UsePath
                    && path_node.text_range().contains_range(r.range)
                    && r.target.map(|t| self.index.original(t)) == Some(interface)
            });
            if !same {
                continue;
            }
            let list = use_node.children().find(|n| n.kind() == USE_NAME_LIST)?;
            let new_text = escaped(name);
            return Some(
                match list.children().filter(|n| n.kind() == USE_NAME).last() {
                    Some(last) => FileEdit {
                        file,
                        range: TextRange::empty(last.text_range().end()),
                        new_text: format!(", {new_text}"),
                    },
                    None => FileEdit {
                        file,
                        range: TextRange::empty(list.text_range().start() + TextSize::from(1)),
                        new_text,
                    },
                },
            );
        }
        let text = &self.file(file).text;
        let statement = format!("use {path}.{{{}}};", escaped(name));
        if let Some(last) = uses.last() {
            let indent = indentation_of(text, last.text_range().start());
            return Some(FileEdit {
                file,
                range: TextRange::empty(last.text_range().end()),
                new_text: format!("\n{indent}{statement}"),
            });
        }
        let open = body
            .children_with_tokens()
            .find(|e| e.kind() == L_BRACE)?
            .text_range();
        let outer = indentation_of(text, body.text_range().start());
        // The rest of the line after `{`: the statement goes on a line of
        // its own, and what followed `{` on its line moves to the next one.
        let rest = text[usize::from(open.end())..].trim_start_matches([' ', '\t']);
        let first_item = body
            .children()
            .find(|n| n.kind() != NAME && n.text_range().start() >= open.end());
        let indent = match &first_item {
            Some(item) if !rest.starts_with(|c| c != '\n' && c != '\r') => {
                indentation_of(text, item.text_range().start())
            }
            _ => format!("{outer}  "),
        };
        let after = if rest.starts_with('}') {
            format!("\n{outer}")
        } else if rest.starts_with(['\n', '\r']) || rest.is_empty() {
            String::new()
        } else {
            format!("\n{indent}")
        };
        // Spaces between `{` and what moves to the next line go too.
        let replaced = if after.is_empty() {
            TextRange::empty(open.end())
        } else {
            let skipped = text.len() - usize::from(open.end()) - rest.len();
            TextRange::at(open.end(), TextSize::from(skipped as u32))
        };
        Some(FileEdit {
            file,
            range: replaced,
            new_text: format!("\n{indent}{statement}{after}"),
        })
    }

    /// "Change to `x`" for the names close to an unresolved one.
    fn did_you_mean(&self, reference: &Reference) -> Vec<Fix> {
        let typed = self.reference_text(reference).trim_start_matches('%');
        let mut candidates: Vec<(usize, String)> = self
            .candidate_names(reference)
            .into_iter()
            .filter_map(|candidate| close_enough(typed, &candidate).map(|d| (d, candidate)))
            .collect();
        candidates.sort();
        candidates.dedup();
        candidates
            .into_iter()
            .take(3)
            .map(|(_, candidate)| {
                let new_text = if PRIMITIVES.contains(&candidate.as_str()) {
                    candidate.clone()
                } else {
                    escaped(&candidate)
                };
                Fix::quick(
                    format!("Change to `{candidate}`"),
                    reference.range,
                    vec![FileEdit {
                        file: reference.file,
                        range: reference.range,
                        new_text,
                    }],
                )
            })
            .collect()
    }

    /// The names an unresolved reference could have meant.
    fn candidate_names(&self, reference: &Reference) -> Vec<String> {
        let names_under = |parent: DefId, kinds: &dyn Fn(DefKind) -> bool| -> Vec<String> {
            self.index
                .def_ids()
                .filter(|&id| self.index.def(id).parent == Some(parent))
                .filter(|&id| kinds(self.index.def(self.index.original(id)).kind))
                .map(|id| self.index.def(id).name.clone())
                .collect()
        };
        let scope = self.scope_at(reference.file, reference.range.start());
        match reference.kind {
            RefKind::Type => {
                let mut names: Vec<String> = PRIMITIVES.iter().map(|p| p.to_string()).collect();
                if let Some(scope) = scope {
                    names.extend(names_under(scope, &|k| k.is_type()));
                }
                names
            }
            RefKind::UseName => {
                // The interface of the `use` this name is in: the path
                // just before it.
                let interface = self
                    .index
                    .references
                    .iter()
                    .filter(|r| {
                        r.file == reference.file
                            && r.kind == RefKind::UsePath
                            && r.range.end() <= reference.range.start()
                    })
                    .max_by_key(|r| r.range.end())
                    .and_then(|r| r.target)
                    .map(|t| self.index.original(t));
                interface.map_or_else(Vec::new, |i| names_under(i, &|k| k.is_type()))
            }
            RefKind::UsePath | RefKind::Extern | RefKind::Include => {
                let wanted = if reference.kind == RefKind::Include {
                    DefKind::World
                } else {
                    DefKind::Interface
                };
                let package = scope.and_then(|s| self.package_of(s));
                package.map_or_else(Vec::new, |p| names_under(p, &|k| k == wanted))
            }
            _ => Vec::new(),
        }
    }

    /// `ns:name/iface` → `ns:name/iface@1.2.0` when the package is versioned.
    fn add_version(&self, reference: &Reference, package: DefId) -> Option<Fix> {
        let version = self.index.def(package).name.split_once('@')?.1.to_string();
        let root = self.root(reference.file);
        let path = root
            .covering_element(reference.range)
            .ancestors()
            .find(|n| n.kind() == USE_PATH)?;
        if path.children().any(|n| n.kind() == VERSION) {
            return None;
        }
        Some(Fix::quick(
            format!("Add version `@{version}`"),
            path.text_range(),
            vec![FileEdit {
                file: reference.file,
                range: TextRange::empty(path.text_range().end()),
                new_text: format!("@{version}"),
            }],
        ))
    }

    /// Removes an unused `use` name, or the whole `use` when it is the only one.
    fn remove_unused_use(&self, alias: DefId) -> Option<Fix> {
        let def = self.index.def(alias);
        let root = self.root(def.file);
        let element = root.covering_element(def.name_range);
        let text = &self.file(def.file).text;
        let title = format!("Remove unused `{}`", def.name);
        let whole_statement = |statement: &SyntaxNode| {
            Fix::quick(
                title.clone(),
                def.name_range,
                vec![FileEdit {
                    file: def.file,
                    range: line_of(text, statement.text_range()),
                    new_text: String::new(),
                }],
            )
        };
        if let Some(statement) = element.ancestors().find(|n| n.kind() == TOPLEVEL_USE) {
            return Some(whole_statement(&statement));
        }
        let name = element.ancestors().find(|n| n.kind() == USE_NAME)?;
        let list = name.parent()?;
        let names: Vec<SyntaxNode> = list.children().filter(|n| n.kind() == USE_NAME).collect();
        let index = names.iter().position(|n| *n == name)?;
        if names.len() == 1 {
            return Some(whole_statement(&list.parent()?));
        }
        // With the comma that separates it from its neighbour.
        let range = match names.get(index + 1) {
            Some(next) => TextRange::new(name.text_range().start(), next.text_range().start()),
            None => TextRange::new(names[index - 1].text_range().end(), name.text_range().end()),
        };
        Some(Fix::quick(
            title,
            def.name_range,
            vec![FileEdit {
                file: def.file,
                range,
                new_text: String::new(),
            }],
        ))
    }

    /// "Organize uses": in each interface and world of `file`, its `use`s
    /// merged by path, sorted by path and by name, and unused names
    /// dropped. A body whose `use`s hold comments is left alone.
    pub fn organize_uses(&self, file: FileId) -> Option<Fix> {
        let root = self.root(file);
        let text = &self.file(file).text;
        let unused_names: Vec<TextRange> = self
            .unused_aliases(file)
            .map(|id| self.index.def(id).name_range)
            .collect();
        let unused = |range: TextRange| unused_names.iter().any(|&name| range.contains_range(name));
        let mut edits = Vec::new();
        for body in root
            .descendants()
            .filter(|n| matches!(n.kind(), INTERFACE | WORLD | INLINE_INTERFACE))
        {
            let uses: Vec<SyntaxNode> = body.children().filter(|n| n.kind() == USE).collect();
            let has_comment = uses.iter().any(|u| {
                u.descendants_with_tokens()
                    .any(|e| e.kind() == COMMENT || e.kind() == ERROR)
            });
            if uses.is_empty() || has_comment {
                continue;
            }
            // path → names (`a` or `a as b`)
            let mut merged: FxHashMap<String, Vec<String>> = FxHashMap::default();
            let mut order: Vec<String> = Vec::new();
            for use_node in &uses {
                let Some(path) = use_node.children().find(|n| n.kind() == USE_PATH) else {
                    continue;
                };
                let path = compact(&path);
                let names = merged.entry(path.clone()).or_insert_with(|| {
                    order.push(path.clone());
                    Vec::new()
                });
                for name in use_node.descendants().filter(|n| n.kind() == USE_NAME) {
                    if !unused(name.text_range()) {
                        names.push(spaced(&name));
                    }
                }
            }
            // This package's interfaces first, then other packages'.
            order.sort_by_key(|path| (path.contains(':'), path.clone()));
            let statements: Vec<String> = order
                .iter()
                .filter_map(|path| {
                    let mut names = merged.remove(path)?;
                    names.sort();
                    names.dedup();
                    (!names.is_empty()).then(|| format!("use {path}.{{{}}};", names.join(", ")))
                })
                .collect();
            for (i, use_node) in uses.iter().enumerate() {
                let range = use_node.text_range();
                match statements.get(i) {
                    Some(statement) if text[range] != **statement => edits.push(FileEdit {
                        file,
                        range,
                        new_text: statement.clone(),
                    }),
                    Some(_) => {}
                    None => edits.push(FileEdit {
                        file,
                        range: line_of(text, range),
                        new_text: String::new(),
                    }),
                }
            }
        }
        (!edits.is_empty()).then(|| Fix {
            title: "Organize `use`s".to_string(),
            kind: FixKind::OrganizeUses,
            edits,
            problem: None,
            preferred: false,
        })
    }
}

/// A node's text without whitespace (`wasi:io/streams@0.2.0`).
fn compact(node: &SyntaxNode) -> String {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| t.kind() != WHITESPACE)
        .map(|t| t.text().to_string())
        .collect()
}

/// A `use` name's text with single spaces (`a as b`).
fn spaced(node: &SyntaxNode) -> String {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| t.kind() != WHITESPACE)
        .map(|t| t.text().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The spaces and tabs before `offset` on its line.
fn indentation_of(text: &str, offset: TextSize) -> String {
    let offset = usize::from(offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// `range` widened to whole lines when nothing else is on them, so that
/// deleting it leaves no blank line behind.
fn line_of(text: &str, range: TextRange) -> TextRange {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let blank_before = text[line_start..start].trim().is_empty();
    let blank_after = text[end..line_end].trim().is_empty();
    if blank_before && blank_after {
        TextRange::new(
            TextSize::from(line_start as u32),
            TextSize::from(line_end as u32),
        )
    } else {
        range
    }
}
