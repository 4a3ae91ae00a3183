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
use crate::syntax::tree::{Gate, Node, Token};
use crate::syntax::{SyntaxKind::*, TextRange};

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
    /// The kind in words, as hover and completion show it.
    pub fn describe(self) -> &'static str {
        match self {
            DefKind::Package => "package",
            DefKind::Interface => "interface",
            DefKind::World => "world",
            DefKind::TypeAlias => "type alias",
            DefKind::Record => "record",
            DefKind::Variant => "variant",
            DefKind::Enum => "enum",
            DefKind::Flags => "flags",
            DefKind::Resource => "resource",
            DefKind::Function => "function",
            DefKind::Constructor => "constructor",
            DefKind::Method => "method",
            DefKind::StaticMethod => "static function",
            DefKind::Field => "field",
            DefKind::Case => "variant case",
            DefKind::EnumCase => "enum case",
            DefKind::Flag => "flag",
            DefKind::Param => "parameter",
            DefKind::UseAlias => "imported name",
            DefKind::ExternLabel => "import/export name",
        }
    }

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
    /// For [`DefKind::UseAlias`]: whether it gives its target a new name
    /// (`t as u`) rather than bringing it in under its own.
    pub renames: bool,
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
    /// The name as written (`%` escape included); the file's text holds it.
    pub range: TextRange,
    pub kind: RefKind,
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

    /// Whether a world exports the item, itself or as part of the inline
    /// interface it belongs to.
    pub fn is_exported(&self, id: DefId) -> bool {
        let def = self.def(id);
        def.exported || def.parent.is_some_and(|p| self.def(p).exported)
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
        // Pages a reservation does not touch cost nothing, while growing
        // these vectors copies them over and over: reserve for the densest
        // WIT (one name every 16 bytes or so).
        let bytes: usize = files.iter().map(|f| f.text.len()).sum();
        builder.index.definitions.reserve(bytes / 16);
        builder.index.references.reserve(bytes / 16);
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
/// definition of a name wins, as in wit-parser's error for duplicates. The
/// names borrow the trees' token text, so registering one copies nothing.
struct Names<'a, Scope>(HashMap<(Scope, &'a str), DefId>);

impl<Scope> Default for Names<'_, Scope> {
    fn default() -> Self {
        Names(HashMap::default())
    }
}

impl<'a, Scope: std::hash::Hash + Eq> Names<'a, Scope> {
    fn insert(&mut self, scope: Scope, name: &'a str, id: DefId) {
        self.0.entry((scope, name)).or_insert(id);
    }

    fn get(&self, scope: Scope, name: &'a str) -> Option<DefId> {
        self.0.get(&(scope, name)).copied()
    }
}

/// A body whose items are resolved later, with the scope it belongs to.
struct PendingScope<'a> {
    file: FileId,
    node: Node<'a>,
    scope: DefId,
    package: Option<DefId>,
}

#[derive(Default)]
struct Builder<'a> {
    index: SymbolIndex,
    packages: Vec<(PackageKey, DefId)>,
    /// Interfaces and worlds by package and name.
    package_items: Names<'a, DefId>,
    /// Names visible inside an interface, world or resource.
    scope_items: Names<'a, DefId>,
    /// Top-level `use` names, per file.
    file_aliases: Names<'a, FileId>,
    /// The package each file (or nested package node) belongs to.
    pending: Vec<PendingScope<'a>>,
    toplevel_uses: Vec<(FileId, Node<'a>, Option<DefId>, DefId)>,
    /// `include … with { a as b }`: the definition of `b`, by the start of
    /// its `INCLUDE_NAME` node.
    include_aliases: HashMap<(FileId, crate::syntax::TextSize), DefId>,
    /// `use` items whose alias definitions need their targets.
    item_uses: Vec<(FileId, Node<'a>, DefId, Option<DefId>)>,
}

/// A definition just added, with its name as written (for scopes).
type Named<'a> = (DefId, &'a str);

impl<'a> Builder<'a> {
    fn add_def(&mut self, def: Definition) -> DefId {
        let id = DefId(self.index.definitions.len() as u32);
        self.index.definitions.push(def);
        id
    }

