//! What a lens can run: the worlds of a valid package, whether each is a
//! command (exports `wasi:cli/run`), and every function it exports, each
//! with the place of its name in the WIT source and the name a WAVE call
//! gives it.
//!
//! What a world exports comes from wit-parser's `Resolve` (so `include`
//! and exports of `deps/` interfaces count exactly as the toolchain counts
//! them); where it is written comes from the symbol index.

use std::collections::BTreeSet;

use wit_parser::{FunctionKind, Resolve, WorldItem, WorldKey};

use crate::analysis::index::{DefId, DefKind, SymbolIndex};
use crate::analysis::{FileId, PackageAnalysis};
use crate::syntax::TextRange;

/// A world and what it exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldTarget {
    /// `ns:pkg/world`, with `@version` when the package has one.
    pub name: String,
    /// Where the world's name is written, when it has source.
    pub place: Option<(FileId, TextRange)>,
    /// Exports `wasi:cli/run`, so **▶ Run** applies.
    pub is_command: bool,
    /// The world exports `wasi:http/incoming-handler`: it handles HTTP
    /// requests.
    pub is_http_handler: bool,
    /// Top-level export names a built component must have (`add`,
    /// `ns:pkg/iface@1.0.0`): what discovery matches by.
    pub export_names: BTreeSet<String>,
    pub functions: Vec<FunctionTarget>,
}

/// An exported function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionTarget {
    /// The function as a WAVE call names it: `add`, `iface.f` for an inline
    /// interface, `ns:pkg/iface@1.0.0.f`.
    pub call_name: String,
    pub place: Option<(FileId, TextRange)>,
}

impl WorldTarget {
    /// Whether `written` (from `wasmlens.toml`) names this world: in full
    /// or without the package version.
    pub fn is_named(&self, written: &str) -> bool {
        written == self.name || without_version(&self.name) == written
    }
}

fn without_version(name: &str) -> String {
    match name.split_once('@') {
        Some((path, _)) => path.to_string(),
        None => name.to_string(),
    }
}

/// Every world of the analysis' main package(s), when the tree is valid.
pub fn world_targets(analysis: &PackageAnalysis) -> Vec<WorldTarget> {
    let Some(resolve) = &analysis.resolve else {
        return Vec::new();
    };
    let places = Places {
        index: &analysis.index,
    };
    let mut targets = Vec::new();
    for (_, package) in resolve.packages.iter() {
        let package_name = package.name.to_string();
        for (world_name, &world_id) in &package.worlds {
            let world = &resolve.worlds[world_id];
            let world_def = places.world(&package_name, world_name);
            let mut target = WorldTarget {
                name: qualified(&package_name, world_name),
                place: world_def.map(|d| places.place(d)),
                is_command: false,
                is_http_handler: false,
                export_names: BTreeSet::new(),
                functions: Vec::new(),
            };
            for (key, item) in &world.exports {
                add_export(resolve, &places, world_def, key, item, &mut target);
            }
            targets.push(target);
        }
    }
    targets
}

fn add_export(
    resolve: &Resolve,
    places: &Places<'_>,
    world_def: Option<DefId>,
    key: &WorldKey,
    item: &WorldItem,
    target: &mut WorldTarget,
) {
    match (key, item) {
        (WorldKey::Name(name), WorldItem::Function(_)) => {
            target.export_names.insert(name.clone());
            target.functions.push(FunctionTarget {
                call_name: name.clone(),
                place: world_def
                    .and_then(|w| places.child(w, DefKind::Function, name))
                    .map(|d| places.place(d)),
            });
        }
        (key, WorldItem::Interface { id, .. }) => {
            let interface = &resolve.interfaces[*id];
            // `export x: interface {…}` is called as `x.f`; a named
            // interface by its full id.
            let (export_name, definition) = match key {
                WorldKey::Name(label) => (
                    label.clone(),
                    world_def.and_then(|w| places.child(w, DefKind::Interface, label)),
                ),
                WorldKey::Interface(_) => {
                    let Some(id_name) = resolve.id_of(*id) else {
                        return;
                    };
                    let package = interface
                        .package
                        .map(|p| resolve.packages[p].name.to_string());
                    let definition = package
                        .zip(interface.name.as_deref())
                        .and_then(|(package, name)| places.interface(&package, name));
                    (id_name, definition)
                }
            };
            match without_version(&export_name).as_str() {
                "wasi:cli/run" => target.is_command = true,
                "wasi:http/incoming-handler" => target.is_http_handler = true,
                _ => {}
            }
            target.export_names.insert(export_name.clone());
            for (name, function) in &interface.functions {
                // Methods and constructors need a resource first; a call
                // from a prompt can only name freestanding functions.
                if !matches!(
                    function.kind,
                    FunctionKind::Freestanding | FunctionKind::AsyncFreestanding
                ) {
                    continue;
                }
                target.functions.push(FunctionTarget {
                    call_name: format!("{export_name}.{name}"),
                    place: definition
                        .and_then(|i| places.child(i, DefKind::Function, name))
                        .map(|d| places.place(d)),
                });
            }
        }
        _ => {}
    }
}

/// `ns:pkg/world@1.0.0` from `ns:pkg@1.0.0` and `world`.
fn qualified(package: &str, item: &str) -> String {
    match package.split_once('@') {
        Some((name, version)) => format!("{name}/{item}@{version}"),
        None => format!("{package}/{item}"),
    }
}

/// Finds definitions in the symbol index by name.
struct Places<'a> {
    index: &'a SymbolIndex,
}

impl Places<'_> {
    fn place(&self, def: DefId) -> (FileId, TextRange) {
        let def = self.index.def(def);
        (def.file, def.name_range)
    }

    fn package_name(&self, mut def: DefId) -> Option<&str> {
        loop {
            let d = self.index.def(def);
            if d.kind == DefKind::Package {
                return Some(&d.name);
            }
            def = d.parent?;
        }
    }

    fn top_level(&self, kind: DefKind, package: &str, name: &str) -> Option<DefId> {
        self.index.def_ids().find(|&id| {
            let def = self.index.def(id);
            def.kind == kind
                && def.name == name
                && def
                    .parent
                    .is_some_and(|p| self.index.def(p).kind == DefKind::Package)
                && self.package_name(id) == Some(package)
        })
    }

    fn world(&self, package: &str, name: &str) -> Option<DefId> {
        self.top_level(DefKind::World, package, name)
    }

    fn interface(&self, package: &str, name: &str) -> Option<DefId> {
        self.top_level(DefKind::Interface, package, name)
    }

    fn child(&self, parent: DefId, kind: DefKind, name: &str) -> Option<DefId> {
        self.index.def_ids().find(|&id| {
            let def = self.index.def(id);
            def.kind == kind && def.parent == Some(parent) && def.name == name
        })
    }
}
