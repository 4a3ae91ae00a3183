//! What hovering a name shows: the item's WIT, its gates and docs, and from
//! wit-parser's resolved package (when the tree is valid) the canonical-ABI
//! layout of types and the core-wasm signature of functions.

use std::fmt::Write;

use wit_parser::abi::{AbiVariant, WasmType};
use wit_parser::{Function, Resolve, SizeAlign, Type, TypeId, World, WorldItem, WorldKey};

use super::index::{DefId, DefKind};
use super::{FileId, PackageAnalysis};
use crate::syntax::tree::Gate;
use crate::syntax::{TextRange, TextSize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverInfo {
    /// The name hovered.
    pub range: TextRange,
    pub markdown: String,
}

impl PackageAnalysis {
    pub fn hover(&self, file: FileId, offset: TextSize) -> Option<HoverInfo> {
        let symbol = self.symbol_at(file, offset)?;
        let def = self.index.original(symbol.def);
        let d = self.index.def(def);
        let mut markdown = format!("```wit\n{}\n```\n", self.signature(def));
        let mut facts = vec![format!("*{}*", d.kind.describe())];
        for gate in &d.gates {
            facts.push(match gate {
                Gate::Since(version) => format!("since `{version}`"),
                Gate::Unstable(feature) => format!("unstable (feature `{feature}`)"),
                Gate::Deprecated(version) => format!("**deprecated** since `{version}`"),
            });
        }
        if let Some(resolve) = &self.resolve {
            facts.extend(self.abi_facts(resolve, def));
        }
        let _ = writeln!(markdown, "\n{}", facts.join(" · "));
        if !d.docs.is_empty() {
            let _ = write!(markdown, "\n---\n\n{}\n", d.docs.join("\n"));
        }
        Some(HoverInfo {
            range: symbol.range,
            markdown,
        })
    }

    /// The item's WIT as written: whole for types and members, the header
    /// for interfaces, worlds and packages, one line for functions.
    fn signature(&self, def: DefId) -> String {
        let d = self.index.def(def);
        let file = self.file(d.file);
        let text = &file.text[d.full_range];
        match d.kind {
            DefKind::Package => format!("package {}", d.name),
            DefKind::Interface => format!("interface {}", d.name),
            DefKind::World => format!("world {}", d.name),
            DefKind::Function | DefKind::Method | DefKind::StaticMethod | DefKind::Constructor => {
                let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let one_line = one_line.trim_end_matches(';').to_string();
                match d.parent.map(|p| self.index.def(p)) {
                    Some(owner) if owner.kind == DefKind::Resource => {
                        format!("resource {} {{\n    {one_line}\n}}", owner.name)
                    }
                    _ => one_line,
                }
            }
            _ => {
                let column = text_column(&file.text, d.full_range.start());
                dedent(text, column)
            }
        }
    }

    /// The package (as wit-parser names it) and the interface or world that
    /// hold `def`.
    fn wit_owner(&self, def: DefId) -> Option<(String, DefId)> {
        let mut owner = self.index.def(def).parent?;
        loop {
            let d = self.index.def(owner);
            if matches!(d.kind, DefKind::Interface | DefKind::World) {
                let container = self.index.def(d.parent?);
                if container.kind == DefKind::Package {
                    return Some((container.name.clone(), owner));
                }
                // An inline interface: its container is a world, whose
                // package is the interface's too.
                let package = self.index.def(container.parent?);
                return Some((package.name.clone(), owner));
            }
            owner = d.parent?;
        }
    }

    fn abi_facts(&self, resolve: &Resolve, def: DefId) -> Vec<String> {
        let d = self.index.def(def);
        let mut facts = Vec::new();
        if d.kind == DefKind::Resource {
            // A resource has no layout of its own; its handles do.
            facts.push("handles (`own`, `borrow`) are an `i32`: size 4 bytes, align 4".into());
        } else if d.kind.is_type()
            && let Some(id) = self.wit_type(resolve, def)
        {
            let mut sizes = SizeAlign::default();
            sizes.fill(resolve);
            let ty = Type::Id(id);
            facts.push(format!(
                "size {} bytes, align {}",
                sizes.size(&ty).size_wasm32(),
                sizes.align(&ty).align_wasm32()
            ));
        }
        if matches!(
            d.kind,
            DefKind::Function | DefKind::Method | DefKind::StaticMethod | DefKind::Constructor
        ) && let Some(function) = self.wit_function(resolve, def)
        {
            let variant = if self.index.is_exported(def) {
                AbiVariant::GuestExport
            } else {
                AbiVariant::GuestImport
            };
            facts.push(core_signature(resolve, function, variant));
        }
        facts
    }

    fn wit_type(&self, resolve: &Resolve, def: DefId) -> Option<TypeId> {
        let name = &self.index.def(def).name;
        let (package, owner) = self.wit_owner(def)?;
        match self.wit_scope(resolve, &package, owner)? {
            Scope::Interface(id) => resolve.interfaces[id].types.get(name.as_str()).copied(),
            Scope::World(id) => named_in_world(&resolve.worlds[id], name, |item| match item {
                WorldItem::Type { id, .. } => Some(*id),
                _ => None,
            }),
        }
    }

    fn wit_function<'r>(&self, resolve: &'r Resolve, def: DefId) -> Option<&'r Function> {
        let d = self.index.def(def);
        let resource = d
            .parent
            .map(|p| self.index.def(p))
            .filter(|p| p.kind == DefKind::Resource);
        let name = match (d.kind, resource) {
            (DefKind::Method, Some(r)) => format!("[method]{}.{}", r.name, d.name),
            (DefKind::StaticMethod, Some(r)) => format!("[static]{}.{}", r.name, d.name),
            (DefKind::Constructor, Some(r)) => format!("[constructor]{}", r.name),
            _ => d.name.clone(),
        };
        let (package, owner) = self.wit_owner(def)?;
        match self.wit_scope(resolve, &package, owner)? {
            Scope::Interface(id) => resolve.interfaces[id].functions.get(&name),
            Scope::World(id) => named_in_world(&resolve.worlds[id], &name, |item| match item {
                WorldItem::Function(f) => Some(f),
                _ => None,
            }),
        }
    }

    /// The wit-parser interface or world our interface/world `owner` is.
    fn wit_scope(&self, resolve: &Resolve, package: &str, owner: DefId) -> Option<Scope> {
        let o = self.index.def(owner);
        let (_, pkg) = resolve
            .packages
            .iter()
            .find(|(_, p)| p.name.to_string() == package)?;
        match o.kind {
            DefKind::World => pkg.worlds.get(o.name.as_str()).map(|&id| Scope::World(id)),
            DefKind::Interface => {
                if let Some(&id) = pkg.interfaces.get(o.name.as_str()) {
                    return Some(Scope::Interface(id));
                }
                // An inline interface: an item of its world.
                let world = self.index.def(o.parent?);
                let &world_id = pkg.worlds.get(world.name.as_str())?;
                named_in_world(&resolve.worlds[world_id], &o.name, |item| match item {
                    WorldItem::Interface { id, .. } => Some(Scope::Interface(*id)),
                    _ => None,
                })
            }
            _ => None,
        }
    }
}

