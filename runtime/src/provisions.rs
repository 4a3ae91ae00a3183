//! What stands in for the imports WASI does not provide: mocks (a fixed
//! WAVE result), plugs (another component's exports, linked at run time)
//! and, for everything else, stubs that trap only when called — so the
//! exports that never call a missing import still run.
//!
//! Each stand-in is a host function of ours, so a trace records its
//! arguments and result in WAVE like any other call.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use tracing::Instrument;
use wasmtime::component::types::{ComponentFunc, ComponentItem, Type};
use wasmtime::component::{
    Component, ComponentExportIndex, InstancePre, Linker, ResourceType, Val, wasm_wave,
};

use crate::exports::wit_type;
use crate::prepared::Host;
use crate::trace;
use crate::wave::split_function;

/// Stand-ins the user asked for (flags or `wasmlens.toml`).
#[derive(Clone, Default)]
pub struct Provisions {
    pub mocks: Vec<Mock>,
    pub plugs: Vec<Plug>,
}

/// `IMPORT=WAVE`: the import returns this value every time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mock {
    /// `ns:pkg/iface.func`, `ns:pkg/iface@1.0.0.func` or a world-level
    /// function's name.
    pub import: String,
    pub value: String,
}

impl Mock {
    /// Parses `IMPORT=WAVE` (the first `=` separates them).
    pub fn parse(text: &str) -> Result<Mock, String> {
        match text.split_once('=') {
            Some((import, value)) if !import.trim().is_empty() => Ok(Mock {
                import: import.trim().to_string(),
                value: value.trim().to_string(),
            }),
            _ => Err(format!(
                "`{text}` is not `IMPORT=WAVE`, e.g. `ns:pkg/iface.func=42` or `log=`"
            )),
        }
    }
}

/// A component whose exports satisfy imports of the main one.
#[derive(Clone)]
pub struct Plug {
    /// Where it came from, for messages.
    pub path: PathBuf,
    pub component: Component,
}

/// How one imported function (or resource) is satisfied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportStatus {
    /// By WASI (or `wasi:http`) as Wasmtime implements it.
    Provided,
    /// By a mock returning this WAVE value.
    Mocked(String),
    /// By a plug: the file it came from.
    Plugged(PathBuf),
    /// By a stub that traps when called.
    Stubbed,
}

impl ImportStatus {
    pub fn label(&self) -> &'static str {
        match self {
            ImportStatus::Provided => "provided",
            ImportStatus::Mocked(_) => "mocked",
            ImportStatus::Plugged(_) => "plugged",
            ImportStatus::Stubbed => "stubbed",
        }
    }
}

/// The error a stub returns when the guest calls it.
#[derive(Debug)]
pub struct StubCalled {
    /// `eval:host/kv@0.1.0.get` or `log`.
    pub import: String,
}

impl std::fmt::Display for StubCalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the guest called the import `{0}`, which nothing provides (wasmlens stubbed it so \
             that the rest of the component can run); provide it with `--mock '{0}=VALUE'` or \
             `--plug PROVIDER.wasm` (in wasmlens.toml: `[run] mocks` or `plugs`)",
            self.import
        )
    }
}

impl std::error::Error for StubCalled {}

/// One function the component imports.
struct ImportedFunc {
    /// The instance it is in (`None` at world level).
    instance: Option<String>,
    name: String,
    ty: ComponentFunc,
}

impl ImportedFunc {
    /// As the user writes it: `ns:pkg/iface@1.0.0.func` or `func`.
    fn display(&self) -> String {
        display_name(self.instance.as_deref(), &self.name)
    }
}

fn display_name(instance: Option<&str>, name: &str) -> String {
    match instance {
        Some(instance) => format!("{instance}.{name}"),
        None => name.to_string(),
    }
}

