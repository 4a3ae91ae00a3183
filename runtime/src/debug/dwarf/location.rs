//! Where a variable's value is: a small evaluator of DWARF location
//! expressions as wasm producers (clang, rustc) write them. gimli parses
//! the operations, but its evaluator stops at `DW_OP_WASM_location`,
//! which is how every wasm local, global and operand-stack value is named;
//! so the stack machine is here, over the [`Machine`] of a stopped frame.
//!
//! - `DW_OP_WASM_location 0 N`: wasm local N; `1`/`3 N`: global N;
//!   `2 N`: the operand stack, N counted from its bottom (as LLVM's
//!   `TI_OPERAND_STACK` and Wasmtime's `FrameHandle::stack` count);
//! - `DW_OP_fbreg`: the function's frame base (itself an expression,
//!   usually a wasm local holding the shadow stack pointer) plus an
//!   offset, an address in linear memory;
//! - location lists choose an expression by pc.

use gimli::{Expression, Operation, Reader as _};

use super::{Machine, Reader};

/// Where a value lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// At this address of the frame's linear memory.
    Memory(u64),
    /// Its bytes themselves (a value in a wasm local, or a constant).
    Bytes(Vec<u8>),
}

/// What an expression computed, before it is a [`Place`].
#[derive(Debug)]
enum Location {
    Address(u64),
    /// A wasm value or a computed one (`DW_OP_stack_value`).
    Value(u64),
    Bytes(Vec<u8>),
    /// Nothing: the piece is optimised out.
    Empty,
}

/// Evaluates `expression`; `frame_base` is asked for at most once.
/// Little-endian bytes (at most 16 count) as an unsigned number.
pub(super) fn le_unsigned(bytes: &[u8]) -> u128 {
    let mut value = [0u8; 16];
    let len = bytes.len().min(16);
    value[..len].copy_from_slice(&bytes[..len]);
    u128::from_le_bytes(value)
}

