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

#[cfg(test)]
mod tests {
    use super::{ColumnUnit, LineCol, LineIndex};
    use crate::syntax::TextSize;

    /// `(offset, unit, line, col)`: positions in `é𝄞x\nab` (é: 2 bytes, 1
    /// UTF-16 unit; 𝄞: 4 bytes, 2 UTF-16 units), both ways.
    #[test]
    fn converts_offsets_in_each_unit() {
        let text = "é𝄞x\nab";
        let index = LineIndex::new(text);
        let cases = [
            (0, ColumnUnit::Utf8, 0, 0),
            (2, ColumnUnit::Utf8, 0, 2),
            (2, ColumnUnit::Utf16, 0, 1),
            (2, ColumnUnit::Char, 0, 1),
            (6, ColumnUnit::Utf16, 0, 3),
            (6, ColumnUnit::Char, 0, 2),
            (7, ColumnUnit::Utf16, 0, 4),
            (8, ColumnUnit::Char, 1, 0),
            (10, ColumnUnit::Utf8, 1, 2),
        ];
        for (offset, unit, line, col) in cases {
            let offset = TextSize::from(offset);
            assert_eq!(
                index.line_col(text, offset, unit),
                LineCol { line, col },
                "{offset:?} {unit:?}"
            );
            assert_eq!(
                index.offset(text, LineCol { line, col }, unit),
                offset,
                "{line}:{col} {unit:?}"
            );
        }
    }

    #[test]
    fn positions_past_a_line_end_clamp_to_it() {
        let text = "ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(
            index.offset(text, LineCol { line: 0, col: 99 }, ColumnUnit::Utf16),
            TextSize::from(2)
        );
        assert_eq!(
            index.offset(text, LineCol { line: 9, col: 0 }, ColumnUnit::Utf16),
            TextSize::from(5)
        );
        // An offset inside a character counts up to that character's start.
        assert_eq!(
            index.line_col("é", TextSize::from(1), ColumnUnit::Char),
            LineCol { line: 0, col: 0 }
        );
    }
}
