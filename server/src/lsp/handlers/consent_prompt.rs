//! Asking the user, through the client (`window/showMessageRequest`),
//! whether a workspace's `wasmlens.toml` may have what it asks for.

use tower_lsp_server::ls_types::{MessageActionItem, MessageType};

use crate::lenses::consent::Wishes;
use crate::lsp::state::State;

pub const ALLOW_ONCE: &str = "Allow once";
pub const ALLOW_ALWAYS: &str = "Always for this workspace";
pub const DENY: &str = "Deny";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Once,
    Always,
    Deny,
}

/// The user's answer; a dismissed prompt, or a client that cannot ask,
/// denies.
pub async fn ask(state: &State, wishes: &Wishes) -> Answer {
    let actions = [ALLOW_ONCE, ALLOW_ALWAYS, DENY]
        .map(|title| MessageActionItem {
            title: title.to_string(),
            properties: Default::default(),
        })
        .to_vec();
    let chosen = state
        .client
        .show_message_request(MessageType::WARNING, wishes.question(), Some(actions))
        .await;
    match chosen {
        Ok(Some(item)) if item.title == ALLOW_ONCE => Answer::Once,
        Ok(Some(item)) if item.title == ALLOW_ALWAYS => Answer::Always,
        _ => Answer::Deny,
    }
}