/// The first import or export of `world` called `name` that `pick` accepts.
fn named_in_world<'r, T>(
    world: &'r World,
    name: &str,
    pick: impl Fn(&'r WorldItem) -> Option<T>,
) -> Option<T> {
    world
        .imports
        .iter()
        .chain(&world.exports)
        .filter(|(key, _)| matches!(key, WorldKey::Name(n) if n == name))
        .find_map(|(_, item)| pick(item))
}

enum Scope {
    Interface(wit_parser::InterfaceId),
    World(wit_parser::WorldId),
}

fn core_signature(resolve: &Resolve, function: &Function, variant: AbiVariant) -> String {
    let signature = resolve.wasm_signature(variant, function);
    let list = |types: &[WasmType]| {
        types
            .iter()
            .map(|t| match t {
                WasmType::I32 | WasmType::Pointer | WasmType::Length => "i32",
                WasmType::I64 | WasmType::PointerOrI64 => "i64",
                WasmType::F32 => "f32",
                WasmType::F64 => "f64",
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let side = match variant {
        AbiVariant::GuestExport => "export",
        _ => "import",
    };
    let mut text = format!(
        "core wasm ({side}): `({}) -> ({})`",
        list(&signature.params),
        list(&signature.results)
    );
    if signature.indirect_params {
        text.push_str(", parameters spill to memory (more than 16 flat values)");
    }
    if signature.retptr {
        text.push_str(", results returned through memory");
    }
    text
}

/// The column (in bytes) of `offset` on its line.
fn text_column(text: &str, offset: TextSize) -> usize {
    let offset = usize::from(offset);
    offset - text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// Removes up to `column` leading spaces from every line after the first,
/// so that an item indented in its interface shows flush left.
fn dedent(text: &str, column: usize) -> String {
    let mut lines = text.lines();
    let mut out = lines.next().unwrap_or_default().to_string();
    for line in lines {
        let indent = line.len() - line.trim_start_matches(' ').len();
        out.push('\n');
        out.push_str(&line[indent.min(column)..]);
    }
    out
}
