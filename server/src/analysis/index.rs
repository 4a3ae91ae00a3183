//! The symbol index: every definition and every reference of a package root
//! (its deps included), each reference resolved with WIT's scoping rules.
//!
//! Scopes, as wit-parser resolves names:
//! - a package holds its interfaces and worlds (all its files together);
//! - a file's top-level `use pkg:name/iface as x;` adds `x` for that file's
//!   paths only;
//! - an interface (or inline interface) holds its types, functions and the
//!   names its `use` items bring in; a world likewise holds its types,
//!   `use` names and import/export items.
//!
//! A `use a.{t as u}` item yields a reference (`t`, to `a.t`) and a
//! definition (`u`, a [`DefKind::UseAlias`] whose `alias_of` is `a.t`); type
//! references to `u` point to the alias. Without `as`, both share a range.

use rustc_hash::FxHashMap as HashMap;

use super::{FileId, SourceFile, SourceGroup};
use crate::syntax::tree::{self, Gate};
use crate::syntax::{SyntaxKind::*, SyntaxNode, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DefId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DefKind {
    Package,
    Interface,
    World,
    TypeAlias,
    Record,
    Variant,
    Enum,
    Flags,
    Resource,
    Function,
    Constructor,
    Method,
    StaticMethod,
    Field,
    Case,
    EnumCase,
    Flag,
    Param,
    /// A name brought into scope by `use` (top-level or in an item).
    UseAlias,
    /// The label of `import label: pkg:name/iface;` in a world.
    ExternLabel,
}

impl DefKind {
    pub fn is_type(self) -> bool {
        matches!(
            self,
            DefKind::TypeAlias
                | DefKind::Record
                | DefKind::Variant
                | DefKind::Enum
                | DefKind::Flags
                | DefKind::Resource
        )
    }
}

#[derive(Debug, Clone)]
pub struct Definition {
    pub kind: DefKind,
    pub name: String,
    /// `None` for packages only known by name (no source, e.g. `.wasm` deps).
    pub file: FileId,
    /// The identifier (for packages: `ns:name@version`).
    pub name_range: TextRange,
    /// The whole item, doc comments excluded.
    pub full_range: TextRange,
    pub parent: Option<DefId>,
    pub docs: Vec<String>,
    pub gates: Vec<Gate>,
    /// For [`DefKind::UseAlias`]: what the name stands for.
    pub alias_of: Option<DefId>,
    /// Whether the item is exported from a world (for lints and lenses).
    pub exported: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefKind {
    /// A type name in a type expression, `own<…>` or `borrow<…>`.
    Type,
    /// The interface of a `use` item or top-level `use`.
    UsePath,
    /// A name in `use path.{name}`.
    UseName,
    /// The world of an `include`.
    Include,
    /// A name in `include w with { name as … }`.
    IncludeName,
    /// The interface of `import`/`export`.
    Extern,
    /// The `ns:name` of a package-qualified path.
    Package,
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub file: FileId,
    pub range: TextRange,
    pub kind: RefKind,
    pub name: String,
    /// `None` when the name does not resolve (wit-parser reports why).
    pub target: Option<DefId>,
}

#[derive(Debug, Default)]
pub struct SymbolIndex {
    pub definitions: Vec<Definition>,
    pub references: Vec<Reference>,
}

impl SymbolIndex {
    pub fn def(&self, id: DefId) -> &Definition {
        &self.definitions[id.0 as usize]
    }

    pub fn def_ids(&self) -> impl Iterator<Item = DefId> + '_ {
        (0..self.definitions.len() as u32).map(DefId)
    }

    /// The definition an alias stands for, following chains of `use`.
    pub fn original(&self, mut id: DefId) -> DefId {
        for _ in 0..64 {
            match self.def(id).alias_of {
                Some(next) if self.def(id).kind == DefKind::UseAlias => id = next,
                _ => break,
            }
        }
        id
    }

    /// How many references point at each definition, by `DefId`.
    pub fn reference_counts(&self) -> Vec<u32> {
        let mut counts = vec![0; self.definitions.len()];
        for target in self.references.iter().filter_map(|r| r.target) {
            counts[target.0 as usize] += 1;
        }
        counts
    }

    /// The reference at `offset` in `file`, if any.
    pub fn reference_at(
        &self,
        file: FileId,
        offset: crate::syntax::TextSize,
    ) -> Option<&Reference> {
        self.references
            .iter()
            .find(|r| r.file == file && r.range.contains_inclusive(offset))
    }

    pub fn build(files: &[SourceFile], groups: &[SourceGroup]) -> SymbolIndex {
        let mut builder = Builder::default();
        builder.collect(files, groups);
        builder.resolve();
        builder.index
    }
}

/// The identity of a package: `ns:name` and its version, if any.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PackageKey {
    namespace: String,
    name: String,
    version: Option<String>,
}

