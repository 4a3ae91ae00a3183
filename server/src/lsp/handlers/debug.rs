//! `wasmlens/debug`: waits, then fails the way a bug would, on demand
//! ([`crate::lsp::ext::Debug`]).

use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;

use crate::lsp::ext::DebugParams;
use crate::lsp::state::{State, off_runtime};

pub async fn debug(state: &State, params: DebugParams) -> Result<Value> {
    tokio::time::sleep(Duration::from_millis(params.sleep_ms.min(60_000))).await;
    let panic = params.panic;
    let answer = off_runtime(move || {
        assert!(!panic, "wasmlens/debug was asked to panic");
    })
    .await;
    state.logged(answer).await?;
    Ok(Value::from("ok"))
}
