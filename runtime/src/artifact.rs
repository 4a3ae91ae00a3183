//! Loading a `.wasm` file: a component, a core module, or a clear error.

use std::path::Path;

use anyhow::{Context, bail};
use wasmtime::Module;
use wasmtime::component::Component;

use crate::Runtime;

/// A compiled WebAssembly binary.
pub enum Artifact {
    Component(Component),
    /// A core module, as a WASI preview 1 program is.
    Module(Module),
}

pub fn load_file(runtime: &Runtime, path: &Path) -> anyhow::Result<Artifact> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    load_bytes(runtime, &bytes).with_context(|| format!("cannot load {}", path.display()))
}

/// Compiles `bytes` as a component or a core module, whichever they are.
pub fn load_bytes(runtime: &Runtime, bytes: &[u8]) -> anyhow::Result<Artifact> {
    if wasmparser::Parser::is_component(bytes) {
        let component = Component::new(runtime.engine(), bytes)
            .map_err(anyhow::Error::from)
            .context("the component does not validate or compile")?;
        Ok(Artifact::Component(component))
    } else if wasmparser::Parser::is_core_wasm(bytes) {
        let module = Module::new(runtime.engine(), bytes)
            .map_err(anyhow::Error::from)
            .context("the core module does not validate or compile")?;
        Ok(Artifact::Module(module))
    } else {
        let start: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
        bail!(
            "not a WebAssembly binary (it starts with `{}`, not `00 61 73 6d`); \
             pass a .wasm component or module, e.g. the output of `cargo component build`",
            start.join(" ")
        )
    }
}
