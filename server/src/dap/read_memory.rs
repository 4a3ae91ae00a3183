//! `readMemory`: bytes of the stopped guest's linear memory (a variable's
//! `memoryReference` is its address).

use serde_json::{Value, json};

use super::adapter::{Adapter, parse};
use super::protocol::*;

impl Adapter {
    pub(super) fn read_memory(&mut self, arguments: Value) -> Result<Value, String> {
        use base64::Engine as _;
        let arguments: ReadMemoryArguments = parse(arguments)?;
        let base = parse_address(&arguments.memory_reference)?;
        let address = base.saturating_add_signed(arguments.offset);
        let session = self.stopped_session()?;
        let bytes = session.read_memory(0, address, arguments.count)?;
        Ok(json!({
            "address": format!("{address:#x}"),
            "data": base64::engine::general_purpose::STANDARD.encode(&bytes),
            "unreadableBytes": arguments.count - bytes.len(),
        }))
    }
}

/// An address as DAP clients write it: `0x1a2b` or decimal.
pub(super) fn parse_address(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.map_err(|_| format!("`{text}` is not a memory address"))
}