/// Names visible in each scope (a package, file or item): the first
/// definition of a name wins, as in wit-parser's error for duplicates.
struct Names<Scope>(HashMap<Scope, HashMap<String, DefId>>);

impl<Scope> Default for Names<Scope> {
    fn default() -> Self {
        Names(HashMap::default())
    }
}

impl<Scope: std::hash::Hash + Eq> Names<Scope> {
    fn insert(&mut self, scope: Scope, name: String, id: DefId) {
        self.0.entry(scope).or_default().entry(name).or_insert(id);
    }

    fn get(&self, scope: Scope, name: &str) -> Option<DefId> {
        self.0.get(&scope)?.get(name).copied()
    }
}

/// A body whose items are resolved later, with the scope it belongs to.
struct PendingScope {
    file: FileId,
    node: SyntaxNode,
    scope: DefId,
    package: Option<DefId>,
}

#[derive(Default)]
struct Builder {
    index: SymbolIndex,
    packages: Vec<(PackageKey, DefId)>,
    /// Interfaces and worlds by package and name.
    package_items: Names<DefId>,
    /// Names visible inside an interface, world or resource.
    scope_items: Names<DefId>,
    /// Top-level `use` names, per file.
    file_aliases: Names<FileId>,
    /// The package each file (or nested package node) belongs to.
    pending: Vec<PendingScope>,
    toplevel_uses: Vec<(FileId, SyntaxNode, Option<DefId>, DefId)>,
    /// `include … with { a as b }`: the definition of `b`, by the start of
    /// its `INCLUDE_NAME` node.
    include_aliases: HashMap<(FileId, crate::syntax::TextSize), DefId>,
    /// `use` items whose alias definitions need their targets.
    item_uses: Vec<(FileId, SyntaxNode, DefId, Option<DefId>)>,
}

impl Builder {
    fn add_def(&mut self, def: Definition) -> DefId {
        let id = DefId(self.index.definitions.len() as u32);
        self.index.definitions.push(def);
        id
    }

    fn def_from_node(
        &mut self,
        file: FileId,
        kind: DefKind,
        node: &SyntaxNode,
        parent: Option<DefId>,
    ) -> Option<DefId> {
        let name_node = tree::name(node)?;
        let token = tree::ident_token(&name_node)?;
        // WIT's grammar puts no gates on members, and no docs on parameters.
        let member = matches!(
            kind,
            DefKind::Field | DefKind::Case | DefKind::EnumCase | DefKind::Flag | DefKind::Param
        );
        Some(self.add_def(Definition {
            kind,
            name: tree::ident_text(&token).to_string(),
            file,
            name_range: token.text_range(),
            full_range: node.text_range(),
            parent,
            docs: if kind == DefKind::Param {
                Vec::new()
            } else {
                tree::docs(node)
            },
            gates: if member {
                Vec::new()
            } else {
                tree::gates(node)
            },
            alias_of: None,
            exported: false,
        }))
    }

    // ---- pass 1: definitions ------------------------------------------

    fn collect(&mut self, files: &[SourceFile], groups: &[SourceGroup]) {
        for group in groups {
            // Files of a directory package without their own `package …;`
            // belong to the package another file of the group declares.
            let mut group_package = None;
            for &file in &group.files {
                let root = files[file.0 as usize].parse.syntax();
                if let Some(decl) = tree::child(&root, PACKAGE_DECL) {
                    group_package = self.package_def(file, &decl);
                    break;
                }
            }
            for &file in &group.files {
                let root = files[file.0 as usize].parse.syntax();
                self.collect_decls(file, &root, group_package);
            }
        }
    }

