//! The editor's `[run]` settings: `initializationOptions.run` and
//! `workspace/didChangeConfiguration` (`{"wasmlens": {"run": …}}`), in
//! VS Code's names (`maxMemory`, `allowNet`, …).

use std::collections::BTreeMap;

use serde::Deserialize;
use tower_lsp_server::ls_types::{DidChangeConfigurationParams, MessageType};

use crate::analysis::config::{RunDir, WrittenRun, WrittenValue};
use crate::lsp::state::{State, lock};

pub async fn did_change_configuration(state: &State, params: DidChangeConfigurationParams) {
    // VS Code sends `{"wasmlens": {...}}` for its configuration section.
    if let Some(run) = params.settings.get("wasmlens").and_then(|w| w.get("run")) {
        set_editor_run(state, run).await;
    }
}

/// `wasmlens.run` as the editor sends it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct EditorRun {
    fuel: Option<u64>,
    timeout: Option<String>,
    max_memory: Option<String>,
    dirs: Vec<EditorDir>,
    env: BTreeMap<String, String>,
    allow_net: Option<bool>,
    inherit_env: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EditorDir {
    host: String,
    guest: Option<String>,
    #[serde(default)]
    read_only: bool,
}

impl EditorRun {
    fn written(self) -> WrittenRun {
        let written = |text: Option<String>, setting: &str| {
            text.map(|text| WrittenValue {
                text,
                name: format!("setting wasmlens.run.{setting}"),
                span: None,
            })
        };
        WrittenRun {
            fuel: self.fuel,
            timeout: written(self.timeout, "timeout"),
            max_memory: written(self.max_memory, "maxMemory"),
            dirs: self
                .dirs
                .into_iter()
                .map(|d| RunDir {
                    host: d.host,
                    guest: d.guest,
                    read_only: d.read_only,
                })
                .collect(),
            env: self.env,
            allow_net: self.allow_net,
            inherit_env: self.inherit_env,
            // Mocks and plugs belong to the project: wasmlens.toml only.
            mocks: Vec::new(),
            plugs: Vec::new(),
        }
    }
}

/// Takes the editor's `[run]` settings; a value that cannot be read is
/// shown to the user (naming the setting) and the rest still apply.
pub async fn set_editor_run(state: &State, value: &serde_json::Value) {
    let editor = match serde_json::from_value::<EditorRun>(value.clone()) {
        Ok(editor) => editor,
        Err(e) => {
            let message = format!(
                "wasmlens.run settings are not valid: {e}; fix them in the editor's settings"
            );
            state.client.show_message(MessageType::ERROR, message).await;
            return;
        }
    };
    let (run, errors) = editor.written().read();
    for error in errors {
        let message = format!("{}; fix it in the editor's settings", error.message);
        state.client.show_message(MessageType::ERROR, message).await;
    }
    *lock(&state.editor_run) = run;
}
