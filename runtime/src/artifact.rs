//! Loading: a component or a core module, as binary, as text (`.wat`) or
//! precompiled (`.cwasm`), or a clear error that says what the file is and
//! what to do.

use std::borrow::Cow;
use std::path::Path;

use anyhow::{Context, bail};
use wasmtime::component::Component;
use wasmtime::{Module, Precompiled};

use crate::Runtime;
use crate::compiled_cache::{is_memfd_seal_busy, retry_transient};

/// A compiled WebAssembly binary.
#[derive(Clone)]
pub enum Artifact {
    Component(Component),
    /// A core module, as a WASI preview 1 program is.
    Module(Module),
}

/// Whether precompiled code (`.cwasm`) may be loaded. It is native code
/// that Wasmtime trusts without validation, so only files the user made
/// (with `wasmlens compile`) should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrecompiledPolicy {
    #[default]
    Refuse,
    Allow,
}

pub fn load_file(
    runtime: &Runtime,
    path: &Path,
    policy: PrecompiledPolicy,
) -> anyhow::Result<Artifact> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    load_bytes(runtime, &bytes, policy).with_context(|| format!("cannot load {}", path.display()))
}

/// Compiles `bytes` as whatever they hold.
pub fn load_bytes(
    runtime: &Runtime,
    bytes: &[u8],
    policy: PrecompiledPolicy,
) -> anyhow::Result<Artifact> {
    if let Some(kind) = wasmtime::Engine::detect_precompiled(bytes) {
        return load_precompiled(runtime, bytes, kind, policy);
    }
    let binary = binary_of(bytes)?;
    let bytes = &binary[..];
    let engine = runtime.engine();
    let cache = runtime.compiled_cache();
    if wasmparser::Parser::is_component(bytes) {
        let component = match cache {
            Some(cache) => cache.component(engine, bytes).map(|(c, _)| c),
            None => Component::new(engine, bytes).map_err(anyhow::Error::from),
        }
        .context(
            "the component does not validate or compile; \
             `wasm-tools validate --features all` shows the first problem",
        )?;
        prepare_memory_images(|| component.initialize_copy_on_write_image());
        Ok(Artifact::Component(component))
    } else if wasmparser::Parser::is_core_wasm(bytes) {
        let module = match cache {
            Some(cache) => cache.module(engine, bytes).map(|(m, _)| m),
            None => Module::new(engine, bytes).map_err(anyhow::Error::from),
        }
        .context("the core module does not validate or compile")?;
        prepare_memory_images(|| module.initialize_copy_on_write_image());
        Ok(Artifact::Module(module))
    } else if bytes.starts_with(b"\0asm") {
        bail!(
            "a WebAssembly binary of an unknown version or layer (`{}` after the magic \
             number); wasmlens runs core modules (version 1) and components of the current \
             component-model encoding — rebuild it with current tools",
            hex(&bytes[4..8])
        )
    } else if bytes.len() < 8 {
        bail!(
            "not a WebAssembly binary: the file has only {} bytes",
            bytes.len()
        )
    } else {
        bail!(
            "not a WebAssembly binary (it starts with `{}`, not `00 61 73 6d`); \
             pass a .wasm component or module, e.g. the output of `cargo component build`",
            hex(&bytes[..8])
        )
    }
}

/// Makes the memories' initial images now, retrying the kernel's transient
/// refusal to seal a memfd; should it last, instantiation makes them
/// later (Wasmtime keeps no failure), so nothing reaches the user here.
fn prepare_memory_images(make: impl Fn() -> wasmtime::Result<()>) {
    let _ = retry_transient(|| make().map_err(anyhow::Error::from), is_memfd_seal_busy);
}

/// `bytes` as a binary: WAT text is translated, anything else is kept.
fn binary_of(bytes: &[u8]) -> anyhow::Result<Cow<'_, [u8]>> {
    if looks_like_text(bytes) {
        wat::parse_bytes(bytes).context("the text is not valid WebAssembly text (WAT)")
    } else {
        Ok(Cow::Borrowed(bytes))
    }
}

/// `00 61 73 6d`
fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// WAT starts, after whitespace and comments, with `(`.
fn looks_like_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(&bytes[..bytes.len().min(4096)]) else {
        return false;
    };
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix(";;") {
            rest = after.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else {
            return rest.starts_with('(');
        }
    }
}

fn load_precompiled(
    runtime: &Runtime,
    bytes: &[u8],
    kind: Precompiled,
    policy: PrecompiledPolicy,
) -> anyhow::Result<Artifact> {
    if policy == PrecompiledPolicy::Refuse {
        bail!(
            "this is precompiled native code (.cwasm); it runs only with `--allow-precompiled`, \
             and only if this wasmlens made it (`wasmlens compile`)"
        );
    }
    let incompatible = |e: wasmtime::Error| {
        anyhow::Error::from(e).context(
            "the precompiled code was made by another Wasmtime version or configuration; \
             compile it again with `wasmlens compile`",
        )
    };
    // SAFETY: precompiled code is trusted by the user's explicit choice
    // (`--allow-precompiled`); Wasmtime still checks that it was made by a
    // compatible engine and refuses it otherwise.
    match kind {
        Precompiled::Component => unsafe { Component::deserialize(runtime.engine(), bytes) }
            .map(Artifact::Component)
            .map_err(incompatible),
        Precompiled::Module => unsafe { Module::deserialize(runtime.engine(), bytes) }
            .map(Artifact::Module)
            .map_err(incompatible),
    }
}

/// Compiles `bytes` (binary or text) to precompiled code for this engine.
pub fn precompile(runtime: &Runtime, bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let binary = binary_of(bytes)?;
    let bytes = &binary[..];
    let compiled = if wasmparser::Parser::is_component(bytes) {
        runtime.engine().precompile_component(bytes)
    } else if wasmparser::Parser::is_core_wasm(bytes) {
        runtime.engine().precompile_module(bytes)
    } else {
        bail!("not a WebAssembly binary or text; pass a .wasm or .wat file")
    };
    compiled
        .map_err(anyhow::Error::from)
        .context("compilation failed")
}
