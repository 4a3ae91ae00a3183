//! A component or module ready to run again and again: linked once
//! (`InstancePre`), then instantiated in a fresh, limited store per run or
//! call, so one run cannot leave state behind for the next.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use anyhow::Context;
use tracing::instrument::WithSubscriber;
use wasmtime::component::types::{ComponentFunc, ComponentItem};
use wasmtime::component::{
    Component, ComponentExportIndex, Instance, InstancePre, Linker, ResourceTable, Val,
};
use wasmtime::{Store, UpdateDeadline};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtxView, WasiHttpView};

use crate::http::HttpState;
use crate::provisions::{ImportStatus, Provisions};

use crate::limits::{Cancel, Limiter, Limits};
use crate::sandbox::Capabilities;
use crate::trace::{Direction, Recorder, TracedCall};
use crate::trap::{Cancelled, RunError, classify};
use crate::wave::{CallText, arguments, placeholder, render};
use crate::{Artifact, Runtime};

/// The data of a store: WASI and HTTP state, the limiter, and the
/// instances of plugs made so far.
pub(crate) struct Host {
    wasi: WasiCtx,
    table: ResourceTable,
    p1: Option<WasiP1Ctx>,
    http: HttpState,
    limiter: Limiter,
    /// Plugs instantiated on their first call, by plug index.
    pub(crate) plugged: HashMap<usize, Instance>,
}

impl WasiHttpView for Host {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http.ctx,
            table: &mut self.table,
            hooks: &mut self.http.hooks,
        }
    }
}

impl Host {
    pub(crate) fn http_view(&mut self) -> WasiHttpCtxView<'_> {
        self.http()
    }
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

enum Linked {
    Component {
        component: Component,
        pre: InstancePre<Host>,
        /// How each imported function is satisfied.
        imports: BTreeMap<String, ImportStatus>,
    },
    Module {
        pre: wasmtime::InstancePre<Host>,
    },
}

/// A linked artifact; cheap to clone, safe to share between threads.
#[derive(Clone)]
pub struct Prepared {
    runtime: Runtime,
    linked: std::sync::Arc<Linked>,
    /// The component's `wasi:http/incoming-handler`, once looked up (`None`
    /// inside: it has none).
    pub(crate) proxy: std::sync::Arc<
        std::sync::OnceLock<Option<wasmtime_wasi_http::p2::bindings::ProxyPre<Host>>>,
    >,
    /// Exported functions found so far, by the name a call gave.
    functions:
        std::sync::Arc<std::sync::Mutex<HashMap<String, (ComponentExportIndex, ComponentFunc)>>>,
}

/// An export found and its arguments checked: ready to call.
pub(crate) struct ResolvedCall {
    index: ComponentExportIndex,
    func_type: ComponentFunc,
    params: Vec<Val>,
}

/// A traced call: its outcome and the calls it made.
#[derive(Debug)]
pub struct Traced {
    pub outcome: Result<Invocation, RunError>,
    /// The export called, with the imports it called inside it.
    pub root: TracedCall,
    /// Import calls past [`crate::trace::MAX_RECORDED_CALLS`], not kept.
    pub dropped: usize,
}

/// The result of a successful call.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    /// The results in WAVE, one per result value (none for a function
    /// without results).
    pub results: Vec<String>,
    /// Instantiation and call, without compilation.
    pub duration: Duration,
    /// Of which the instantiation (a fresh store and instance).
    pub instantiation: Duration,
}

impl Prepared {
    /// Links `artifact` against WASI (0.2 and 0.3 and `wasi:http` for
    /// components, preview 1 for core modules). A component's other
    /// imports are stubbed: they trap when called.
    pub fn new(runtime: &Runtime, artifact: &Artifact) -> anyhow::Result<Prepared> {
        Prepared::with(runtime, artifact, &Provisions::default())
    }

