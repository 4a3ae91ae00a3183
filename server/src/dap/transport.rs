//! DAP's framing: `Content-Length: N\r\n\r\n` and N bytes of JSON, both
//! ways (the same as LSP's).

use std::io::{BufRead, Write};

use serde_json::Value;

/// The next message, `None` at the end of the input; a message that is not
/// JSON is an error naming what was wrong.
pub fn read_message(input: &mut impl BufRead) -> std::io::Result<Option<Result<Value, String>>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let Some(length) = length else {
        return Ok(Some(
            Err("a message without a Content-Length header".into()),
        ));
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(
        serde_json::from_slice(&body).map_err(|e| format!("a message that is not JSON: {e}")),
    ))
}

pub fn write_message(output: &mut impl Write, message: &Value) -> std::io::Result<()> {
    let body = serde_json::to_vec(message)?;
    write!(output, "Content-Length: {}\r\n\r\n", body.len())?;
    output.write_all(&body)?;
    output.flush()
}