    fn def_from_node(
        &mut self,
        file: FileId,
        kind: DefKind,
        node: &Node<'a>,
        parent: Option<DefId>,
    ) -> Option<Named<'a>> {
        let token = node.name()?.ident_token()?;
        // WIT's grammar puts no gates on members, and no docs on parameters.
        let member = matches!(
            kind,
            DefKind::Field | DefKind::Case | DefKind::EnumCase | DefKind::Flag | DefKind::Param
        );
        let name = token.ident_text();
        let id = self.add_def(Definition {
            kind,
            name: name.to_string(),
            file,
            name_range: token.text_range(),
            full_range: node.text_range(),
            parent,
            docs: if kind == DefKind::Param {
                Vec::new()
            } else {
                node.docs()
            },
            gates: if member { Vec::new() } else { node.gates() },
            alias_of: None,
            exported: false,
            renames: false,
        });
        Some((id, name))
    }

    fn def_mut(&mut self, id: DefId) -> &mut Definition {
        &mut self.index.definitions[id.0 as usize]
    }

    // ---- pass 1: definitions ------------------------------------------

    fn collect(&mut self, files: &'a [SourceFile], groups: &[SourceGroup]) {
        for group in groups {
            // Files of a directory package without their own `package …;`
            // belong to the package another file of the group declares.
            let mut group_package = None;
            for &file in &group.files {
                let root = Node::root(&files[file.0 as usize].parse.green);
                if let Some(decl) = root.child(PACKAGE_DECL) {
                    group_package = self.package_def(file, &decl);
                    break;
                }
            }
            for &file in &group.files {
                let root = Node::root(&files[file.0 as usize].parse.green);
                self.collect_decls(file, &root, group_package);
            }
        }
    }

    /// The package that `node` (a `PACKAGE_DECL` or `NESTED_PACKAGE`)
    /// declares, defined the first time it is seen.
    fn package_def(&mut self, file: FileId, node: &Node<'a>) -> Option<DefId> {
        let name = node.child(PACKAGE_NAME)?;
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
            docs: node.docs(),
            gates: Vec::new(),
            alias_of: None,
            exported: false,
            renames: false,
        });
        self.packages.push((key, id));
        Some(id)
    }

    fn collect_decls(&mut self, file: FileId, list: &Node<'a>, package: Option<DefId>) {
        for item in list.children() {
            match item.kind() {
                INTERFACE => {
                    if let Some(named) =
                        self.def_from_node(file, DefKind::Interface, &item, package)
                    {
                        self.register_package_item(package, named);
                        self.collect_interface_body(file, &item, named.0, package);
                    }
                }
                WORLD => {
                    if let Some(named) = self.def_from_node(file, DefKind::World, &item, package) {
                        self.register_package_item(package, named);
                        self.collect_world_body(file, &item, named.0, package);
                    }
                }
                NESTED_PACKAGE => {
                    let nested = self.package_def(file, &item);
                    self.collect_decls(file, &item, nested);
                }
                TOPLEVEL_USE => {
                    if let Some((alias, name)) = self.use_alias_def(file, &item, None) {
                        self.file_aliases.insert(file, name, alias);
                        self.toplevel_uses.push((file, item, package, alias));
                    }
                }
                _ => {}
            }
        }
    }

    fn register_package_item(&mut self, package: Option<DefId>, (id, name): Named<'a>) {
        if let Some(package) = package {
            self.package_items.insert(package, name, id);
        }
    }

    fn register_scope_item(&mut self, scope: DefId, (id, name): Named<'a>) {
        self.scope_items.insert(scope, name, id);
    }

    /// The alias a top-level `use` defines: its `as` name, else the last
    /// segment of its path.
    fn use_alias_def(
        &mut self,
        file: FileId,
        node: &Node<'a>,
        parent: Option<DefId>,
    ) -> Option<Named<'a>> {
        let renamed = node.name();
        let token = match renamed {
            Some(name) => name.ident_token()?,
            None => node.child(USE_PATH)?.ident_token()?,
        };
        let name = token.ident_text();
        let id = self.add_def(Definition {
            kind: DefKind::UseAlias,
            name: name.to_string(),
            file,
            name_range: token.text_range(),
            full_range: node.text_range(),
            parent,
            docs: Vec::new(),
            gates: node.gates(),
            alias_of: None,
            exported: false,
            renames: renamed.is_some(),
        });
        Some((id, name))
    }

    fn collect_interface_body(
        &mut self,
        file: FileId,
        node: &Node<'a>,
        scope: DefId,
        package: Option<DefId>,
    ) {
        for item in node.children() {
            match item.kind() {
                kind @ (TYPE_ALIAS | RECORD | VARIANT | ENUM | FLAGS | RESOURCE) => {
                    self.collect_type_def(file, &item, kind, scope);
                }
                FUNC_ITEM => {
                    if let Some(named) =
                        self.def_from_node(file, DefKind::Function, &item, Some(scope))
                    {
                        self.register_scope_item(scope, named);
                        self.collect_params(file, &item, named.0);
                    }
                }
                USE => self.collect_use_names(file, &item, scope, package),
                _ => {}
            }
        }
        self.pending.push(PendingScope {
            file,
            node: *node,
            scope,
            package,
        });
    }

    fn collect_world_body(
        &mut self,
        file: FileId,
        node: &Node<'a>,
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
                IMPORT | EXPORT => self.collect_extern(file, &item, world, package),
                _ => {}
            }
        }
        self.pending.push(PendingScope {
            file,
            node: *node,
            scope: world,
            package,
        });
    }

    /// An `import` or `export` of a world: a function, an inline interface
    /// or a labelled interface path define a name in the world.
    fn collect_extern(
        &mut self,
        file: FileId,
        item: &Node<'a>,
        world: DefId,
        package: Option<DefId>,
    ) {
        let exported = item.kind() == EXPORT;
        if let Some(func) = item.child(FUNC_ITEM) {
            if let Some(named) = self.def_from_node(file, DefKind::Function, &func, Some(world)) {
                let (docs, gates) = (item.docs(), item.gates());
                let def = self.def_mut(named.0);
                def.exported = exported;
                def.docs = docs;
                def.gates = gates;
                self.register_scope_item(world, named);
                self.collect_params(file, &func, named.0);
            }
        } else if let Some(inline) = item.child(INLINE_INTERFACE) {
            if let Some(named) = self.def_from_node(file, DefKind::Interface, &inline, Some(world))
            {
                let docs = item.docs();
                let def = self.def_mut(named.0);
                def.exported = exported;
                def.docs = docs;
                self.register_scope_item(world, named);
                self.collect_interface_body(file, &inline, named.0, package);
            }
        } else if let Some(path) = item.child(NAMED_PATH)
            && let Some(named) = self.def_from_node(file, DefKind::ExternLabel, &path, Some(world))
        {
            self.def_mut(named.0).exported = exported;
            self.register_scope_item(world, named);
        }
    }

    fn collect_type_def(
        &mut self,
        file: FileId,
        node: &Node<'a>,
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
        let Some(named) = self.def_from_node(file, def_kind, node, Some(scope)) else {
            return;
        };
        self.register_scope_item(scope, named);
        let id = named.0;
        for member in node.children() {
            let member_kind = match member.kind() {
                FIELD => DefKind::Field,
                VARIANT_CASE => DefKind::Case,
                ENUM_CASE => DefKind::EnumCase,
                FLAG => DefKind::Flag,
                METHOD => DefKind::Method,
                STATIC_FUNC => DefKind::StaticMethod,
                CONSTRUCTOR => {
                    if let Some(keyword) = member.token(CONSTRUCTOR_KW) {
                        let ctor = self.add_def(Definition {
                            kind: DefKind::Constructor,
                            name: "constructor".into(),
                            file,
                            name_range: keyword.text_range(),
                            full_range: member.text_range(),
                            parent: Some(id),
                            docs: member.docs(),
                            gates: member.gates(),
                            alias_of: None,
                            exported: false,
                            renames: false,
                        });
                        self.collect_params(file, &member, ctor);
                    }
                    continue;
                }
                _ => continue,
            };
            if let Some((member_id, _)) = self.def_from_node(file, member_kind, &member, Some(id))
                && matches!(member_kind, DefKind::Method | DefKind::StaticMethod)
            {
                self.collect_params(file, &member, member_id);
            }
        }
    }

    /// The parameters of a function item, method or constructor: its
    /// `PARAM_LIST` is a child, or a child of its `FUNC_TYPE`.
    fn collect_params(&mut self, file: FileId, func: &Node<'a>, owner: DefId) {
        let list = func
            .child(PARAM_LIST)
            .or_else(|| func.child(FUNC_TYPE).and_then(|t| t.child(PARAM_LIST)));
        for param in list.iter().flat_map(|list| list.children_of(PARAM)) {
            self.def_from_node(file, DefKind::Param, &param, Some(owner));
        }
    }

    /// Defines the names a `use path.{…}` item brings into `scope`.
    fn collect_use_names(
        &mut self,
        file: FileId,
        node: &Node<'a>,
        scope: DefId,
        package: Option<DefId>,
    ) {
        let Some(list) = node.child(USE_NAME_LIST) else {
            return;
        };
        for use_name in list.children_of(USE_NAME) {
            // A `NAME` is there only with `as`.
            let renamed = use_name.child(NAME);
            let token = renamed
                .or_else(|| use_name.child(NAME_REF))
                .and_then(|n| n.ident_token());
            let Some(token) = token else { continue };
            let name = token.ident_text();
            let id = self.add_def(Definition {
                kind: DefKind::UseAlias,
                name: name.to_string(),
                file,
                name_range: token.text_range(),
                full_range: use_name.text_range(),
                parent: Some(scope),
                docs: Vec::new(),
                gates: node.gates(),
                alias_of: None,
                exported: false,
                renames: renamed.is_some(),
            });
            self.register_scope_item(scope, (id, name));
        }
        self.item_uses.push((file, *node, scope, package));
    }

    /// `include w with { a as b }` names the included `a` as `b` here.
    fn collect_include_names(&mut self, file: FileId, node: &Node<'a>, world: DefId) {
        let Some(list) = node.child(INCLUDE_NAME_LIST) else {
            return;
        };
        for include_name in list.children_of(INCLUDE_NAME) {
            let Some(token) = include_name.child(NAME).and_then(|n| n.ident_token()) else {
                continue;
            };
            let name = token.ident_text();
            let id = self.add_def(Definition {
                kind: DefKind::UseAlias,
                name: name.to_string(),
                file,
                name_range: token.text_range(),
                full_range: include_name.text_range(),
                parent: Some(world),
                docs: Vec::new(),
                gates: Vec::new(),
                alias_of: None,
                exported: false,
                renames: true,
            });
            self.register_scope_item(world, (id, name));
            self.include_aliases
                .insert((file, include_name.text_range().start()), id);
        }
    }

    // ---- pass 2: references -------------------------------------------

    fn add_ref(&mut self, file: FileId, token: &Token<'a>, kind: RefKind, target: Option<DefId>) {
        self.index.references.push(Reference {
            file,
            range: token.text_range(),
            kind,
            target,
        });
    }

    fn resolve(&mut self) {
        for (file, node, package, alias) in std::mem::take(&mut self.toplevel_uses) {
            let target = node.child(USE_PATH).and_then(|path| {
                self.resolve_use_path(file, &path, package, RefKind::UsePath, false)
            });
            self.def_mut(alias).alias_of = target;
        }
        for (file, node, scope, package) in std::mem::take(&mut self.item_uses) {
            let interface = node.child(USE_PATH).and_then(|path| {
                self.resolve_use_path(file, &path, package, RefKind::UsePath, true)
            });
            let Some(list) = node.child(USE_NAME_LIST) else {
                continue;
            };
            for use_name in list.children_of(USE_NAME) {
                let Some(token) = use_name.child(NAME_REF).and_then(|n| n.ident_token()) else {
                    continue;
                };
                let name = token.ident_text();
                let target =
                    interface.and_then(|i| self.scope_items.get(self.index.original(i), name));
                self.add_ref(file, &token, RefKind::UseName, target);
                let local = use_name
                    .child(NAME)
                    .and_then(|n| n.ident_token())
                    .map_or(name, |t| t.ident_text());
                if let Some(alias) = self.scope_items.get(scope, local) {
                    let def = self.index.def(alias);
                    if def.kind == DefKind::UseAlias && def.file == file {
                        self.def_mut(alias).alias_of = target;
                    }
                }
            }
        }
        for pending in std::mem::take(&mut self.pending) {
            self.resolve_body(&pending);
        }
    }

    /// Resolves the items of an interface or world body other than `use`.
    fn resolve_body(&mut self, pending: &PendingScope<'a>) {
        let file = pending.file;
        for item in pending.node.children() {
            match item.kind() {
                IMPORT | EXPORT => {
                    let path = item
                        .child(USE_PATH)
                        .or_else(|| item.child(NAMED_PATH).and_then(|n| n.child(USE_PATH)));
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
                            self.def_mut(original).exported = true;
                        }
                    }
                    if let Some(func) = item.child(FUNC_ITEM) {
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

    fn resolve_include(&mut self, file: FileId, item: &Node<'a>, package: Option<DefId>) {
        let world = item
            .child(USE_PATH)
            .and_then(|path| self.resolve_use_path(file, &path, package, RefKind::Include, true));
        let Some(list) = item.child(INCLUDE_NAME_LIST) else {
            return;
        };
        for name in list.children_of(INCLUDE_NAME) {
            let Some(token) = name.child(NAME_REF).and_then(|n| n.ident_token()) else {
                continue;
            };
            let target = world.and_then(|w| {
                self.scope_items
                    .get(self.index.original(w), token.ident_text())
            });
            self.add_ref(file, &token, RefKind::IncludeName, target);
            let alias = self.include_aliases.get(&(file, name.text_range().start()));
            if let Some(&alias) = alias {
                self.def_mut(alias).alias_of = target;
            }
        }
    }

    /// Resolves every type name below `node` in `scope`.
    fn resolve_types_in(&mut self, file: FileId, node: &Node<'a>, scope: DefId) {
        node.for_each_descendant(&mut |type_node| {
            if !matches!(type_node.kind(), NAMED_TYPE | HANDLE_TYPE) {
                return;
            }
            let Some(token) = type_node.child(NAME_REF).and_then(|n| n.ident_token()) else {
                return;
            };
            let target = self
                .scope_items
                .get(scope, token.ident_text())
                .filter(|&t| {
                    let kind = self.index.def(t).kind;
                    kind.is_type() || kind == DefKind::UseAlias
                });
            self.add_ref(file, &token, RefKind::Type, target);
        });
    }

    /// Resolves a use path: `iface` (a top-level `use` name of the file or
    /// an interface/world of the package) or `ns:pkg/iface@version`.
    fn resolve_use_path(
        &mut self,
        file: FileId,
        path: &Node<'a>,
        package: Option<DefId>,
        kind: RefKind,
        file_aliases_visible: bool,
    ) -> Option<DefId> {
        let item_token = path.child(NAME_REF).and_then(|n| n.ident_token())?;
        let item_name = item_token.ident_text();
        let target = match path.child(PACKAGE_NAME) {
            Some(package_name) => {
                let mut key = package_key(&package_name)?;
                key.version = path.child(VERSION).map(|v| version_text(&v));
                let target_package = self.find_package(&key);
                self.index.references.push(Reference {
                    file,
                    range: package_name.text_range(),
                    kind: RefKind::Package,
                    target: target_package,
                });
                target_package.and_then(|p| self.package_items.get(p, item_name))
            }
            None => {
                let alias = file_aliases_visible
                    .then(|| self.file_aliases.get(file, item_name))
                    .flatten();
                alias.or_else(|| package.and_then(|p| self.package_items.get(p, item_name)))
            }
        };
        self.add_ref(file, &item_token, kind, target);
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

fn package_key(name: &Node<'_>) -> Option<PackageKey> {
    let mut idents = name
        .tokens()
        .filter(|t| matches!(t.kind(), IDENT | EXPLICIT_IDENT));
    Some(PackageKey {
        namespace: idents.next()?.ident_text().to_string(),
        name: idents.next()?.ident_text().to_string(),
        version: name.child(VERSION).map(|v| version_text(&v)),
    })
}

/// A `VERSION` node's text without `@` and trivia.
fn version_text(node: &Node<'_>) -> String {
    let mut text = String::new();
    node.for_each_token(&mut |token| {
        if !token.kind().is_trivia() && token.kind() != AT {
            text.push_str(token.text());
        }
    });
    text
}
