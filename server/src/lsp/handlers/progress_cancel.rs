//! `window/workDoneProgress/cancel`: the cancel button of a run's
//! progress stops that run.

use tower_lsp_server::ls_types::WorkDoneProgressCancelParams;

use crate::lsp::run_progress::cancel_by_token;
use crate::lsp::state::State;

pub async fn progress_cancel(state: &State, params: WorkDoneProgressCancelParams) {
    cancel_by_token(state, &params.token);
}
