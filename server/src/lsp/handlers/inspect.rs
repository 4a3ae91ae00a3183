//! `wasmlens.exports`: a component's WIT, decoded from the component
//! itself, for clients that show it (VS Code's "Show Component Exports").
//! It reads the file and runs nothing, so it works with execution off.

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::Uri;

use crate::lsp::commands::invalid;
use crate::lsp::convert::path_of;

pub const EXPORTS: &str = "wasmlens.exports";

#[derive(Deserialize)]
struct ExportsArgument {
    uri: Uri,
}

/// `{"uri"}` of a `.wasm` or `.wat` component → `{"path", "wit"}`.
pub fn component_exports(arguments: &[Value]) -> Result<Value> {
    let argument: ExportsArgument = arguments
        .first()
        .cloned()
        .and_then(|a| serde_json::from_value(a).ok())
        .ok_or_else(|| {
            invalid(format!(
                "`{EXPORTS}` takes one argument: {{\"uri\": \"file:///…/component.wasm\"}}"
            ))
        })?;
    let Some(path) = path_of(&argument.uri) else {
        return Err(invalid(format!(
            "{} is not a file; give the file: URI of a component",
            argument.uri.as_str()
        )));
    };
    let bytes = std::fs::read(&path)
        .map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
    let wit = wasmlens_runtime::component_wit(&bytes)
        .map_err(|e| invalid(format!("{}: {e:#}", path.display())))?;
    Ok(json!({ "path": path, "wit": wit }))
}