    /// The package that `node` (a `PACKAGE_DECL` or `NESTED_PACKAGE`)
    /// declares, defined the first time it is seen.
    fn package_def(&mut self, file: FileId, node: &SyntaxNode) -> Option<DefId> {
        let name = tree::child(node, PACKAGE_NAME)?;
        let key = package_key(&name)?;
        if let Some((_, id)) = self.packages.iter().find(|(k, _)| *k == key) {
            return Some(*id);
        }
        let full = format!(
            "{}:{}{}",
            key.namespace,
            key.name,
            key.version
                .as_deref()
                .map(|v| format!("@{v}"))
                .unwrap_or_default()
        );
        let id = self.add_def(Definition {
            kind: DefKind::Package,
            name: full,
            file,
            name_range: name.text_range(),
            full_range: node.text_range(),
            parent: None,
            docs: tree::docs(node),
            gates: Vec::new(),
            alias_of: None,
            exported: false,
        });
        self.packages.push((key, id));
        Some(id)
    }

    fn collect_decls(&mut self, file: FileId, list: &SyntaxNode, package: Option<DefId>) {
        for item in list.children() {
            match item.kind() {
                INTERFACE => {
                    if let Some(id) = self.def_from_node(file, DefKind::Interface, &item, package) {
                        self.register_package_item(package, id);
                        self.collect_interface_body(file, &item, id, package);
                    }
                }
                WORLD => {
                    if let Some(id) = self.def_from_node(file, DefKind::World, &item, package) {
                        self.register_package_item(package, id);
                        self.collect_world_body(file, &item, id, package);
                    }
                }
                NESTED_PACKAGE => {
                    let nested = self.package_def(file, &item);
                    self.collect_decls(file, &item, nested);
                }
                TOPLEVEL_USE => {
                    let alias = self.use_alias_def(file, &item, None);
                    if let Some(alias) = alias {
                        let name = self.index.def(alias).name.clone();
                        self.file_aliases.insert(file, name, alias);
                        self.toplevel_uses
                            .push((file, item.clone(), package, alias));
                    }
                }
                _ => {}
            }
        }
    }

    fn register_package_item(&mut self, package: Option<DefId>, id: DefId) {
        if let Some(package) = package {
            let name = self.index.def(id).name.clone();
            self.package_items.insert(package, name, id);
        }
    }

    fn register_scope_item(&mut self, scope: DefId, id: DefId) {
        let name = self.index.def(id).name.clone();
        self.scope_items.insert(scope, name, id);
    }

    /// The alias a top-level `use` defines: its `as` name, else the last
    /// segment of its path.
    fn use_alias_def(
        &mut self,
        file: FileId,
        node: &SyntaxNode,
        parent: Option<DefId>,
    ) -> Option<DefId> {
        let (token, full) = match tree::name(node) {
            Some(name) => (tree::ident_token(&name)?, node.text_range()),
            None => {
                let path = tree::child(node, USE_PATH)?;
                (tree::ident_token(&path)?, node.text_range())
            }
        };
        Some(self.add_def(Definition {
            kind: DefKind::UseAlias,
            name: tree::ident_text(&token).to_string(),
            file,
            name_range: token.text_range(),
            full_range: full,
            parent,
            docs: Vec::new(),
            gates: tree::gates(node),
            alias_of: None,
            exported: false,
        }))
    }

    fn collect_interface_body(
        &mut self,
        file: FileId,
        node: &SyntaxNode,
        scope: DefId,
        package: Option<DefId>,
    ) {
        for item in node.children() {
            match item.kind() {
                kind @ (TYPE_ALIAS | RECORD | VARIANT | ENUM | FLAGS | RESOURCE) => {
                    self.collect_type_def(file, &item, kind, scope);
                }
                FUNC_ITEM => {
                    if let Some(id) =
                        self.def_from_node(file, DefKind::Function, &item, Some(scope))
                    {
                        self.register_scope_item(scope, id);
                        self.collect_params(file, &item, id);
                    }
                }
                USE => self.collect_use_names(file, &item, scope, package),
                _ => {}
            }
        }
        self.pending.push(PendingScope {
            file,
            node: node.clone(),
            scope,
            package,
        });
    }

