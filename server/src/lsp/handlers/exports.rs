//! `wasmlens.exports`: a component's WIT, decoded from the component
//! itself, for clients that show it (VS Code's "Show Component Exports").
//! It reads the file and runs nothing, so it works with execution off.

use tower_lsp_server::jsonrpc::Result;

use crate::lsp::convert::path_of;
use crate::lsp::errors::{invalid_params, request_failed};
use crate::lsp::ext::{ExportsAnswer, ExportsArgument};
use crate::lsp::state::off_runtime;

pub async fn component_exports(argument: ExportsArgument) -> Result<ExportsAnswer> {
    let Some(path) = path_of(&argument.uri) else {
        return Err(invalid_params(format!(
            "{} is not a file; give the file: URI of a component",
            argument.uri.as_str()
        )));
    };
    off_runtime(move || {
        let bytes = std::fs::read(&path)
            .map_err(|e| request_failed(format!("cannot read {}: {e}", path.display())))?;
        let wit = wasmlens_runtime::component_wit(&bytes)
            .map_err(|e| request_failed(format!("{}: {e:#}", path.display())))?;
        Ok(ExportsAnswer { path, wit })
    })
    .await?
}
