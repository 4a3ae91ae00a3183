//! Byte offsets to line/column positions and back.

use crate::syntax::TextSize;

/// Line starts of a text, for converting offsets to positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

/// A zero-based line and a zero-based column counted in the unit the caller
/// asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (LSP's default).
    Utf16,
    /// Unicode scalar values (what a person counts, and the CLI reports).
    Char,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        LineIndex { line_starts }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The position of `offset` in `text` (which this index was built from).
    pub fn line_col(&self, text: &str, offset: TextSize, unit: ColumnUnit) -> LineCol {
        let offset = u32::from(offset).min(text.len() as u32);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = &text[start..end];
        let col = match unit {
            ColumnUnit::Utf8 => prefix.len(),
            ColumnUnit::Utf16 => prefix.encode_utf16().count(),
            ColumnUnit::Char => prefix.chars().count(),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The byte offset of a position, clamped to the line's end (positions
    /// past the end of a line mean its end, as in LSP).
    pub fn offset(&self, text: &str, position: LineCol, unit: ColumnUnit) -> TextSize {
        let Some(&start) = self.line_starts.get(position.line as usize) else {
            return TextSize::of(text);
        };
        let end = self
            .line_starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |&next| next as usize - 1);
        let line = &text[start as usize..end];
        let mut remaining = position.col as usize;
        let mut bytes = 0;
        for ch in line.chars() {
            let width = match unit {
                ColumnUnit::Utf8 => ch.len_utf8(),
                ColumnUnit::Utf16 => ch.len_utf16(),
                ColumnUnit::Char => 1,
            };
            if remaining < width {
                break;
            }
            remaining -= width;
            bytes += ch.len_utf8();
        }
        TextSize::from(start + bytes as u32)
    }
}