pub fn evaluate(
    expression: &Expression<Reader>,
    encoding: gimli::Encoding,
    machine: &mut dyn Machine,
    frame_base: &mut dyn FnMut(&mut dyn Machine) -> Result<u64, String>,
    size: u64,
) -> Result<Place, String> {
    let mut stack: Vec<u64> = Vec::new();
    let mut pieces: Vec<(Location, u64)> = Vec::new();
    let mut current: Option<Location> = None;
    let mut operations = expression.clone().operations(encoding);
    let pop = |stack: &mut Vec<u64>| stack.pop().ok_or("a malformed location (stack empty)");
    loop {
        let operation = match operations.next() {
            Ok(Some(operation)) => operation,
            Ok(None) => break,
            Err(e) => return Err(format!("an unreadable location ({e})")),
        };
        match operation {
            Operation::Address { address } => stack.push(address),
            Operation::UnsignedConstant { value } => stack.push(value),
            Operation::SignedConstant { value } => stack.push(value as u64),
            Operation::FrameOffset { offset } => {
                let base = frame_base(machine)?;
                stack.push(base.wrapping_add(offset as u64));
            }
            Operation::WasmLocal { index } => {
                let value = machine.local(index)?;
                stack.push(value);
                current = Some(Location::Value(value));
            }
            Operation::WasmGlobal { index } => {
                let value = machine.global(index)?;
                stack.push(value);
                current = Some(Location::Value(value));
            }
            Operation::WasmStack { index } => {
                let value = machine.stack(index)?;
                stack.push(value);
                current = Some(Location::Value(value));
            }
            Operation::PlusConstant { value } => {
                let top = pop(&mut stack)?;
                stack.push(top.wrapping_add(value));
            }
            Operation::Deref { size, .. } => {
                let address = pop(&mut stack)?;
                let bytes = machine.memory(address, usize::from(size))?;
                stack.push(le_unsigned(&bytes) as u64);
            }
            Operation::Drop => {
                pop(&mut stack)?;
            }
            Operation::Swap => {
                let a = pop(&mut stack)?;
                let b = pop(&mut stack)?;
                stack.push(a);
                stack.push(b);
            }
            Operation::Pick { index } => {
                let i = stack
                    .len()
                    .checked_sub(usize::from(index) + 1)
                    .ok_or("a malformed location")?;
                stack.push(stack[i]);
            }
            Operation::Plus
            | Operation::Minus
            | Operation::Mul
            | Operation::And
            | Operation::Or
            | Operation::Xor
            | Operation::Shl
            | Operation::Shr
            | Operation::Shra => {
                let b = pop(&mut stack)?;
                let a = pop(&mut stack)?;
                stack.push(match operation {
                    Operation::Plus => a.wrapping_add(b),
                    Operation::Minus => a.wrapping_sub(b),
                    Operation::Mul => a.wrapping_mul(b),
                    Operation::And => a & b,
                    Operation::Or => a | b,
                    Operation::Xor => a ^ b,
                    Operation::Shl => a.wrapping_shl(b as u32),
                    Operation::Shr => a.wrapping_shr(b as u32),
                    _ => ((a as i64).wrapping_shr(b as u32)) as u64,
                });
            }
            Operation::Neg => {
                let a = pop(&mut stack)?;
                stack.push((a as i64).wrapping_neg() as u64);
            }
            Operation::Not => {
                let a = pop(&mut stack)?;
                stack.push(!a);
            }
            Operation::StackValue => {
                current = Some(Location::Value(pop(&mut stack)?));
            }
            Operation::ImplicitValue { data } => {
                current = Some(Location::Bytes(
                    data.to_slice()
                        .map_or_else(|_| Vec::new(), |bytes| bytes.into_owned()),
                ));
            }
            Operation::Piece {
                size_in_bits,
                bit_offset: None,
            } if size_in_bits % 8 == 0 => {
                let location = current
                    .take()
                    .or_else(|| stack.pop().map(Location::Address))
                    .unwrap_or(Location::Empty);
                stack.clear();
                pieces.push((location, size_in_bits / 8));
            }
            Operation::Nop => {}
            other => return Err(format!("a location this debugger cannot read ({other:?})")),
        }
    }
    if pieces.is_empty() {
        let location = match current {
            // A wasm location followed by arithmetic is an address.
            Some(Location::Value(_)) if stack.len() == 1 && !is_value(expression, encoding) => {
                Location::Address(stack[0])
            }
            Some(location) => location,
            None => Location::Address(*stack.last().ok_or("an empty location")?),
        };
        return Ok(match location {
            Location::Address(address) => Place::Memory(address),
            Location::Value(value) => Place::Bytes(value_bytes(value, size)),
            Location::Bytes(bytes) => Place::Bytes(bytes),
            Location::Empty => return Err(optimized_out()),
        });
    }
    // Pieces: the value's bytes, assembled.
    let mut bytes = Vec::new();
    for (location, piece) in pieces {
        match location {
            Location::Address(address) => {
                bytes.extend(machine.memory(address, piece as usize)?);
            }
            Location::Value(value) => bytes.extend(value_bytes(value, piece)),
            Location::Bytes(data) => bytes.extend(data.into_iter().take(piece as usize)),
            Location::Empty => return Err(optimized_out()),
        }
    }
    Ok(Place::Bytes(bytes))
}

/// Whether the expression's result is the value itself: it ends with a
/// wasm location, or with `DW_OP_stack_value`.
fn is_value(expression: &Expression<Reader>, encoding: gimli::Encoding) -> bool {
    let mut last = None;
    let mut operations = expression.clone().operations(encoding);
    while let Ok(Some(operation)) = operations.next() {
        last = Some(operation);
    }
    matches!(
        last,
        Some(
            Operation::StackValue
                | Operation::WasmLocal { .. }
                | Operation::WasmGlobal { .. }
                | Operation::WasmStack { .. }
        )
    )
}

fn value_bytes(value: u64, size: u64) -> Vec<u8> {
    let size = if size == 0 { 8 } else { size.min(8) } as usize;
    value.to_le_bytes()[..size].to_vec()
}

pub fn optimized_out() -> String {
    "<optimized out>".to_string()
}