    /// [`Prepared::new`], with mocks and plugs standing in for imports
    /// (components only). A mock or plug that does not fit is an error
    /// naming it and what was expected.
    pub fn with(
        runtime: &Runtime,
        artifact: &Artifact,
        provisions: &Provisions,
    ) -> anyhow::Result<Prepared> {
        let engine = runtime.engine();
        let linked = match artifact {
            Artifact::Component(component) => {
                let mut linker = Linker::<Host>::new(engine);
                wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(anyhow::Error::from)?;
                wasmtime_wasi::p3::add_to_linker(&mut linker).map_err(anyhow::Error::from)?;
                wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)
                    .map_err(anyhow::Error::from)?;
                let base = linker.clone();
                let imports =
                    crate::provisions::link(&mut linker, engine, &base, component, provisions)?;
                let pre = linker
                    .instantiate_pre(component)
                    .map_err(anyhow::Error::from)
                    .context(
                        "the component imports something that wasmlens cannot provide or stub",
                    )?;
                Linked::Component {
                    component: component.clone(),
                    pre,
                    imports,
                }
            }
            Artifact::Module(module) => {
                if !provisions.mocks.is_empty() || !provisions.plugs.is_empty() {
                    anyhow::bail!(
                        "mocks and plugs stand in for a component's imports; this is a core module"
                    );
                }
                let mut linker = wasmtime::Linker::<Host>::new(engine);
                wasmtime_wasi::p1::add_to_linker_async(&mut linker, |host: &mut Host| {
                    host.p1
                        .as_mut()
                        .expect("a preview 1 context for a core module")
                })
                .map_err(anyhow::Error::from)?;
                let pre = linker
                    .instantiate_pre(module)
                    .map_err(anyhow::Error::from)
                    .context("the module imports something that wasmlens does not provide (only WASI preview 1 is)")?;
                Linked::Module { pre }
            }
        };
        Ok(Prepared {
            runtime: runtime.clone(),
            linked: std::sync::Arc::new(linked),
            proxy: Default::default(),
            functions: Default::default(),
        })
    }

    /// A store with the capabilities and limits of one run.
    pub(crate) fn store(
        &self,
        capabilities: &Capabilities,
        limits: &Limits,
    ) -> anyhow::Result<Store<Host>> {
        let mut wasi = capabilities.wasi()?;
        let (wasi, p1) = match &*self.linked {
            Linked::Component { .. } => (wasi.build(), None),
            Linked::Module { .. } => (WasiCtx::builder().build(), Some(wasi.build_p1())),
        };
        let mut store = Store::new(
            self.runtime.engine(),
            Host {
                wasi,
                table: ResourceTable::new(),
                p1,
                http: HttpState::new(capabilities.allow_net),
                limiter: Limiter::new(limits),
                plugged: HashMap::new(),
            },
        );
        store.limiter(|host| &mut host.limiter);
        let options = self.runtime.options();
        if options.fuel {
            store
                .set_fuel(limits.fuel.unwrap_or(u64::MAX))
                .map_err(anyhow::Error::from)?;
        } else if limits.fuel.is_some() {
            anyhow::bail!("a fuel limit needs an engine that counts fuel");
        }
        if options.epochs {
            if limits.timeout.is_some() || limits.cancel.is_some() {
                self.runtime.start_epoch_clock();
            }
            // Checked at every epoch tick: a cancel from the caller, then
            // the wall-clock deadline.
            let deadline = limits.timeout.map(|timeout| Instant::now() + timeout);
            let cancel = limits.cancel.clone();
            store.epoch_deadline_callback(move |_| {
                if cancel.as_ref().is_some_and(Cancel::is_cancelled) {
                    return Err(Cancelled.into());
                }
                if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                    return Err(wasmtime::Trap::Interrupt.into());
                }
                Ok(UpdateDeadline::Continue(1))
            });
            store.set_epoch_deadline(1);
        } else if limits.timeout.is_some() || limits.cancel.is_some() {
            anyhow::bail!("a timeout or cancel needs an engine that checks epochs");
        }
        Ok(store)
    }

    pub(crate) fn failed(
        store: &mut Store<Host>,
        error: wasmtime::Error,
        limits: &Limits,
    ) -> RunError {
        let memory_hit = store.data_mut().limiter.hit.take();
        classify(error, limits, memory_hit)
    }

    /// The exported function `call` names, with its type.
    fn find_function(
        &self,
        call: &CallText,
    ) -> Result<(ComponentExportIndex, ComponentFunc), RunError> {
        let Linked::Component { component, .. } = &*self.linked else {
            return Err(RunError::Call(
                "`--invoke` with a call like `f(1, 2)` needs a component; a core module has no typed exports".into(),
            ));
        };
        let engine = self.runtime.engine();
        let ty = component.component_type();
        let mut candidates = Vec::new();
        for (name, export) in ty.exports(engine) {
            match &export.ty {
                ComponentItem::ComponentFunc(func)
                    if call.interface.is_none() && name == call.function =>
                {
                    candidates.push((None, name.to_string(), func.clone()));
                }
                ComponentItem::ComponentInstance(instance)
                    if call
                        .interface
                        .as_deref()
                        .is_none_or(|i| interface_matches(name, i)) =>
                {
                    for (item, export) in instance.exports(engine) {
                        if let ComponentItem::ComponentFunc(func) = &export.ty
                            && item == call.function
                        {
                            candidates.push((
                                Some(name.to_string()),
                                item.to_string(),
                                func.clone(),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        match candidates.len() {
            0 => Err(RunError::Call(format!(
                "the component exports no function `{}`; `wasmlens run --list` shows what it exports",
                call.name()
            ))),
            1 => {
                let (instance, name, func) = candidates.pop().unwrap();
                let parent = instance.as_deref().map(|i| {
                    component
                        .get_export_index(None, i)
                        .expect("an export of the component")
                });
                let index = component
                    .get_export_index(parent.as_ref(), name.as_str())
                    .expect("an export of the component");
                Ok((index, func))
            }
            _ => {
                let names: Vec<String> = candidates
                    .iter()
                    .map(|(i, n, _)| match i {
                        Some(i) => format!("`{i}.{n}`"),
                        None => format!("`{n}`"),
                    })
                    .collect();
                Err(RunError::Call(format!(
                    "`{}` is ambiguous: it could be {}; write the interface",
                    call.name(),
                    names.join(" or ")
                )))
            }
        }
    }

    /// Calls an export in a new instance: `call` is a WAVE call such as
    /// `add(1, 2)` or `ns:pkg/iface@1.0.0.f("x")`.
    pub async fn invoke(
        &self,
        call: &str,
        capabilities: &Capabilities,
        limits: &Limits,
    ) -> Result<Invocation, RunError> {
        self.invoke_seen(call, capabilities, limits, &mut Vec::new())
            .await
    }

    /// [`Prepared::invoke`], recording every call across the component
    /// boundary: the export at the root, the imports it called inside.
    pub async fn trace(&self, call: &str, capabilities: &Capabilities, limits: &Limits) -> Traced {
        let recorder = Recorder::new();
        let dispatch = tracing::Dispatch::new(recorder.clone());
        let started = recorder.started();
        let mut arguments = Vec::new();
        let outcome = self
            .invoke_seen(call, capabilities, limits, &mut arguments)
            .with_subscriber(dispatch)
            .await;
        let duration = started.elapsed();
        let (calls, dropped) = recorder.finish();
        let text = CallText::parse(call).ok();
        let root = TracedCall {
            direction: Direction::Export,
            interface: text.as_ref().and_then(|t| t.interface.clone()),
            function: text.map(|t| t.function).unwrap_or_else(|| call.to_string()),
            arguments,
            result: outcome.as_ref().ok().map(|i| match i.results.as_slice() {
                [one] => one.clone(),
                many => format!("({})", many.join(", ")),
            }),
            start: Duration::ZERO,
            duration: Some(duration),
            calls,
        };
        Traced {
            outcome,
            root,
            dropped,
        }
    }

    /// The export `call` names, its type and its arguments, type-checked.
    pub(crate) fn resolve_call(&self, call: &str) -> Result<ResolvedCall, RunError> {
        let call = CallText::parse(call).map_err(RunError::Call)?;
        let name = call.name();
        let known = self.functions.lock().unwrap().get(&name).cloned();
        let (index, func_type) = match known {
            Some(found) => found,
            None => {
                let found = self.find_function(&call)?;
                self.functions.lock().unwrap().insert(name, found.clone());
                found
            }
        };
        let params = arguments(&call, &func_type).map_err(RunError::Call)?;
        Ok(ResolvedCall {
            index,
            func_type,
            params,
        })
    }

    /// Instantiates the component in `store` and makes `call`; the results
    /// in WAVE and how long instantiation took.
    pub(crate) async fn call_in(
        &self,
        store: &mut Store<Host>,
        call: &ResolvedCall,
    ) -> wasmtime::Result<(Vec<String>, Duration)> {
        let Linked::Component { pre, .. } = &*self.linked else {
            unreachable!("find_function accepts components only");
        };
        let started = Instant::now();
        let instance = pre.instantiate_async(&mut *store).await?;
        let instantiation = started.elapsed();
        let func = instance
            .get_func(&mut *store, call.index)
            .expect("the export is a function");
        let mut results = vec![Val::Bool(false); call.func_type.results().len()];
        func.call_async(&mut *store, &call.params, &mut results)
            .await?;
        Ok((results.iter().map(render).collect(), instantiation))
    }

    /// Calls an export; `seen` receives its arguments (name, WAVE) once
    /// they are type-checked.
    async fn invoke_seen(
        &self,
        call: &str,
        capabilities: &Capabilities,
        limits: &Limits,
        seen: &mut Vec<(String, String)>,
    ) -> Result<Invocation, RunError> {
        let resolved = self.resolve_call(call)?;
        seen.extend(
            resolved
                .func_type
                .params()
                .map(|(name, _)| name.to_string())
                .zip(resolved.params.iter().map(render)),
        );
        let mut store = self.store(capabilities, limits).map_err(RunError::Failed)?;
        let started = Instant::now();
        match self.call_in(&mut store, &resolved).await {
            Ok((results, instantiation)) => Ok(Invocation {
                results,
                duration: started.elapsed(),
                instantiation,
            }),
            Err(e) => Err(Self::failed(&mut store, e, limits)),
        }
    }

    /// The WAVE parameter list of export `name` (as a call names it, e.g.
    /// `greet` or `iface.f`) with a placeholder value of each parameter's
    /// type: what an editor pre-fills its prompt with.
    pub fn template(&self, name: &str) -> Result<String, RunError> {
        let call = CallText::parse(&format!("{name}()")).map_err(RunError::Call)?;
        let (_, func_type) = self.find_function(&call)?;
        let params: Vec<String> = func_type.params().map(|(_, ty)| placeholder(&ty)).collect();
        Ok(format!("({})", params.join(", ")))
    }

    /// Runs a command: `wasi:cli/run` of a component, `_start` of a core
    /// module. Returns the exit code (0 when `run` returns `ok`).
    pub async fn run(&self, capabilities: &Capabilities, limits: &Limits) -> Result<i32, RunError> {
        let mut store = self.store(capabilities, limits).map_err(RunError::Failed)?;
        let outcome = self.run_in(&mut store).await;
        match outcome {
            Ok(code) => Ok(code),
            Err(e) => match Self::failed(&mut store, e, limits) {
                RunError::Exit(code) => Ok(code),
                other => Err(other),
            },
        }
    }

    /// Runs the command in `store`.
    pub(crate) async fn run_in(&self, store: &mut Store<Host>) -> wasmtime::Result<i32> {
        match &*self.linked {
            Linked::Component { component, pre, .. } => {
                self.run_component(store, component, pre).await
            }
            Linked::Module { pre, .. } => Self::run_module(store, pre).await,
        }
    }

    /// The component, or the core module, this was linked from.
    pub(crate) fn artifact(&self) -> Artifact {
        match &*self.linked {
            Linked::Component { component, .. } => Artifact::Component(component.clone()),
            Linked::Module { pre } => Artifact::Module(pre.module().clone()),
        }
    }

    pub(crate) fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// The linked component, if this is one.
    pub(crate) fn instance_pre(&self) -> Option<&InstancePre<Host>> {
        match &*self.linked {
            Linked::Component { pre, .. } => Some(pre),
            Linked::Module { .. } => None,
        }
    }

    /// The names of the component's exports (none for a core module).
    pub(crate) fn export_names(&self) -> Vec<String> {
        match &*self.linked {
            Linked::Component { component, .. } => component
                .component_type()
                .exports(self.runtime.engine())
                .map(|(name, _)| name.to_string())
                .collect(),
            Linked::Module { .. } => Vec::new(),
        }
    }

    /// How each imported function is satisfied (`ns:pkg/iface@1.0.0.f`
    /// or a world-level name → provided, mocked, plugged or stubbed).
    pub fn import_statuses(&self) -> BTreeMap<String, ImportStatus> {
        match &*self.linked {
            Linked::Component { imports, .. } => imports.clone(),
            Linked::Module { .. } => BTreeMap::new(),
        }
    }

    async fn run_component(
        &self,
        store: &mut Store<Host>,
        component: &Component,
        pre: &InstancePre<Host>,
    ) -> wasmtime::Result<i32> {
        let engine = self.runtime.engine();
        let exports: Vec<String> = component
            .component_type()
            .exports(engine)
            .map(|(name, _)| name.to_string())
            .collect();
        let is = |prefix: &str| exports.iter().any(|e| e.starts_with(prefix));
        if is("wasi:cli/run@0.3") {
            let command = wasmtime_wasi::p3::bindings::CommandPre::new(pre.clone())?;
            let command = command.instantiate_async(&mut *store).await?;
            let result = store
                .run_concurrent(async |store| command.wasi_cli_run().call_run(store).await)
                .await??;
            return Ok(if result.is_ok() { 0 } else { 1 });
        }
        if !is("wasi:cli/run@0.2") {
            wasmtime::bail!(
                "the component exports no `wasi:cli/run`, so it is not a command; \
                 call one of its exports with `--invoke` (`--list` shows them)"
            );
        }
        let command = wasmtime_wasi::p2::bindings::CommandPre::new(pre.clone())?;
        let command = command.instantiate_async(&mut *store).await?;
        let result = command.wasi_cli_run().call_run(&mut *store).await?;
        Ok(if result.is_ok() { 0 } else { 1 })
    }

    async fn run_module(
        store: &mut Store<Host>,
        pre: &wasmtime::InstancePre<Host>,
    ) -> wasmtime::Result<i32> {
        let instance = pre.instantiate_async(&mut *store).await?;
        let start = instance
            .get_typed_func::<(), ()>(&mut *store, "_start")
            .or_else(|_| instance.get_typed_func::<(), ()>(&mut *store, ""))
            .map_err(|_| {
                wasmtime::format_err!("the module exports no `_start`, so it is not a WASI program")
            })?;
        start.call_async(&mut *store, ()).await?;
        Ok(0)
    }
}

/// Whether export `name` (`ns:pkg/iface@1.0.0`) is what the user wrote:
/// the full name, or without the version, or the interface's own name.
fn interface_matches(name: &str, written: &str) -> bool {
    let without_version = name.split('@').next().unwrap_or(name);
    let short = without_version
        .rsplit('/')
        .next()
        .unwrap_or(without_version);
    name == written || without_version == written || short == written
}
