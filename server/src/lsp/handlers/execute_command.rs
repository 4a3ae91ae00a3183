//! `workspace/executeCommand`: the router. The command is parsed once
//! into its kind ([`Command`]); the lens commands run something, so they
//! pass the "execution off" gate first; `wasmlens.exports` runs nothing.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::ExecuteCommandParams;

use super::{exports, lens_commands};
use crate::lsp::errors::{internal, invalid_params};
use crate::lsp::ext::{Command, CommandKind};
use crate::lsp::state::State;

pub async fn execute_command(
    state: &Arc<State>,
    params: ExecuteCommandParams,
) -> Result<Option<Value>> {
    let kind = CommandKind::of(&params.command)?;
    if let CommandKind::Lens(command) = kind
        && !state.execution.load(Ordering::Relaxed)
    {
        return Err(invalid_params(format!(
            "`{}`: running components is disabled for this workspace (the editor started wasmlens with execution off, e.g. an untrusted workspace)",
            command.name()
        )));
    }
    let answer = match Command::parse(kind, &params)? {
        Command::Exports(argument) => to_json(exports::component_exports(argument).await?),
        Command::Lens(command, argument) => {
            let token = params.work_done_progress_params.work_done_token;
            to_json(lens_commands::execute(state, command, *argument, token).await?)
        }
    }?;
    Ok(Some(answer))
}

fn to_json(answer: impl serde::Serialize) -> Result<Value> {
    serde_json::to_value(answer)
        .map_err(|e| internal(format!("wasmlens: cannot encode the answer: {e}")))
}
