//! Positions as the CLI prints them: 1-based lines and columns, columns in
//! Unicode scalar values, offsets in bytes.

use serde::Serialize;

use crate::analysis::line_index::{ColumnUnit, LineIndex};
use crate::syntax::{TextRange, TextSize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

impl Span {
    /// The span of `range` in `text`; a finding about a whole file sits at
    /// its start.
    pub fn of(text: &str, range: Option<TextRange>) -> Span {
        let index = LineIndex::new(text);
        let range = range.unwrap_or_else(|| TextRange::empty(TextSize::from(0)));
        let position = |offset: TextSize| {
            let lc = index.line_col(text, offset, ColumnUnit::Char);
            Position {
                line: lc.line + 1,
                column: lc.col + 1,
                offset: offset.into(),
            }
        };
        Span {
            start: position(range.start()),
            end: position(range.end()),
        }
    }
}
