//! Completion: what may be written at a cursor, read from the tokens before
//! it (so it works in half-typed, broken code) and the symbol index (for
//! the names in scope).

use super::index::{DefId, DefKind, RefKind};
use super::{FileId, PackageAnalysis};
use crate::syntax::SyntaxKind::{self, *};
use crate::syntax::lexer::tokenize;
use crate::syntax::{TextRange, TextSize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    /// A built-in type (`u32`, `string`, `list<…>`).
    BuiltinType,
    /// A definition from the index.
    Definition(DefKind),
    /// A package path (`ns:name/iface`).
    Package,
    /// A skeleton of an item.
    Snippet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// What to insert, when it is not the label; `$1`-style placeholders
    /// when `is_snippet`.
    pub insert: Option<String>,
    pub is_snippet: bool,
    pub detail: Option<String>,
    /// The text a client matches what was typed against, when it is not
    /// the label (a package path shown by its last part).
    pub filter: Option<String>,
    /// The text the completion replaces: the word (or package path) typed
    /// so far, up to the cursor.
    pub replace: TextRange,
}

impl Completion {
    fn plain(label: &str, kind: CompletionKind) -> Completion {
        Completion {
            label: label.to_string(),
            kind,
            insert: None,
            is_snippet: false,
            detail: None,
            filter: None,
            replace: TextRange::default(),
        }
    }

    fn snippet(label: &str, kind: CompletionKind, body: &str, detail: &str) -> Completion {
        Completion {
            label: label.to_string(),
            kind,
            insert: Some(body.to_string()),
            is_snippet: true,
            detail: Some(detail.to_string()),
            filter: None,
            replace: TextRange::default(),
        }
    }

    /// A name, `%`-escaped where it is a keyword.
    fn name(name: &str, kind: CompletionKind, detail: Option<String>) -> Completion {
        Completion {
            label: name.to_string(),
            kind,
            insert: SyntaxKind::from_keyword(name).map(|_| format!("%{name}")),
            is_snippet: false,
            detail,
            filter: None,
            replace: TextRange::default(),
        }
    }
}

pub(super) const PRIMITIVES: &[&str] = &[
    "bool", "s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64", "f32", "f64", "char", "string",
];

/// Generic types, with their snippet bodies.
const GENERICS: &[(&str, &str)] = &[
    ("list", "list<$1>"),
    ("option", "option<$1>"),
    ("result", "result<$1, $2>"),
    ("tuple", "tuple<$1>"),
    ("borrow", "borrow<$1>"),
    ("own", "own<$1>"),
    ("future", "future<$1>"),
    ("stream", "stream<$1>"),
];

/// A significant (non-trivia) token before the cursor.
#[derive(Debug, Clone, Copy)]
struct Word<'t> {
    kind: SyntaxKind,
    text: &'t str,
    start: usize,
}

/// What kind of place the cursor is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    TopLevel,
    InterfaceItem,
    WorldItem,
    ResourceItem,
    /// After `name:` in an interface, world or resource: `func` and friends.
    AfterItemColon,
    Type,
    /// After `use`, `import`, `export`: interfaces and package paths.
    InterfacePath,
    /// After `include`: worlds.
    WorldPath,
    /// A package path being typed after `use`, `import`, `export` (an
    /// interface) or `include` (a world): `ns:`, `ns:name/`, `ns:name/x@`.
    PackagePath {
        keyword: SyntaxKind,
        start: usize,
    },
    /// Inside `use path.{…}`: the items of the interface named by `path`.
    UseNames,
    /// Somewhere nothing is offered (a name being defined, a comment).
    Nothing,
}

/// An open bracket and what opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opener {
    Body(SyntaxKind),
    UseList,
    /// `(` or `<`.
    Bracket,
}

impl PackageAnalysis {
    /// Completions at `offset` of `file`.
    pub fn completions(&self, file: FileId, offset: TextSize) -> Vec<Completion> {
        let text = &self.file(file).text;
        let end = usize::from(offset).min(text.len());
        let before = &text[..end];
        let (place, significant, word_start) = place_at(before);
        let scope = self.scope_at(file, offset);
        let mut found = self.completions_for(place, file, scope, &significant, before);
        let word = TextRange::new(TextSize::from(word_start as u32), offset);
        for completion in &mut found {
            if completion.replace.is_empty() {
                completion.replace = word;
            }
        }
        found
    }

