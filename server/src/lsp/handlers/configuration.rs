//! The editor's `[run]` settings: `initializationOptions.run` and
//! `workspace/didChangeConfiguration` (`{"wasmlens": {"run": …}}`).

use tower_lsp_server::ls_types::{DidChangeConfigurationParams, MessageType};

use crate::lenses::settings::EditorRun;
use crate::lsp::state::{State, lock};

pub async fn did_change_configuration(state: &State, params: DidChangeConfigurationParams) {
    // VS Code sends `{"wasmlens": {...}}` for its configuration section.
    if let Some(run) = params.settings.get("wasmlens").and_then(|w| w.get("run")) {
        set_editor_run(state, run).await;
    }
}

/// Takes the editor's `[run]` settings; a value that cannot be read is
/// shown to the user (naming the setting) and the rest still apply once it
/// is fixed.
pub async fn set_editor_run(state: &State, value: &serde_json::Value) {
    let run = match serde_json::from_value::<EditorRun>(value.clone()) {
        Ok(run) => run,
        Err(e) => {
            let message = format!(
                "wasmlens.run settings are not valid: {e}; fix them in the editor's settings"
            );
            state.client.show_message(MessageType::ERROR, message).await;
            return;
        }
    };
    if let Err(message) = run.check() {
        let message = format!("{message}; fix it in the editor's settings");
        state.client.show_message(MessageType::ERROR, message).await;
    }
    *lock(&state.editor_run) = run;
}