    fn collect_world_body(
        &mut self,
        file: FileId,
        node: &SyntaxNode,
        world: DefId,
        package: Option<DefId>,
    ) {
        for item in node.children() {
            match item.kind() {
                kind @ (TYPE_ALIAS | RECORD | VARIANT | ENUM | FLAGS | RESOURCE) => {
                    self.collect_type_def(file, &item, kind, world);
                }
                USE => self.collect_use_names(file, &item, world, package),
                INCLUDE => self.collect_include_names(file, &item, world),
                IMPORT | EXPORT => {
                    let exported = item.kind() == EXPORT;
                    if let Some(func) = tree::child(&item, FUNC_ITEM) {
                        if let Some(id) =
                            self.def_from_node(file, DefKind::Function, &func, Some(world))
                        {
                            self.index.definitions[id.0 as usize].exported = exported;
                            self.index.definitions[id.0 as usize].docs = tree::docs(&item);
                            self.index.definitions[id.0 as usize].gates = tree::gates(&item);
                            self.register_scope_item(world, id);
                            self.collect_params(file, &func, id);
                        }
                    } else if let Some(inline) = tree::child(&item, INLINE_INTERFACE) {
                        if let Some(id) =
                            self.def_from_node(file, DefKind::Interface, &inline, Some(world))
                        {
                            self.index.definitions[id.0 as usize].exported = exported;
                            self.index.definitions[id.0 as usize].docs = tree::docs(&item);
                            self.register_scope_item(world, id);
                            self.collect_interface_body(file, &inline, id, package);
                        }
                    } else if let Some(named) = tree::child(&item, NAMED_PATH) {
                        if let Some(id) =
                            self.def_from_node(file, DefKind::ExternLabel, &named, Some(world))
                        {
                            self.index.definitions[id.0 as usize].exported = exported;
                            self.register_scope_item(world, id);
                        }
                    }
                }
                _ => {}
            }
        }
        self.pending.push(PendingScope {
            file,
            node: node.clone(),
            scope: world,
            package,
        });
    }

    fn collect_type_def(
        &mut self,
        file: FileId,
        node: &SyntaxNode,
        kind: crate::syntax::SyntaxKind,
        scope: DefId,
    ) {
        let def_kind = match kind {
            TYPE_ALIAS => DefKind::TypeAlias,
            RECORD => DefKind::Record,
            VARIANT => DefKind::Variant,
            ENUM => DefKind::Enum,
            FLAGS => DefKind::Flags,
            _ => DefKind::Resource,
        };
        let Some(id) = self.def_from_node(file, def_kind, node, Some(scope)) else {
            return;
        };
        self.register_scope_item(scope, id);
        for member in node.children() {
            let member_kind = match member.kind() {
                FIELD => DefKind::Field,
                VARIANT_CASE => DefKind::Case,
                ENUM_CASE => DefKind::EnumCase,
                FLAG => DefKind::Flag,
                METHOD => DefKind::Method,
                STATIC_FUNC => DefKind::StaticMethod,
                CONSTRUCTOR => {
                    let keyword = tree::token(&member, CONSTRUCTOR_KW);
                    if let Some(keyword) = keyword {
                        let ctor = self.add_def(Definition {
                            kind: DefKind::Constructor,
                            name: "constructor".into(),
                            file,
                            name_range: keyword.text_range(),
                            full_range: member.text_range(),
                            parent: Some(id),
                            docs: tree::docs(&member),
                            gates: tree::gates(&member),
                            alias_of: None,
                            exported: false,
                        });
                        self.collect_params(file, &member, ctor);
                    }
                    continue;
                }
                _ => continue,
            };
            if let Some(member_id) = self.def_from_node(file, member_kind, &member, Some(id)) {
                if matches!(member_kind, DefKind::Method | DefKind::StaticMethod) {
                    self.collect_params(file, &member, member_id);
                }
            }
        }
    }

    /// The parameters of a function item, method or constructor: its
    /// `PARAM_LIST` is a child, or a child of its `FUNC_TYPE`.
    fn collect_params(&mut self, file: FileId, func: &SyntaxNode, owner: DefId) {
        let list = tree::child(func, PARAM_LIST)
            .or_else(|| tree::child(func, FUNC_TYPE).and_then(|t| tree::child(&t, PARAM_LIST)));
        for param in list.iter().flat_map(|list| tree::children(list, PARAM)) {
            self.def_from_node(file, DefKind::Param, &param, Some(owner));
        }
    }

    /// Defines the names a `use path.{…}` item brings into `scope`.
    fn collect_use_names(
        &mut self,
        file: FileId,
        node: &SyntaxNode,
        scope: DefId,
        package: Option<DefId>,
    ) {
        let Some(list) = tree::child(node, USE_NAME_LIST) else {
            return;
        };
        for use_name in tree::children(&list, USE_NAME) {
            let token = tree::child(&use_name, NAME)
                .or_else(|| tree::child(&use_name, NAME_REF))
                .and_then(|n| tree::ident_token(&n));
            let Some(token) = token else { continue };
            let id = self.add_def(Definition {
                kind: DefKind::UseAlias,
                name: tree::ident_text(&token).to_string(),
                file,
                name_range: token.text_range(),
                full_range: use_name.text_range(),
                parent: Some(scope),
                docs: Vec::new(),
                gates: tree::gates(node),
                alias_of: None,
                exported: false,
            });
            self.register_scope_item(scope, id);
        }
        self.item_uses.push((file, node.clone(), scope, package));
    }

