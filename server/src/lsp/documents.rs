//! The text of open documents, edited incrementally as the client sends
//! changes, in the position encoding agreed at initialisation.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, TextDocumentContentChangeEvent};

/// How the client counts columns; agreed in `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// An open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Self {
        Document {
            rope: Rope::from_str(text),
            version,
        }
    }

    /// Applies the changes of one `didChange`, in order (each change's
    /// range refers to the text as the previous change left it).
    pub fn apply_changes(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        version: i32,
        encoding: Encoding,
    ) {
        for change in changes {
            match change.range {
                None => self.rope = Rope::from_str(&change.text),
                Some(range) => {
                    let start = self.char_index(range.start, encoding);
                    let end = self.char_index(range.end, encoding).max(start);
                    self.rope.remove(start..end);
                    self.rope.insert(start, &change.text);
                }
            }
        }
        self.version = version;
    }

    /// The char index of a position, clamped into the text: a line past
    /// the end means the end, a column past a line's end means its end
    /// (before the line break), and a column inside a character means the
    /// start of that character.
    pub fn char_index(&self, position: Position, encoding: Encoding) -> usize {
        let rope = &self.rope;
        let line = position.line as usize;
        if line >= rope.len_lines() {
            return rope.len_chars();
        }
        let line_start = rope.line_to_char(line);
        let line_slice = rope.line(line);
        let mut content_chars = line_slice.len_chars();
        // The line break is not part of the line's columns.
        for ending in ["\r\n", "\n", "\r"] {
            let n = ending.chars().count();
            if content_chars >= n && line_slice.slice(content_chars - n..) == ending {
                content_chars -= n;
                break;
            }
        }
        let column = position.character as usize;
        let chars_in = match encoding {
            Encoding::Utf8 => {
                let line_byte = rope.char_to_byte(line_start);
                let content_bytes = rope.char_to_byte(line_start + content_chars) - line_byte;
                let byte = column.min(content_bytes);
                // A byte inside a character rounds down to its start.
                rope.byte_to_char(line_byte + byte) - line_start
            }
            Encoding::Utf16 => {
                let line_cu = rope.char_to_utf16_cu(line_start);
                let content_cu = rope.char_to_utf16_cu(line_start + content_chars) - line_cu;
                let cu = column.min(content_cu);
                rope.utf16_cu_to_char(line_cu + cu) - line_start
            }
        };
        line_start + chars_in.min(content_chars)
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::Range;

    fn change(start: (u32, u32), end: (u32, u32), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(start.0, start.1),
                Position::new(end.0, end.1),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    /// An edit: (start line/column, end line/column, new text).
    type Edit = ((u32, u32), (u32, u32), &'static str);

    /// (text, encoding, edit, expected text)
    const CASES: &[(&str, Encoding, Edit, &str)] = &[
        (
            "abc\ndef\n",
            Encoding::Utf16,
            ((1, 1), (1, 2), "X"),
            "abc\ndXf\n",
        ),
        // `é` is 2 bytes, 1 UTF-16 unit; `𝄞` is 4 bytes, 2 units.
        ("é𝄞x\n", Encoding::Utf16, ((0, 3), (0, 4), "y"), "é𝄞y\n"),
        ("é𝄞x\n", Encoding::Utf8, ((0, 6), (0, 7), "y"), "é𝄞y\n"),
        // Columns past the end of a line clamp to before its break.
        (
            "ab\r\ncd",
            Encoding::Utf16,
            ((0, 9), (0, 9), "!"),
            "ab!\r\ncd",
        ),
        // Lines past the end clamp to the end of the text.
        ("ab", Encoding::Utf8, ((5, 0), (6, 0), "!"), "ab!"),
        // Inside a surrogate pair: the start of the character.
        ("𝄞z", Encoding::Utf16, ((0, 1), (0, 1), "<"), "<𝄞z"),
    ];

    #[test]
    fn incremental_edits_in_both_encodings() {
        for (text, encoding, (start, end, insert), expected) in CASES {
            let mut doc = Document::new(text, 1);
            doc.apply_changes(vec![change(*start, *end, insert)], 2, *encoding);
            assert_eq!(doc.text(), *expected, "{text:?} {encoding:?}");
            assert_eq!(doc.version, 2);
        }
    }

    #[test]
    fn changes_of_one_notification_apply_in_order() {
        let mut doc = Document::new("hello\n", 1);
        doc.apply_changes(
            vec![change((0, 0), (0, 0), "a"), change((0, 1), (0, 2), "H")],
            2,
            Encoding::Utf16,
        );
        assert_eq!(doc.text(), "aHello\n");
    }
}
