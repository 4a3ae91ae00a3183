//! The values a stopped frame shows: source variables from DWARF read
//! through a [`FrameMachine`], and the wasm-level fallbacks (locals,
//! operand stack, globals) every frame has.

use wasmtime::{FrameHandle, Instance, StoreContextMut, Val};

use super::dwarf::{Expansion, Machine, SourceValue};
use crate::prepared::Host;

/// A value as a debugger lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    pub value: String,
    pub type_name: String,
    /// Set when it has members, elements or a pointee, listed by
    /// [`super::DebugSession::children`] while the guest stays stopped.
    pub children: Option<Children>,
    /// Where it lives in the frame's linear memory.
    pub address: Option<u64>,
}

/// A handle on a value's children, valid during the stop that made it.
#[derive(Debug, Clone)]
pub struct Children {
    pub(super) stop: u64,
    pub(super) wasm_frame: usize,
    pub(super) module: usize,
    pub(super) expansion: Expansion,
}

impl PartialEq for Children {
    // Handles compare by what they were made from, not by the bytes read.
    fn eq(&self, other: &Children) -> bool {
        self.stop == other.stop
            && self.wasm_frame == other.wasm_frame
            && self.module == other.module
    }
}

impl Eq for Children {}

/// Where a frame's source values are read: its wasm locals and operand
/// stack, and its instance's globals and memory 0.
pub(super) struct FrameMachine<'a, 'b> {
    pub store: &'a mut StoreContextMut<'b, Host>,
    pub handle: &'a FrameHandle,
    pub instance: Option<Instance>,
}

impl FrameMachine<'_, '_> {
    fn instance(&self) -> Result<Instance, String> {
        self.instance
            .ok_or_else(|| "the frame's instance is not readable".to_string())
    }
}

impl Machine for FrameMachine<'_, '_> {
    fn local(&mut self, index: u32) -> Result<u64, String> {
        let value = self
            .handle
            .local(&mut *self.store, index)
            .map_err(|e| format!("wasm local {index}: {e:#}"))?;
        bits(&value)
    }

    fn global(&mut self, index: u32) -> Result<u64, String> {
        let global = self
            .instance()?
            .debug_global(&mut *self.store, index)
            .ok_or_else(|| format!("no wasm global {index}"))?;
        bits(&global.get(&mut *self.store))
    }

    fn stack(&mut self, index: u32) -> Result<u64, String> {
        let value = self
            .handle
            .stack(&mut *self.store, index)
            .map_err(|e| format!("operand stack slot {index}: {e:#}"))?;
        bits(&value)
    }

    fn memory(&mut self, address: u64, len: usize) -> Result<Vec<u8>, String> {
        let memory = self
            .instance()?
            .debug_memory(&mut *self.store, 0)
            .ok_or("the frame's instance has no linear memory")?;
        let data = memory.data(&*self.store);
        let start = usize::try_from(address).unwrap_or(usize::MAX);
        match start.checked_add(len) {
            Some(end) if end <= data.len() => Ok(data[start..end].to_vec()),
            _ => Err(format!("address {address:#010x} is outside linear memory")),
        }
    }
}

/// A wasm value's bits (an i32 zero-extended), as location expressions use
/// them.
fn bits(value: &Val) -> Result<u64, String> {
    match value {
        Val::I32(v) => Ok(u64::from(*v as u32)),
        Val::I64(v) => Ok(*v as u64),
        Val::F32(bits) => Ok(u64::from(*bits)),
        Val::F64(bits) => Ok(*bits),
        _ => Err("a reference value has no address".to_string()),
    }
}

/// A source value as the session hands it out.
pub(super) fn source_variable(
    value: SourceValue,
    stop: u64,
    wasm_frame: usize,
    module: usize,
) -> Variable {
    Variable {
        name: value.name,
        value: value.value,
        type_name: value.type_name,
        children: value.children.map(|expansion| Children {
            stop,
            wasm_frame,
            module,
            expansion,
        }),
        address: value.address,
    }
}

/// A wasm value (local, operand stack slot, global).
pub(super) fn wasm_variable(name: String, value: &Val) -> Variable {
    let (value, type_name) = match value {
        Val::I32(v) => (v.to_string(), "i32"),
        Val::I64(v) => (v.to_string(), "i64"),
        Val::F32(bits) => (f32::from_bits(*bits).to_string(), "f32"),
        Val::F64(bits) => (f64::from_bits(*bits).to_string(), "f64"),
        Val::V128(v) => (format!("{:#034x}", v.as_u128()), "v128"),
        Val::FuncRef(f) => (
            if f.is_some() { "funcref" } else { "null" }.to_string(),
            "funcref",
        ),
        Val::ExternRef(r) => (
            if r.is_some() { "externref" } else { "null" }.to_string(),
            "externref",
        ),
        Val::AnyRef(r) => (
            if r.is_some() { "anyref" } else { "null" }.to_string(),
            "anyref",
        ),
        Val::ExnRef(r) => (
            if r.is_some() { "exnref" } else { "null" }.to_string(),
            "exnref",
        ),
        Val::ContRef(_) => ("contref".to_string(), "contref"),
    };
    Variable {
        name,
        value,
        type_name: type_name.to_string(),
        children: None,
        address: None,
    }
}