    /// `include w with { a as b }` names the included `a` as `b` here.
    fn collect_include_names(&mut self, file: FileId, node: &SyntaxNode, world: DefId) {
        let Some(list) = tree::child(node, INCLUDE_NAME_LIST) else {
            return;
        };
        for include_name in tree::children(&list, INCLUDE_NAME) {
            let Some(token) = tree::child(&include_name, NAME).and_then(|n| tree::ident_token(&n))
            else {
                continue;
            };
            let id = self.add_def(Definition {
                kind: DefKind::UseAlias,
                name: tree::ident_text(&token).to_string(),
                file,
                name_range: token.text_range(),
                full_range: include_name.text_range(),
                parent: Some(world),
                docs: Vec::new(),
                gates: Vec::new(),
                alias_of: None,
                exported: false,
            });
            self.register_scope_item(world, id);
            self.include_aliases
                .insert((file, include_name.text_range().start()), id);
        }
    }

    // ---- pass 2: references -------------------------------------------

    fn add_ref(
        &mut self,
        file: FileId,
        range: TextRange,
        kind: RefKind,
        name: String,
        target: Option<DefId>,
    ) {
        self.index.references.push(Reference {
            file,
            range,
            kind,
            name,
            target,
        });
    }

    fn resolve(&mut self) {
        for (file, node, package, alias) in std::mem::take(&mut self.toplevel_uses) {
            let target = tree::child(&node, USE_PATH).and_then(|path| {
                self.resolve_use_path(file, &path, package, RefKind::UsePath, false)
            });
            self.index.definitions[alias.0 as usize].alias_of = target;
        }
        for (file, node, scope, package) in std::mem::take(&mut self.item_uses) {
            let interface = tree::child(&node, USE_PATH).and_then(|path| {
                self.resolve_use_path(file, &path, package, RefKind::UsePath, true)
            });
            let Some(list) = tree::child(&node, USE_NAME_LIST) else {
                continue;
            };
            for use_name in tree::children(&list, USE_NAME) {
                let Some(name_ref) = tree::child(&use_name, NAME_REF) else {
                    continue;
                };
                let Some(token) = tree::ident_token(&name_ref) else {
                    continue;
                };
                let name = tree::ident_text(&token).to_string();
                let target =
                    interface.and_then(|i| self.scope_items.get(self.index.original(i), &name));
                self.add_ref(
                    file,
                    token.text_range(),
                    RefKind::UseName,
                    name.clone(),
                    target,
                );
                let local = tree::child(&use_name, NAME)
                    .and_then(|n| tree::ident_token(&n))
                    .map_or(name, |t| tree::ident_text(&t).to_string());
                if let Some(alias) = self.scope_items.get(scope, &local) {
                    if self.index.def(alias).kind == DefKind::UseAlias
                        && self.index.def(alias).file == file
                    {
                        self.index.definitions[alias.0 as usize].alias_of = target;
                    }
                }
            }
        }
        for pending in std::mem::take(&mut self.pending) {
            self.resolve_body(&pending);
        }
    }

    /// Resolves the items of an interface or world body other than `use`.
    fn resolve_body(&mut self, pending: &PendingScope) {
        let file = pending.file;
        for item in pending.node.children() {
            match item.kind() {
                IMPORT | EXPORT => {
                    let path = tree::child(&item, USE_PATH).or_else(|| {
                        tree::child(&item, NAMED_PATH).and_then(|n| tree::child(&n, USE_PATH))
                    });
                    if let Some(path) = path {
                        let target = self.resolve_use_path(
                            file,
                            &path,
                            pending.package,
                            RefKind::Extern,
                            true,
                        );
                        if let Some(target) = target.filter(|_| item.kind() == EXPORT) {
                            let original = self.index.original(target);
                            self.index.definitions[original.0 as usize].exported = true;
                        }
                    }
                    if let Some(func) = tree::child(&item, FUNC_ITEM) {
                        self.resolve_types_in(file, &func, pending.scope);
                    }
                    // Inline interfaces are bodies of their own, pending too.
                }
                INCLUDE => self.resolve_include(file, &item, pending.package),
                TYPE_ALIAS | RECORD | VARIANT | ENUM | FLAGS | RESOURCE | FUNC_ITEM => {
                    self.resolve_types_in(file, &item, pending.scope);
                }
                _ => {}
            }
        }
    }