/// The component's imported functions, in import order.
fn imported_functions(engine: &wasmtime::Engine, component: &Component) -> Vec<ImportedFunc> {
    let mut found = Vec::new();
    for (name, import) in component.component_type().imports(engine) {
        match &import.ty {
            ComponentItem::ComponentFunc(ty) => found.push(ImportedFunc {
                instance: None,
                name: name.to_string(),
                ty: ty.clone(),
            }),
            ComponentItem::ComponentInstance(instance) => {
                for (item, export) in instance.exports(engine) {
                    if let ComponentItem::ComponentFunc(ty) = &export.ty {
                        found.push(ImportedFunc {
                            instance: Some(name.to_string()),
                            name: item.to_string(),
                            ty: ty.clone(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Whether the interface the user wrote (`ns:pkg/iface`, with or without
/// the version) is the imported instance `name`.
fn same_interface(name: &str, written: &str) -> bool {
    name == written || name.split('@').next() == Some(written)
}

/// The linker's entry for `instance` (the root for world-level items).
fn entry<'a>(
    linker: &'a mut Linker<Host>,
    instance: Option<&str>,
) -> wasmtime::Result<wasmtime::component::LinkerInstance<'a, Host>> {
    match instance {
        Some(instance) => linker.instance(instance),
        None => Ok(linker.root()),
    }
}

/// Defines mocks, plugs and stubs in `linker` (which holds WASI already)
/// for `component`, and says how each import is satisfied. An error names
/// the mock or plug that is wrong and what was expected.
pub(crate) fn link(
    linker: &mut Linker<Host>,
    engine: &wasmtime::Engine,
    base: &Linker<Host>,
    component: &Component,
    provisions: &Provisions,
) -> anyhow::Result<BTreeMap<String, ImportStatus>> {
    let functions = imported_functions(engine, component);
    let mut statuses = BTreeMap::new();
    // What the user asked for replaces what is there, WASI included.
    linker.allow_shadowing(true);
    for mock in &provisions.mocks {
        let (interface, function) = split_function(&mock.import);
        let Some(import) = functions.iter().find(|f| {
            f.name == function
                && match (&f.instance, &interface) {
                    (Some(instance), Some(written)) => same_interface(instance, written),
                    (None, None) => true,
                    _ => false,
                }
        }) else {
            anyhow::bail!(
                "mock `{}`: the component imports no function `{}`; `--list` shows its imports",
                mock.import,
                mock.import
            );
        };
        let value = mock_value(import, mock)?;
        define_mock(linker, import, value)?;
        statuses.insert(import.display(), ImportStatus::Mocked(mock.value.clone()));
    }
    for (index, plug) in provisions.plugs.iter().enumerate() {
        link_plug(
            linker,
            engine,
            base,
            component,
            index,
            plug,
            &functions,
            &mut statuses,
        )?;
    }
    linker.allow_shadowing(false);
    stub_the_rest(linker, engine, component, &functions, &mut statuses)?;
    for function in &functions {
        statuses
            .entry(function.display())
            .or_insert(ImportStatus::Provided);
    }
    Ok(statuses)
}

/// The mock's value, type-checked against the import's result.
fn mock_value(import: &ImportedFunc, mock: &Mock) -> anyhow::Result<Option<Val>> {
    let results: Vec<Type> = import.ty.results().collect();
    match results.as_slice() {
        [] if mock.value.is_empty() || mock.value == "()" => Ok(None),
        [] => anyhow::bail!(
            "mock `{}`: the import returns nothing, so its value must be empty (`{}=`), not `{}`",
            mock.import,
            mock.import,
            mock.value
        ),
        [ty] => wasm_wave::from_str::<Val>(ty, &mock.value)
            .map(Some)
            .map_err(|e| {
                anyhow::anyhow!(
                    "mock `{}`: `{}` is not a value of the import's result type `{}` ({e})",
                    mock.import,
                    mock.value,
                    wit_type(ty)
                )
            }),
        _ => anyhow::bail!("mock `{}`: the import returns several values", mock.import),
    }
}

fn define_mock(
    linker: &mut Linker<Host>,
    import: &ImportedFunc,
    value: Option<Val>,
) -> anyhow::Result<()> {
    let interface = import.instance.clone();
    let name = import.name.clone();
    let param_names: Arc<[String]> = import.ty.params().map(|(n, _)| n.to_string()).collect();
    entry(linker, import.instance.as_deref())?
        .func_new(&import.name, move |_store, _ty, params, results| {
            let span = trace::provided_span(interface.as_deref(), &name);
            let _entered = span.enter();
            trace::record_call(&param_names, params);
            if let (Some(value), Some(slot)) = (&value, results.first_mut()) {
                *slot = value.clone();
            }
            trace::record_return(results);
            Ok(())
        })
        .map_err(anyhow::Error::from)
}

/// Links the imports `plug` exports to its exports, instantiated in the
/// same store on first call.
#[allow(clippy::too_many_arguments)]
fn link_plug(
    linker: &mut Linker<Host>,
    engine: &wasmtime::Engine,
    base: &Linker<Host>,
    component: &Component,
    index: usize,
    plug: &Plug,
    functions: &[ImportedFunc],
    statuses: &mut BTreeMap<String, ImportStatus>,
) -> anyhow::Result<()> {
    let shown = plug.path.display().to_string();
    // The plug's own imports: WASI, and stubs for the rest.
    let mut plug_linker = base.clone();
    stub_the_rest(
        &mut plug_linker,
        engine,
        &plug.component,
        &imported_functions(engine, &plug.component),
        &mut BTreeMap::new(),
    )?;
    let pre = Arc::new(
        plug_linker
            .instantiate_pre(&plug.component)
            .map_err(anyhow::Error::from)
            .map_err(|e| anyhow::anyhow!("plug `{shown}` cannot be linked: {e:#}"))?,
    );
    let exports: HashMap<String, ComponentItem> = plug
        .component
        .component_type()
        .exports(engine)
        .map(|(name, export)| (name.to_string(), export.ty))
        .collect();
    let imports: Vec<(String, ComponentItem)> = component
        .component_type()
        .imports(engine)
        .map(|(name, import)| (name.to_string(), import.ty))
        .collect();
    let mut linked_any = false;
    for (import_name, import) in &imports {
        let Some((export_name, export)) = exports
            .iter()
            .find(|(name, _)| *name == import_name || same_interface(import_name, name))
        else {
            continue;
        };
        match (import, export) {
            (ComponentItem::ComponentInstance(wanted), ComponentItem::ComponentInstance(given)) => {
                if let Some((resource, _)) = wanted
                    .exports(engine)
                    .find(|(_, e)| matches!(e.ty, ComponentItem::Resource(_)))
                {
                    anyhow::bail!(
                        "plug `{shown}` exports `{import_name}`, whose resource `{resource}` \
                         wasmlens cannot pass between two components linked at run time \
                         (Wasmtime links guest resources only inside one composed component); \
                         compose them instead, e.g. `wac plug main.wasm --plug {shown}`"
                    );
                }
                let parent = plug
                    .component
                    .get_export_index(None, export_name)
                    .expect("an export of the plug");
                for function in functions
                    .iter()
                    .filter(|f| f.instance.as_deref() == Some(import_name.as_str()))
                {
                    if statuses.contains_key(&function.display()) {
                        continue; // mocked
                    }
                    let given_ty = given.exports(engine).find_map(|(name, e)| match e.ty {
                        ComponentItem::ComponentFunc(ty) if name == function.name => Some(ty),
                        _ => None,
                    });
                    let Some(given_ty) = given_ty else {
                        anyhow::bail!(
                            "plug `{shown}` exports `{export_name}` but not its function `{}`, which the component imports",
                            function.name
                        );
                    };
                    check_same_type(&shown, function, &given_ty)?;
                    let export = plug
                        .component
                        .get_export_index(Some(&parent), &function.name)
                        .expect("a function of the plug's export");
                    define_plugged(linker, function, index, pre.clone(), export)?;
                    statuses.insert(function.display(), ImportStatus::Plugged(plug.path.clone()));
                    linked_any = true;
                }
            }
            (ComponentItem::ComponentFunc(_), ComponentItem::ComponentFunc(given_ty)) => {
                let function = functions
                    .iter()
                    .find(|f| f.instance.is_none() && f.name == *import_name)
                    .expect("a world-level function import");
                if statuses.contains_key(&function.display()) {
                    continue;
                }
                check_same_type(&shown, function, given_ty)?;
                let export = plug
                    .component
                    .get_export_index(None, export_name)
                    .expect("an export of the plug");
                define_plugged(linker, function, index, pre.clone(), export)?;
                statuses.insert(function.display(), ImportStatus::Plugged(plug.path.clone()));
                linked_any = true;
            }
            _ => {}
        }
    }
    if !linked_any {
        anyhow::bail!(
            "plug `{shown}` exports nothing the component imports; `wasmlens run --list` on each shows what they import and export"
        );
    }
    Ok(())
}

fn check_same_type(
    shown: &str,
    import: &ImportedFunc,
    given: &ComponentFunc,
) -> anyhow::Result<()> {
    let text = |ty: &ComponentFunc| {
        let params: Vec<String> = ty
            .params()
            .map(|(n, t)| format!("{n}: {}", wit_type(&t)))
            .collect();
        let results: Vec<String> = ty.results().map(|t| wit_type(&t)).collect();
        format!("func({}) -> ({})", params.join(", "), results.join(", "))
    };
    let (wanted, got) = (text(&import.ty), text(given));
    if wanted != got {
        anyhow::bail!(
            "plug `{shown}`: `{}` is imported as `{wanted}` but the plug exports `{got}`",
            import.display()
        );
    }
    Ok(())
}

fn define_plugged(
    linker: &mut Linker<Host>,
    import: &ImportedFunc,
    plug: usize,
    pre: Arc<InstancePre<Host>>,
    export: ComponentExportIndex,
) -> anyhow::Result<()> {
    let interface = import.instance.clone();
    let name = import.name.clone();
    let param_names: Arc<[String]> = import.ty.params().map(|(n, _)| n.to_string()).collect();
    entry(linker, import.instance.as_deref())?
        .func_new_async(&import.name, move |mut store, _ty, params, results| {
            let span = trace::provided_span(interface.as_deref(), &name);
            let pre = pre.clone();
            let param_names = param_names.clone();
            Box::new(
                async move {
                    trace::record_call(&param_names, params);
                    let instance = match store.data().plugged.get(&plug) {
                        Some(instance) => *instance,
                        None => {
                            let instance = pre.instantiate_async(&mut store).await?;
                            store.data_mut().plugged.insert(plug, instance);
                            instance
                        }
                    };
                    let func = instance
                        .get_func(&mut store, export)
                        .expect("the plug's export is a function");
                    func.call_async(&mut store, params, results).await?;
                    trace::record_return(results);
                    Ok(())
                }
                .instrument(span),
            )
        })
        .map_err(anyhow::Error::from)
}

/// A resource of an import nothing provides: it can be named in types,
/// and any use of it goes through a stubbed function.
struct StubResource;

/// Stubs every import `linker` cannot satisfy yet. Wasmtime matches
/// imports to definitions by semver-compatible names, which its linker does
/// not let us query; so this asks Wasmtime which import is missing, stubs
/// that whole import, and asks again.
fn stub_the_rest(
    linker: &mut Linker<Host>,
    engine: &wasmtime::Engine,
    component: &Component,
    functions: &[ImportedFunc],
    statuses: &mut BTreeMap<String, ImportStatus>,
) -> anyhow::Result<()> {
    let imports: HashMap<String, ComponentItem> = component
        .component_type()
        .imports(engine)
        .map(|(name, import)| (name.to_string(), import.ty))
        .collect();
    let mut stubbed = Vec::new();
    loop {
        let Err(error) = linker.instantiate_pre(component) else {
            return Ok(());
        };
        let error = anyhow::Error::from(error);
        let message = error.to_string();
        let Some((name, item)) = missing_import(&message).and_then(|m| imports.get_key_value(m))
        else {
            return Err(error);
        };
        if stubbed.contains(name) {
            return Err(error);
        }
        stubbed.push(name.clone());
        match item {
            ComponentItem::ComponentInstance(instance) => {
                // Resources first: the functions' types refer to them.
                for (item, export) in instance.exports(engine) {
                    if let ComponentItem::Resource(_) = export.ty {
                        let _ = linker.instance(name)?.resource(
                            item,
                            ResourceType::host::<StubResource>(),
                            |_, _| Ok(()),
                        );
                    }
                }
                for function in functions
                    .iter()
                    .filter(|f| f.instance.as_deref() == Some(name.as_str()))
                {
                    if define_stub(linker, function).is_ok() {
                        statuses.insert(function.display(), ImportStatus::Stubbed);
                    }
                }
            }
            ComponentItem::ComponentFunc(_) => {
                let function = functions
                    .iter()
                    .find(|f| f.instance.is_none() && f.name == *name)
                    .expect("a world-level function import");
                define_stub(linker, function)?;
                statuses.insert(function.display(), ImportStatus::Stubbed);
            }
            ComponentItem::Resource(_) => {
                linker.root().resource(
                    name,
                    ResourceType::host::<StubResource>(),
                    |_, _| Ok(()),
                )?;
            }
            _ => return Err(error),
        }
    }
}

/// The import Wasmtime's linker reported missing, from its message
/// (``component imports instance `NAME`, but a matching implementation was
/// not found in the linker``).
fn missing_import(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("component imports ")?;
    let start = rest.find('`')? + 1;
    let end = start + rest[start..].find('`')?;
    Some(&rest[start..end])
}

fn define_stub(linker: &mut Linker<Host>, import: &ImportedFunc) -> wasmtime::Result<()> {
    let shown = import.display();
    entry(linker, import.instance.as_deref())?.func_new(&import.name, move |_, _, _, _| {
        Err(wasmtime::Error::new(StubCalled {
            import: shown.clone(),
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mocks_parse() {
        let ok = |text: &str| Mock::parse(text).map(|m| (m.import, m.value));
        assert_eq!(ok("ns:p/i.f=42"), Ok(("ns:p/i.f".into(), "42".into())));
        assert_eq!(ok("log="), Ok(("log".into(), "".into())));
        assert_eq!(
            ok("f=\"a=b\""),
            Ok(("f".into(), "\"a=b\"".into())),
            "the first `=` separates"
        );
        assert!(Mock::parse("=1").is_err());
        assert!(Mock::parse("nothing").is_err());
    }

    #[test]
    fn the_missing_import_is_read_from_wasmtime() {
        assert_eq!(
            missing_import(
                "component imports instance `eval:host/kv@0.1.0`, but a matching implementation was not found in the linker"
            ),
            Some("eval:host/kv@0.1.0")
        );
        assert_eq!(
            missing_import("component imports func `log`, but …"),
            Some("log")
        );
        assert_eq!(missing_import("something else"), None);
    }
}
