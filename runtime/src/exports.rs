//! A component's exports with WIT signatures, read from its type.

use wasmtime::component::types::{ComponentFunc, ComponentItem, Type};

use crate::Runtime;
use wasmtime::component::Component;

/// One import or export of a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// `name`, or `interface#name` for the items of an instance.
    pub name: String,
    pub kind: ExportKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportKind {
    /// A function, with its signature in WIT syntax (`func(a: u32) -> string`).
    Function {
        signature: String,
    },
    Resource,
    Type,
    Module,
    Component,
}

/// Every export of `component`, instances flattened to `instance#item`, in
/// the component's order.
pub fn exports(runtime: &Runtime, component: &Component) -> Vec<Item> {
    let engine = runtime.engine();
    let ty = component.component_type();
    let mut found = Vec::new();
    for (name, export) in ty.exports(engine) {
        collect(engine, name.to_string(), &export.ty, &mut found);
    }
    found
}

/// Every import of `component`, flattened the same way.
pub fn imports(runtime: &Runtime, component: &Component) -> Vec<Item> {
    let engine = runtime.engine();
    let ty = component.component_type();
    let mut found = Vec::new();
    for (name, import) in ty.imports(engine) {
        collect(engine, name.to_string(), &import.ty, &mut found);
    }
    found
}

fn collect(engine: &wasmtime::Engine, name: String, item: &ComponentItem, found: &mut Vec<Item>) {
    let kind = match item {
        ComponentItem::ComponentFunc(func) => ExportKind::Function {
            signature: signature(func),
        },
        ComponentItem::CoreFunc(_) | ComponentItem::Module(_) => ExportKind::Module,
        ComponentItem::Component(_) => ExportKind::Component,
        ComponentItem::Resource(_) => ExportKind::Resource,
        ComponentItem::Type(_) => ExportKind::Type,
        ComponentItem::ComponentInstance(instance) => {
            for (item_name, export) in instance.exports(engine) {
                collect(engine, format!("{name}#{item_name}"), &export.ty, found);
            }
            return;
        }
    };
    found.push(Item { name, kind });
}

fn signature(func: &ComponentFunc) -> String {
    let params: Vec<String> = func
        .params()
        .map(|(name, ty)| format!("{name}: {}", wit_type(&ty)))
        .collect();
    let prefix = if func.async_() { "async func" } else { "func" };
    let mut text = format!("{prefix}({})", params.join(", "));
    if let Some(result) = func.results().next() {
        text.push_str(&format!(" -> {}", wit_type(&result)));
    }
    text
}

/// A type in WIT syntax. Component types are structural, so records,
/// variants, enums, flags and resources are spelled out by their contents.
pub fn wit_type(ty: &Type) -> String {
    let join = |types: Vec<String>| types.join(", ");
    match ty {
        Type::Bool => "bool".into(),
        Type::S8 => "s8".into(),
        Type::U8 => "u8".into(),
        Type::S16 => "s16".into(),
        Type::U16 => "u16".into(),
        Type::S32 => "s32".into(),
        Type::U32 => "u32".into(),
        Type::S64 => "s64".into(),
        Type::U64 => "u64".into(),
        Type::Float32 => "f32".into(),
        Type::Float64 => "f64".into(),
        Type::Char => "char".into(),
        Type::String => "string".into(),
        Type::ErrorContext => "error-context".into(),
        Type::List(list) => format!("list<{}>", wit_type(&list.ty())),
        Type::FixedLengthList(list) => format!("list<{}, {}>", wit_type(&list.ty()), list.len()),
        Type::Map(map) => format!("map<{}, {}>", wit_type(&map.key()), wit_type(&map.value())),
        Type::Option(option) => format!("option<{}>", wit_type(&option.ty())),
        Type::Tuple(tuple) => format!(
            "tuple<{}>",
            join(tuple.types().map(|t| wit_type(&t)).collect())
        ),
        Type::Result(result) => match (result.ok(), result.err()) {
            (None, None) => "result".into(),
            (Some(ok), None) => format!("result<{}>", wit_type(&ok)),
            (None, Some(err)) => format!("result<_, {}>", wit_type(&err)),
            (Some(ok), Some(err)) => format!("result<{}, {}>", wit_type(&ok), wit_type(&err)),
        },
        Type::Record(record) => format!(
            "record {{ {} }}",
            join(
                record
                    .fields()
                    .map(|f| format!("{}: {}", f.name, wit_type(&f.ty)))
                    .collect()
            )
        ),
        Type::Variant(variant) => format!(
            "variant {{ {} }}",
            join(
                variant
                    .cases()
                    .map(|c| match c.ty {
                        Some(ty) => format!("{}({})", c.name, wit_type(&ty)),
                        None => c.name.to_string(),
                    })
                    .collect()
            )
        ),
        Type::Enum(e) => format!(
            "enum {{ {} }}",
            join(e.names().map(str::to_string).collect())
        ),
        Type::Flags(flags) => format!(
            "flags {{ {} }}",
            join(flags.names().map(str::to_string).collect())
        ),
        Type::Own(_) => "own<resource>".into(),
        Type::Borrow(_) => "borrow<resource>".into(),
        Type::Future(future) => match future.ty() {
            Some(ty) => format!("future<{}>", wit_type(&ty)),
            None => "future".into(),
        },
        Type::Stream(stream) => match stream.ty() {
            Some(ty) => format!("stream<{}>", wit_type(&ty)),
            None => "stream".into(),
        },
    }
}

/// The WIT of a component (binary or text), decoded from its type as
/// `wasm-tools component wit` prints it: the component's world, then every
/// package it refers to.
pub fn component_wit(bytes: &[u8]) -> anyhow::Result<String> {
    let binary = wat::parse_bytes(bytes)?;
    if wasmparser::Parser::is_core_wasm(&binary) {
        anyhow::bail!(
            "this is a core wasm module, not a component; make a component of it with `wasm-tools component new`"
        );
    }
    let (resolve, world) = match wit_component::decode(&binary)? {
        wit_component::DecodedWasm::Component(resolve, world) => (resolve, world),
        wit_component::DecodedWasm::WitPackage(..) => anyhow::bail!(
            "this is a WIT package encoded as wasm, not a component; `wasm-tools component wit` prints it"
        ),
    };
    let main = resolve.worlds[world]
        .package
        .ok_or_else(|| anyhow::anyhow!("the component's world belongs to no package"))?;
    let nested: Vec<_> = resolve
        .packages
        .iter()
        .map(|(id, _)| id)
        .filter(|id| *id != main)
        .collect();
    let mut printer = wit_component::WitPrinter::default();
    printer.print(&resolve, main, &nested)?;
    Ok(printer.output.to_string())
}