    fn resolve_include(&mut self, file: FileId, item: &SyntaxNode, package: Option<DefId>) {
        let world = tree::child(item, USE_PATH)
            .and_then(|path| self.resolve_use_path(file, &path, package, RefKind::Include, true));
        if let Some(list) = tree::child(item, INCLUDE_NAME_LIST) {
            for name in tree::children(&list, INCLUDE_NAME) {
                if let Some(token) =
                    tree::child(&name, NAME_REF).and_then(|n| tree::ident_token(&n))
                {
                    let text = tree::ident_text(&token).to_string();
                    let target =
                        world.and_then(|w| self.scope_items.get(self.index.original(w), &text));
                    self.add_ref(file, token.text_range(), RefKind::IncludeName, text, target);
                    let alias = self.include_aliases.get(&(file, name.text_range().start()));
                    if let Some(&alias) = alias {
                        self.index.definitions[alias.0 as usize].alias_of = target;
                    }
                }
            }
        }
    }

    /// Resolves every type name below `node` in `scope`.
    fn resolve_types_in(&mut self, file: FileId, node: &SyntaxNode, scope: DefId) {
        let type_names = node
            .descendants()
            .filter(|n| matches!(n.kind(), NAMED_TYPE | HANDLE_TYPE))
            .filter_map(|n| tree::child(&n, NAME_REF));
        for name_ref in type_names {
            let Some(token) = tree::ident_token(&name_ref) else {
                continue;
            };
            let name = tree::ident_text(&token).to_string();
            let target = self.scope_items.get(scope, &name).filter(|&t| {
                let kind = self.index.def(t).kind;
                kind.is_type() || kind == DefKind::UseAlias
            });
            self.add_ref(file, token.text_range(), RefKind::Type, name, target);
        }
    }

    /// Resolves a use path: `iface` (a top-level `use` name of the file or
    /// an interface/world of the package) or `ns:pkg/iface@version`.
    fn resolve_use_path(
        &mut self,
        file: FileId,
        path: &SyntaxNode,
        package: Option<DefId>,
        kind: RefKind,
        file_aliases_visible: bool,
    ) -> Option<DefId> {
        let item_token = tree::child(path, NAME_REF).and_then(|n| tree::ident_token(&n))?;
        let item_name = tree::ident_text(&item_token).to_string();
        let target = match tree::child(path, PACKAGE_NAME) {
            Some(package_name) => {
                let mut key = package_key(&package_name)?;
                key.version = tree::child(path, VERSION).map(|v| version_text(&v));
                let target_package = self.find_package(&key);
                let display = format!("{}:{}", key.namespace, key.name);
                self.add_ref(
                    file,
                    package_name.text_range(),
                    RefKind::Package,
                    display,
                    target_package,
                );
                target_package.and_then(|p| self.package_items.get(p, &item_name))
            }
            None => {
                let alias = file_aliases_visible
                    .then(|| self.file_aliases.get(file, &item_name))
                    .flatten();
                alias.or_else(|| package.and_then(|p| self.package_items.get(p, &item_name)))
            }
        };
        self.add_ref(file, item_token.text_range(), kind, item_name, target);
        target
    }

    /// A package by name: the exact version when one is given, else the only
    /// package of that name (as wit-parser requires).
    fn find_package(&self, key: &PackageKey) -> Option<DefId> {
        let mut candidates = self
            .packages
            .iter()
            .filter(|(k, _)| k.namespace == key.namespace && k.name == key.name);
        match &key.version {
            Some(_) => candidates
                .find(|(k, _)| k.version == key.version)
                .map(|(_, id)| *id),
            None => candidates.next().map(|(_, id)| *id),
        }
    }
}

fn package_key(name: &SyntaxNode) -> Option<PackageKey> {
    let idents: Vec<_> = name
        .children_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| matches!(t.kind(), IDENT | EXPLICIT_IDENT))
        .collect();
    Some(PackageKey {
        namespace: tree::ident_text(idents.first()?).to_string(),
        name: tree::ident_text(idents.get(1)?).to_string(),
        version: tree::child(name, VERSION).map(|v| version_text(&v)),
    })
}

/// A `VERSION` node's text without `@` and trivia.
fn version_text(node: &SyntaxNode) -> String {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !t.kind().is_trivia() && t.kind() != AT)
        .map(|t| t.text().to_string())
        .collect()
}
