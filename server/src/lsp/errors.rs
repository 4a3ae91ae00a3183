//! The one way to build error responses. The message is what the user
//! reads (clients show it as is): it says what went wrong and what to do
//! next, with no prefix of our own or of the protocol's. The code says
//! whose fault it is:
//!
//! - [`invalid_params`]: the request itself is wrong (a missing argument,
//!   an unknown command, an export the world does not have): sending it
//!   again will not help.
//! - [`request_failed`]: the request was right but the work failed (no
//!   built component, a runtime or build failure, a file that cannot be
//!   read): it may work once the user has fixed what the message names.
//! - [`internal`]: a bug in wasmlens (a panic in a handler).

use tower_lsp_server::jsonrpc::{Error, ErrorCode};

/// LSP's `RequestFailed` (3.17): a valid request whose work failed.
const REQUEST_FAILED: i64 = -32803;

pub fn invalid_params(message: impl Into<String>) -> Error {
    error(ErrorCode::InvalidParams, message)
}

pub fn request_failed(message: impl Into<String>) -> Error {
    error(ErrorCode::ServerError(REQUEST_FAILED), message)
}

pub fn internal(message: impl Into<String>) -> Error {
    error(ErrorCode::InternalError, message)
}

fn error(code: ErrorCode, message: impl Into<String>) -> Error {
    Error {
        code,
        message: message.into().into(),
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_code_and_the_message_as_given() {
        let cases = [
            (invalid_params("no `uri`"), -32602),
            (request_failed("no built component"), -32803),
            (internal("a panic"), -32603),
        ];
        for (error, code) in cases {
            assert_eq!(error.code.code(), code, "{}", error.message);
            assert!(
                !error.message.contains("Invalid params"),
                "{}",
                error.message
            );
        }
        assert_eq!(
            request_failed("no built component").message,
            "no built component"
        );
    }
}
