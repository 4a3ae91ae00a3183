//! The syntax layer: a lossless, error-tolerant WIT parser.
//!
//! Invariant: parsing never fails and knows nothing of packages, LSP or the
//! file system. It takes text and returns a tree that prints back to exactly
//! that text, plus the list of syntax errors.

pub mod format;
mod kind;
pub mod lexer;
mod parser;
pub mod tree;

pub use kind::{SyntaxKind, SyntaxNode, SyntaxToken, WitLanguage};
pub use parser::{Parse, SyntaxError, parse};
pub use rowan::{TextRange, TextSize};

impl Parse {
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }
}

#[cfg(test)]
mod tests;
