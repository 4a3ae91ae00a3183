//! `disassemble`: the wasm operators around an instruction, as WAT, with
//! their function and source line — for WAT components and code without
//! DWARF, and for stepping by instruction.

use serde_json::{Value, json};

use super::adapter::{Adapter, parse};
use super::protocol::*;
use super::read_memory::parse_address;

impl Adapter {
    pub(super) fn disassemble(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: DisassembleArguments = parse(arguments)?;
        let base = parse_address(&arguments.memory_reference)?;
        // A byte offset moves within the module; instructions are counted
        // from the one at (or after) that byte.
        let address = base.saturating_add_signed(arguments.offset);
        let session = self
            .session
            .as_ref()
            .ok_or_else(super::adapter::no_session)?;
        let listed = session.disassemble(
            address,
            arguments.instruction_offset,
            arguments.instruction_count,
        );
        // Placeholders count on from the nearest real instruction, so that
        // addresses keep increasing.
        let first = listed.iter().position(Option::is_some);
        let last = listed.iter().rposition(Option::is_some);
        let placeholder = |k: usize| -> u64 {
            match (first, last) {
                (Some(f), _) if k < f => {
                    let at = listed[f].as_ref().map_or(0, |i| i.address);
                    at.saturating_sub((f - k) as u64)
                }
                (_, Some(l)) => {
                    let at = listed[l].as_ref().map_or(0, |i| i.address);
                    at.saturating_add(k.saturating_sub(l) as u64)
                }
                _ => address.saturating_add_signed(arguments.instruction_offset + k as i64),
            }
        };
        let mut previous_line = None;
        let instructions: Vec<DisassembledInstruction> = listed
            .iter()
            .cloned()
            .enumerate()
            .map(|(k, instruction)| match instruction {
                Some(instruction) => {
                    // The source is given where it changes, as DAP asks.
                    let line = instruction
                        .source
                        .as_ref()
                        .map(|s| (s.file.clone(), s.line));
                    let changed = line != previous_line;
                    previous_line = line;
                    DisassembledInstruction {
                        address: format!("{:#x}", instruction.address),
                        instruction: instruction.text,
                        symbol: instruction.function,
                        location: instruction
                            .source
                            .as_ref()
                            .filter(|_| changed)
                            .map(|s| self.source_of(s)),
                        line: instruction.source.as_ref().map(|s| s.line),
                        presentation_hint: None,
                    }
                }
                // Outside the module's code: placeholders, so the client
                // gets the count it asked for.
                None => DisassembledInstruction {
                    address: format!("{:#x}", placeholder(k)),
                    instruction: "??".to_string(),
                    symbol: None,
                    location: None,
                    line: None,
                    presentation_hint: Some("invalid"),
                },
            })
            .collect();
        Ok(json!({ "instructions": instructions }))
    }
}
