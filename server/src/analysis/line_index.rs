//! Byte offsets to line/column positions and back.

use std::collections::HashMap;

use crate::syntax::TextSize;

/// Line starts of a text and where its non-ASCII characters are, for
/// converting offsets to positions and back in time logarithmic in the
/// line's length (editors send positions on minified or generated lines
/// too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// For lines with non-ASCII characters: those characters, in order.
    wide: HashMap<u32, Vec<WideChar>>,
}

/// A non-ASCII character: its byte column, and how many bytes fewer its
/// line has in UTF-16 units and in chars up to (not including) it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WideChar {
    start: u32,
    len_utf8: u8,
    len_utf16: u8,
    shrink_utf16_before: u32,
    shrink_chars_before: u32,
}

impl WideChar {
    fn shrink_before(&self, unit: ColumnUnit) -> u32 {
        match unit {
            ColumnUnit::Utf8 => 0,
            ColumnUnit::Utf16 => self.shrink_utf16_before,
            ColumnUnit::Char => self.shrink_chars_before,
        }
    }

    fn len(&self, unit: ColumnUnit) -> u32 {
        match unit {
            ColumnUnit::Utf8 => self.len_utf8.into(),
            ColumnUnit::Utf16 => self.len_utf16.into(),
            ColumnUnit::Char => 1,
        }
    }

    /// Its column in `unit`.
    fn column(&self, unit: ColumnUnit) -> u32 {
        self.start - self.shrink_before(unit)
    }
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
        let mut wide: HashMap<u32, Vec<WideChar>> = HashMap::new();
        let (mut shrink_utf16, mut shrink_chars) = (0, 0);
        for (i, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                line_starts.push(i as u32 + 1);
                (shrink_utf16, shrink_chars) = (0, 0);
            } else if byte >= 0x80 && !is_continuation(byte) {
                let ch = text[i..].chars().next().expect("a char starts here");
                let (len_utf8, len_utf16) = (ch.len_utf8() as u32, ch.len_utf16() as u32);
                let line = line_starts.len() as u32 - 1;
                wide.entry(line).or_default().push(WideChar {
                    start: i as u32 - line_starts[line as usize],
                    len_utf8: len_utf8 as u8,
                    len_utf16: len_utf16 as u8,
                    shrink_utf16_before: shrink_utf16,
                    shrink_chars_before: shrink_chars,
                });
                shrink_utf16 += len_utf8 - len_utf16;
                shrink_chars += len_utf8 - 1;
            }
        }
        LineIndex { line_starts, wide }
    }

    /// The position of `offset` in `text` (which this index was built from).
    pub fn line_col(&self, text: &str, offset: TextSize, unit: ColumnUnit) -> LineCol {
        let offset = u32::from(offset).min(text.len() as u32);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let column = offset - self.line_starts[line];
        let wide = self.wide.get(&(line as u32)).map_or(&[][..], Vec::as_slice);
        // The wide characters that start before the column; an offset
        // inside one counts up to its start.
        let before = wide.partition_point(|w| w.start < column);
        let col = match before.checked_sub(1).map(|i| wide[i]) {
            Some(w) if column < w.start + u32::from(w.len_utf8) => w.column(unit),
            Some(w) => column - w.shrink_before(unit) - (u32::from(w.len_utf8) - w.len(unit)),
            None => column,
        };
        LineCol {
            line: line as u32,
            col,
        }
    }

    /// The byte offset of a position, clamped to the line's end (positions
    /// past the end of a line mean its end, as in LSP); a column inside a
    /// character means that character's start.
    pub fn offset(&self, text: &str, position: LineCol, unit: ColumnUnit) -> TextSize {
        let Some(&start) = self.line_starts.get(position.line as usize) else {
            return TextSize::of(text);
        };
        let end = self
            .line_starts
            .get(position.line as usize + 1)
            .map_or(text.len() as u32, |&next| next - 1);
        let wide = self.wide.get(&position.line).map_or(&[][..], Vec::as_slice);
        let col = position.col;
        let before = wide.partition_point(|w| w.column(unit) < col);
        let bytes = match before.checked_sub(1).map(|i| wide[i]) {
            Some(w) if col < w.column(unit) + w.len(unit) => w.start,
            Some(w) => col + w.shrink_before(unit) + (u32::from(w.len_utf8) - w.len(unit)),
            None => col,
        };
        TextSize::from((start + bytes).min(end))
    }
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
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

    /// Every offset of a mixed text, both ways, against a plain count.
    #[test]
    fn agrees_with_counting_on_every_offset() {
        let text = "aé𝄞\n\n𝄞xé\r\nzz€";
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..offset].matches('\n').count() as u32;
            let prefix = &text[line_start..offset];
            for (unit, col) in [
                (ColumnUnit::Utf8, prefix.len()),
                (ColumnUnit::Utf16, prefix.encode_utf16().count()),
                (ColumnUnit::Char, prefix.chars().count()),
            ] {
                let at = LineCol {
                    line,
                    col: col as u32,
                };
                let offset = TextSize::from(offset as u32);
                assert_eq!(
                    index.line_col(text, offset, unit),
                    at,
                    "{offset:?} {unit:?}"
                );
                assert_eq!(index.offset(text, at, unit), offset, "{at:?} {unit:?}");
            }
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
        for unit in [ColumnUnit::Char, ColumnUnit::Utf16] {
            assert_eq!(
                LineIndex::new("é").line_col("é", TextSize::from(1), unit),
                LineCol { line: 0, col: 0 }
            );
        }
        // A column inside a surrogate pair means the character's start.
        let text = "a𝄞b";
        assert_eq!(
            LineIndex::new(text).offset(text, LineCol { line: 0, col: 2 }, ColumnUnit::Utf16),
            TextSize::from(1)
        );
    }
}