    fn completions_for(
        &self,
        place: Place,
        file: FileId,
        scope: Option<DefId>,
        significant: &[Word<'_>],
        before: &str,
    ) -> Vec<Completion> {
        match place {
            Place::TopLevel => keywords(&["package", "interface", "world", "use"])
                .chain(top_level_snippets())
                .collect(),
            Place::InterfaceItem => keywords(&[
                "use", "type", "record", "variant", "enum", "flags", "resource",
            ])
            .chain(type_snippets())
            .chain([Completion::snippet(
                "func",
                CompletionKind::Snippet,
                "${1:name}: func(${2}) -> ${3:u32};",
                "function",
            )])
            .collect(),
            Place::WorldItem => keywords(&[
                "import", "export", "include", "use", "type", "record", "variant", "enum", "flags",
                "resource",
            ])
            .chain(type_snippets())
            .collect(),
            Place::ResourceItem => keywords(&["constructor"])
                .chain([Completion::snippet(
                    "method",
                    CompletionKind::Snippet,
                    "${1:name}: func(${2}) -> ${3:u32};",
                    "method",
                )])
                .collect(),
            Place::AfterItemColon => keywords(&["func", "async", "static", "interface"]).collect(),
            Place::Type => self.types_in_scope(scope),
            Place::InterfacePath => self.paths(file, scope, DefKind::Interface),
            Place::WorldPath => self.paths(file, scope, DefKind::World),
            Place::PackagePath { keyword, start } => {
                let mut found = self.package_paths(keyword, &before[start..]);
                let range = TextRange::new(
                    TextSize::from(start as u32),
                    TextSize::from(before.len() as u32),
                );
                for completion in &mut found {
                    completion.replace = range;
                }
                // `import name:` in a world may also start a function.
                if matches!(keyword, IMPORT_KW | EXPORT_KW) && before[start..].ends_with(':') {
                    found.extend(keywords(&["func", "async", "interface"]));
                }
                found
            }
            Place::UseNames => self.use_names(file, significant),
            Place::Nothing => Vec::new(),
        }
    }

    /// The innermost interface (inline ones included), world or resource
    /// whose body holds `offset`.
    pub(super) fn scope_at(&self, file: FileId, offset: TextSize) -> Option<DefId> {
        self.index
            .def_ids()
            .filter(|&id| {
                let d = self.index.def(id);
                d.file == file
                    && matches!(d.kind, DefKind::Interface | DefKind::World)
                    && d.full_range.contains_inclusive(offset)
            })
            .min_by_key(|&id| self.index.def(id).full_range.len())
    }

    fn types_in_scope(&self, scope: Option<DefId>) -> Vec<Completion> {
        let mut found: Vec<Completion> = PRIMITIVES
            .iter()
            .map(|p| Completion::plain(p, CompletionKind::BuiltinType))
            .chain(GENERICS.iter().map(|(label, body)| Completion {
                label: label.to_string(),
                kind: CompletionKind::BuiltinType,
                insert: Some(body.to_string()),
                is_snippet: true,
                detail: None,
                filter: None,
                replace: TextRange::default(),
            }))
            .collect();
        let Some(scope) = scope else {
            return found;
        };
        let mut names: Vec<Completion> = self
            .index
            .def_ids()
            .filter(|&id| self.index.def(id).parent == Some(scope))
            .filter_map(|id| {
                let d = self.index.def(id);
                let original = self.index.def(self.index.original(id));
                let is_type =
                    d.kind.is_type() || (d.kind == DefKind::UseAlias && original.kind.is_type());
                is_type.then(|| {
                    let from = (d.kind == DefKind::UseAlias)
                        .then(|| format!("{} (use)", original.kind.describe()));
                    Completion::name(&d.name, CompletionKind::Definition(original.kind), from)
                })
            })
            .collect();
        names.sort_by(|a, b| a.label.cmp(&b.label));
        names.dedup_by(|a, b| a.label == b.label);
        found.extend(names);
        found
    }

    /// Interfaces (or worlds) a path can name from here: those of this
    /// package by name, the file's top-level `use` names, and every other
    /// package's as `ns:name/item@version`.
    fn paths(&self, file: FileId, scope: Option<DefId>, kind: DefKind) -> Vec<Completion> {
        let own_package = scope.and_then(|s| self.package_of(s));
        let mut found = Vec::new();
        for id in self.index.def_ids() {
            let d = self.index.def(id);
            if d.kind != kind {
                continue;
            }
            let Some(package) = d
                .parent
                .filter(|&p| self.index.def(p).kind == DefKind::Package)
            else {
                continue;
            };
            if Some(package) == own_package {
                if Some(id) != scope {
                    found.push(Completion::name(
                        &d.name,
                        CompletionKind::Definition(kind),
                        None,
                    ));
                }
            } else {
                let mut path =
                    Completion::plain(&self.full_path(package, &d.name), CompletionKind::Package);
                path.detail = Some(kind.describe().to_string());
                found.push(path);
            }
        }
        if kind == DefKind::Interface {
            for id in self.index.def_ids() {
                let d = self.index.def(id);
                if d.kind == DefKind::UseAlias && d.parent.is_none() && d.file == file {
                    found.push(Completion::name(
                        &d.name,
                        CompletionKind::Definition(kind),
                        Some("use".into()),
                    ));
                }
            }
        }
        found.sort_by(|a, b| a.label.cmp(&b.label));
        found.dedup_by(|a, b| a.label == b.label);
        found
    }

    pub(super) fn package_of(&self, mut def: DefId) -> Option<DefId> {
        loop {
            let d = self.index.def(def);
            if d.kind == DefKind::Package {
                return Some(def);
            }
            def = d.parent?;
        }
    }

    /// `ns:name/item@version` for an item of `package`.
    pub(super) fn full_path(&self, package: DefId, item: &str) -> String {
        let package = &self.index.def(package).name;
        match package.split_once('@') {
            Some((name, version)) => format!("{name}/{item}@{version}"),
            None => format!("{package}/{item}"),
        }
    }

    /// The package paths that continue `typed` (which holds a `:`): every
    /// interface (after `include`: world) of a package, shown by the part
    /// after the last `/` or `@` typed, matched and inserted whole.
    fn package_paths(&self, keyword: SyntaxKind, typed: &str) -> Vec<Completion> {
        let kind = if keyword == INCLUDE_KW {
            DefKind::World
        } else {
            DefKind::Interface
        };
        // What is typed up to its last separator must match exactly; the
        // client filters the rest.
        let cut = typed.rfind(['/', '@']).map(|i| i + 1);
        let fixed = &typed[..cut.unwrap_or(0)];
        let mut found: Vec<Completion> = self
            .index
            .def_ids()
            .filter_map(|id| {
                let d = self.index.def(id);
                let package = d
                    .parent
                    .filter(|&p| self.index.def(p).kind == DefKind::Package)?;
                (d.kind == kind).then(|| self.full_path(package, &d.name))
            })
            .filter(|path| path.starts_with(fixed))
            .map(|path| {
                let mut completion =
                    Completion::plain(&path[fixed.len()..], CompletionKind::Package);
                completion.detail = Some(kind.describe().to_string());
                if cut.is_some() {
                    completion.filter = Some(path.clone());
                    completion.insert = Some(path);
                }
                completion
            })
            .collect();
        found.sort_by(|a, b| a.label.cmp(&b.label));
        found.dedup_by(|a, b| a.label == b.label);
        found
    }

    /// Inside `use path.{…}`: the types of the interface `path` names, as
    /// the index resolved it.
    fn use_names(&self, file: FileId, significant: &[Word<'_>]) -> Vec<Completion> {
        // Find the `.` before the open `{`; the path's last name ends there.
        let Some(brace) = significant.iter().rposition(|w| w.kind == L_BRACE) else {
            return Vec::new();
        };
        let Some(dot) = brace.checked_sub(1).filter(|&i| significant[i].kind == DOT) else {
            return Vec::new();
        };
        // The path is the last `use` path before that `.` (its name may be
        // followed by `@version`).
        let dot_start = significant[dot].start;
        let interface = self
            .index
            .references
            .iter()
            .filter(|r| r.file == file && r.kind == RefKind::UsePath)
            .filter(|r| usize::from(r.range.end()) <= dot_start)
            .max_by_key(|r| r.range.end())
            .and_then(|r| r.target)
            .map(|t| self.index.original(t));
        let Some(interface) = interface else {
            return Vec::new();
        };
        let mut found: Vec<Completion> = self
            .index
            .def_ids()
            .filter(|&id| {
                let d = self.index.def(id);
                d.parent == Some(interface) && (d.kind.is_type() || d.kind == DefKind::UseAlias)
            })
            .map(|id| {
                let d = self.index.def(id);
                let kind = self.index.def(self.index.original(id)).kind;
                Completion::name(&d.name, CompletionKind::Definition(kind), None)
            })
            .collect();
        found.sort_by(|a, b| a.label.cmp(&b.label));
        found
    }
}

fn keywords<'a>(words: &'a [&'a str]) -> impl Iterator<Item = Completion> + 'a {
    words
        .iter()
        .map(|w| Completion::plain(w, CompletionKind::Keyword))
}

fn type_snippets() -> impl Iterator<Item = Completion> {
    [
        (
            "record …",
            "record ${1:name} {\n\t${2:field}: ${3:u32},\n}",
            "record",
        ),
        (
            "variant …",
            "variant ${1:name} {\n\t${2:case},\n}",
            "variant",
        ),
        ("enum …", "enum ${1:name} {\n\t${2:case},\n}", "enum"),
        ("flags …", "flags ${1:name} {\n\t${2:flag},\n}", "flags"),
        (
            "resource …",
            "resource ${1:name} {\n\tconstructor(${2});\n}",
            "resource",
        ),
    ]
    .into_iter()
    .map(|(label, body, detail)| Completion::snippet(label, CompletionKind::Snippet, body, detail))
}

fn top_level_snippets() -> impl Iterator<Item = Completion> {
    [
        ("interface …", "interface ${1:name} {\n\t$0\n}", "interface"),
        ("world …", "world ${1:name} {\n\t$0\n}", "world"),
    ]
    .into_iter()
    .map(|(label, body, detail)| Completion::snippet(label, CompletionKind::Snippet, body, detail))
}

/// The place at the end of `before` (the text up to the cursor), its
/// significant tokens without the word being typed, and where that word
/// starts (the cursor, when none is being typed).
fn place_at(before: &str) -> (Place, Vec<Word<'_>>, usize) {
    let (tokens, _) = tokenize(before);
    let mut significant = Vec::new();
    let mut offset = 0;
    let mut last_trivia_end = None;
    for token in &tokens {
        let start = offset;
        offset += token.len as usize;
        if token.kind.is_trivia() {
            last_trivia_end = Some((token.kind, offset));
        } else {
            significant.push(Word {
                kind: token.kind,
                text: &before[start..offset],
                start,
            });
        }
    }
    // In a comment (or a block comment still open): nothing.
    if let Some((COMMENT, end)) = last_trivia_end
        && end == before.len()
    {
        return (Place::Nothing, significant, before.len());
    }
    if let Some(place) = package_path(&significant, before.len()) {
        return (place, significant, before.len());
    }
    // The word being typed, if the cursor touches it, is not context.
    let typing = tokens.last().is_some_and(|t| {
        !t.kind.is_trivia() && (matches!(t.kind, IDENT | EXPLICIT_IDENT) || t.kind.is_keyword())
    });
    let mut word_start = before.len();
    if typing && let Some(word) = significant.pop() {
        word_start = word.start;
    }
    (place_of(&significant), significant, word_start)
}

/// A package path that touches the cursor (`end`) and follows `use`,
/// `import`, `export` or `include`: `ns:`, `ns:na`, `ns:name/i`, `ns:name/i@1.`.
fn package_path(significant: &[Word<'_>], end: usize) -> Option<Place> {
    let mut start = end;
    let mut first = significant.len();
    for (i, word) in significant.iter().enumerate().rev() {
        let joined = word.start + word.text.len() == start;
        let path_part = matches!(
            word.kind,
            IDENT | EXPLICIT_IDENT | COLON | SLASH | AT | INTEGER | DOT | MINUS | PLUS
        ) || word.kind.is_keyword();
        if !joined || !path_part {
            break;
        }
        start = word.start;
        first = i;
    }
    if !significant[first..].iter().any(|w| w.kind == COLON) {
        return None;
    }
    let keyword = significant[..first].last()?.kind;
    matches!(keyword, USE_KW | IMPORT_KW | EXPORT_KW | INCLUDE_KW)
        .then_some(Place::PackagePath { keyword, start })
}

fn place_of(tokens: &[Word<'_>]) -> Place {
    // Brackets still open at the cursor, with what opened them.
    let mut open: Vec<Opener> = Vec::new();
    for (i, word) in tokens.iter().enumerate() {
        match word.kind {
            L_BRACE => {
                let opener = if i > 0 && tokens[i - 1].kind == DOT {
                    Opener::UseList
                } else {
                    // The keyword of the item this body belongs to.
                    let keyword = tokens[..i]
                        .iter()
                        .rev()
                        .map(|w| w.kind)
                        .find(|k| {
                            matches!(
                                k,
                                INTERFACE_KW
                                    | WORLD_KW
                                    | RECORD_KW
                                    | VARIANT_KW
                                    | ENUM_KW
                                    | FLAGS_KW
                                    | RESOURCE_KW
                                    | WITH_KW
                                    | PACKAGE_KW
                            )
                        })
                        .unwrap_or(L_BRACE);
                    Opener::Body(keyword)
                };
                open.push(opener);
            }
            L_PAREN | L_ANGLE => open.push(Opener::Bracket),
            R_BRACE | R_PAREN | R_ANGLE => {
                open.pop();
            }
            _ => {}
        }
    }
    let last = tokens.last().map(|w| w.kind);
    let before_last = tokens.len().checked_sub(2).map(|i| tokens[i].kind);
    let item_start = matches!(last, None | Some(L_BRACE | SEMICOLON | R_BRACE));
    match last {
        Some(USE_KW | IMPORT_KW | EXPORT_KW) => return Place::InterfacePath,
        Some(INCLUDE_KW) => return Place::WorldPath,
        Some(ARROW | EQ) => return Place::Type,
        _ => {}
    }
    // `import name: ` in a world names an interface or a function.
    if last == Some(COLON)
        && tokens.len() >= 3
        && matches!(tokens[tokens.len() - 3].kind, IMPORT_KW | EXPORT_KW)
    {
        return Place::AfterItemColon;
    }
    match open.last() {
        Some(Opener::UseList) => Place::UseNames,
        Some(Opener::Bracket) => match last {
            Some(COLON | L_ANGLE | COMMA | L_PAREN) => Place::Type,
            _ => Place::Nothing,
        },
        Some(Opener::Body(RECORD_KW)) => match last {
            Some(COLON) => Place::Type,
            _ => Place::Nothing,
        },
        Some(Opener::Body(INTERFACE_KW)) if item_start => Place::InterfaceItem,
        Some(Opener::Body(WORLD_KW)) if item_start => Place::WorldItem,
        Some(Opener::Body(RESOURCE_KW)) if item_start => Place::ResourceItem,
        Some(Opener::Body(INTERFACE_KW | WORLD_KW | RESOURCE_KW))
            if last == Some(COLON) && matches!(before_last, Some(IDENT | EXPLICIT_IDENT)) =>
        {
            Place::AfterItemColon
        }
        Some(Opener::Body(PACKAGE_KW)) if item_start => Place::TopLevel,
        None if item_start => Place::TopLevel,
        _ => Place::Nothing,
    }
}
