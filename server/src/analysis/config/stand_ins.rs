//! `[run] mocks` checked against the package's worlds once wit-parser has
//! resolved it: a mock must name a function some world imports, and its
//! WAVE value must be a value of that function's result type. The runtime
//! checks the same against the built component when it links it; here the
//! mistake shows in `wasmlens.toml` before anything is built or run.

use wasm_wave::value::{Value, resolve_wit_func_type};
use wasm_wave::wasm::WasmFunc;
use wit_parser::{Function, Resolve, WorldItem, WorldKey};

use super::{LoadedConfig, RunMock, config_diagnostic};
use crate::analysis::diagnostic::Diagnostic;

/// Every imported function of every world: (interface, if any, function).
fn imported_functions(resolve: &Resolve) -> Vec<(Option<String>, &Function)> {
    let mut found = Vec::new();
    for (_, world) in &resolve.worlds {
        for (key, item) in &world.imports {
            match item {
                WorldItem::Function(function) => found.push((None, function)),
                WorldItem::Interface { id, .. } => {
                    let name = match key {
                        WorldKey::Name(name) => Some(name.clone()),
                        WorldKey::Interface(id) => resolve.id_of(*id),
                    };
                    for function in resolve.interfaces[*id].functions.values() {
                        found.push((name.clone(), function));
                    }
                }
                WorldItem::Type { .. } => {}
            }
        }
    }
    found
}

/// The interface and function a mock names: the function is after the
/// last `.`, unless the version follows it (`ns:pkg/iface.f@1.0.0`) — the
/// forms `wasmlens run --mock` reads.
fn split(name: &str) -> (Option<String>, &str) {
    let (package, rest) = match name.rsplit_once('/') {
        Some((package, rest)) => (Some(package), rest),
        None => (None, name),
    };
    if let Some((before, version)) = rest.split_once('@')
        && let Some((interface, function)) = before.rsplit_once('.')
    {
        let package = package.map(|p| format!("{p}/")).unwrap_or_default();
        return (Some(format!("{package}{interface}@{version}")), function);
    }
    match name.rsplit_once('.') {
        Some((interface, function)) => (Some(interface.to_string()), function),
        None => (None, name),
    }
}

fn same_interface(name: &str, written: &str) -> bool {
    name == written || name.split('@').next() == Some(written)
}

/// The mistakes of `[run] mocks` against `resolve`'s worlds.
pub fn mock_diagnostics(loaded: &LoadedConfig, resolve: &Resolve) -> Vec<Diagnostic> {
    let Some(file) = &loaded.file else {
        return Vec::new();
    };
    let imports = imported_functions(resolve);
    let mut diagnostics = Vec::new();
    for mock in &loaded.config.run.mocks {
        if let Some(message) = mistake(resolve, &imports, mock) {
            diagnostics.push(config_diagnostic(file, mock.span.clone(), message));
        }
    }
    diagnostics
}

fn mistake(
    resolve: &Resolve,
    imports: &[(Option<String>, &Function)],
    mock: &RunMock,
) -> Option<String> {
    let (interface, function) = split(&mock.import);
    let Some((_, imported)) = imports.iter().find(|(name, f)| {
        f.name == function
            && match (name, &interface) {
                (Some(name), Some(written)) => same_interface(name, written),
                (None, None) => true,
                _ => false,
            }
    }) else {
        return Some(format!(
            "[run] mocks: no world of this package imports a function `{}`",
            mock.import
        ));
    };
    // Types wasm-wave cannot express (resources) are left to the runtime.
    let ty = resolve_wit_func_type(resolve, imported).ok()?;
    let results: Vec<_> = ty.results().collect();
    match results.as_slice() {
        [] if mock.value.is_empty() || mock.value == "()" => None,
        [] => Some(format!(
            "[run] mocks: `{}` returns nothing, so its value must be empty (''), not `{}`",
            mock.import, mock.value
        )),
        [result] => wasm_wave::from_str::<Value>(result, &mock.value)
            .err()
            .map(|e| {
                format!(
                    "[run] mocks: `{}` is not a value of `{}`, the result type of `{}` ({e})",
                    mock.value, result, mock.import
                )
            }),
        _ => None,
    }
}
