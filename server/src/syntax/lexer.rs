//! Splits WIT text into tokens, trivia included, the way wit-parser's lexer
//! does, but without stopping at the first bad character.

use super::SyntaxKind::{self, *};

/// One token: its kind and its length in bytes. Offsets follow from the sum
/// of the lengths before it, so the tokens always cover the whole text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: SyntaxKind,
    pub len: u32,
}

/// A problem the lexer found, with wit-parser's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub offset: u32,
    pub len: u32,
    pub message: String,
}

/// Tokenizes `text`. Every byte of `text` belongs to exactly one token.
pub fn tokenize(text: &str) -> (Vec<Token>, Vec<LexError>) {
    let mut lexer = Lexer {
        text,
        pos: 0,
        // Real WIT averages more than four bytes per token, trivia
        // included; reserving that up front saves the copies of growing.
        tokens: Vec::with_capacity(text.len() / 4 + 16),
        errors: Vec::new(),
    };
    lexer.check_codepoints();
    if text.starts_with('\u{feff}') {
        lexer.pos = '\u{feff}'.len_utf8();
        lexer.push(WHITESPACE, 0);
    }
    while lexer.pos < text.len() {
        lexer.next_token();
    }
    (lexer.tokens, lexer.errors)
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    tokens: Vec<Token>,
    errors: Vec<LexError>,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn push(&mut self, kind: SyntaxKind, start: usize) {
        self.tokens.push(Token {
            kind,
            len: (self.pos - start) as u32,
        });
    }

    fn error(&mut self, offset: usize, len: usize, message: impl Into<String>) {
        // An error at the end of the text is empty rather than past it.
        let len = len.min(self.text.len().saturating_sub(offset));
        self.errors.push(LexError {
            offset: offset as u32,
            len: len as u32,
            message: message.into(),
        });
    }

    /// wit-parser rejects some codepoints anywhere in a file, comments
    /// included, before it tokenizes.
    fn check_codepoints(&mut self) {
        // Only control characters can be wrong in ASCII text; most WIT is
        // ASCII, and this check is far cheaper than decoding every char.
        if self.text.is_ascii()
            && !self
                .text
                .bytes()
                .any(|b| b.is_ascii_control() && !matches!(b, b'\n' | b'\r' | b'\t'))
        {
            return;
        }
        for (pos, ch) in self.text.char_indices() {
            let message = match ch {
                '\n' | '\r' | '\t' => continue,
                '\u{202a}' | '\u{202b}' | '\u{202c}' | '\u{202d}' | '\u{202e}' | '\u{2066}'
                | '\u{2067}' | '\u{2068}' | '\u{2069}' => format!(
                    "Input contains bidirectional override codepoint {:?}",
                    ch.escape_unicode().to_string()
                ),
                '\u{149}' | '\u{673}' | '\u{f77}' | '\u{f79}' | '\u{17a3}' | '\u{17a4}'
                | '\u{17b4}' | '\u{17b5}' => format!(
                    "Codepoint {:?} is discouraged by Unicode",
                    ch.escape_unicode().to_string()
                ),
                ch if ch.is_control() => format!("Control code '{}'", ch.escape_unicode()),
                _ => continue,
            };
            self.error(pos, ch.len_utf8(), message);
        }
    }

    fn eat(&mut self, ch: char) -> bool {
        if self.peek() == Some(ch) {
            self.pos += ch.len_utf8();
            true
        } else {
            false
        }
    }

    fn eat_while(&mut self, pred: impl Fn(char) -> bool) {
        while let Some(ch) = self.peek() {
            if !pred(ch) {
                break;
            }
            self.pos += ch.len_utf8();
        }
    }

    fn next_token(&mut self) {
        let start = self.pos;
        let ch = self.peek().expect("next_token is called before the end");
        self.pos += ch.len_utf8();
        let kind = match ch {
            ' ' | '\t' | '\n' => {
                self.eat_whitespace();
                WHITESPACE
            }
            '\r' if self.peek() == Some('\n') => {
                self.eat_whitespace();
                WHITESPACE
            }
            '/' if self.eat('/') => {
                while let Some(ch) = self.peek() {
                    if ch == '\n' || self.rest().starts_with("\r\n") {
                        break;
                    }
                    self.pos += ch.len_utf8();
                }
                COMMENT
            }
            '/' if self.eat('*') => {
                self.block_comment(start);
                COMMENT
            }
            '/' => SLASH,
            '=' => EQ,
            ',' => COMMA,
            ':' => COLON,
            '.' => DOT,
            ';' => SEMICOLON,
            '(' => L_PAREN,
            ')' => R_PAREN,
            '{' => L_BRACE,
            '}' => R_BRACE,
            '<' => L_ANGLE,
            '>' => R_ANGLE,
            '*' => STAR,
            '@' => AT,
            '+' => PLUS,
            '-' if self.eat('>') => ARROW,
            // wit-parser matches `-` before identifiers, so `-foo` is `-` `foo`.
            '-' => MINUS,
            '%' => {
                if self.peek().is_some_and(is_keylike_start) {
                    self.eat_while(is_keylike_continue);
                }
                EXPLICIT_IDENT
            }
            '"' => {
                self.string_literal();
                STRING
            }
            ch if is_keylike_start(ch) => {
                self.eat_while(is_keylike_continue);
                SyntaxKind::from_keyword(&self.text[start..self.pos]).unwrap_or(IDENT)
            }
            ch if ch.is_ascii_digit() => {
                self.eat_while(|c| c.is_ascii_digit());
                INTEGER
            }
            ch => {
                self.error(start, ch.len_utf8(), format!("unexpected character {ch:?}"));
                ERROR_TOKEN
            }
        };
        self.push(kind, start);
    }

    fn eat_whitespace(&mut self) {
        loop {
            if self.eat(' ') || self.eat('\t') || self.eat('\n') {
                continue;
            }
            if self.rest().starts_with("\r\n") {
                self.pos += 2;
                continue;
            }
            break;
        }
    }

    fn block_comment(&mut self, start: usize) {
        let mut depth = 1;
        while depth > 0 {
            let Some(ch) = self.peek() else {
                self.error(start, 1, "unterminated block comment");
                return;
            };
            self.pos += ch.len_utf8();
            match ch {
                '/' if self.eat('*') => depth += 1,
                '*' if self.eat('/') => depth -= 1,
                _ => {}
            }
        }
    }

    fn string_literal(&mut self) {
        loop {
            let Some(ch) = self.peek() else {
                self.error(self.pos, 1, "unexpected end of file");
                return;
            };
            let at = self.pos;
            self.pos += ch.len_utf8();
            match ch {
                '"' => return,
                '\\' => match self.peek() {
                    Some('"' | '\'' | 't' | 'n' | 'r' | '\\' | 'u') => {
                        let escape = self.peek();
                        self.pos += 1;
                        if escape == Some('u') && self.eat('{') {
                            self.eat_while(|c| c.is_ascii_hexdigit() || c == '_');
                            if !self.eat('}') {
                                self.error(self.pos, 1, "expected character '}'");
                            }
                        }
                    }
                    Some(c) if c.is_ascii_hexdigit() => {
                        self.pos += 1;
                        match self.peek() {
                            Some(c) if c.is_ascii_hexdigit() => self.pos += 1,
                            Some(c) => self.error(self.pos, 1, format!("invalid hex digit {c:?}")),
                            None => {}
                        }
                    }
                    Some(c) => {
                        self.error(
                            self.pos,
                            c.len_utf8(),
                            format!("invalid string escape {c:?}"),
                        );
                    }
                    None => {}
                },
                '\n' => {
                    // A newline cannot be part of a string literal: stop here
                    // so one unterminated string does not swallow the file.
                    self.error(at, 1, format!("invalid string character {ch:?}"));
                    return;
                }
                c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                    self.error(at, c.len_utf8(), format!("invalid string character {c:?}"));
                }
                _ => {}
            }
        }
    }
}

/// wit-parser lexes any XID start, `_` or `-` as the start of an identifier
/// and diagnoses the characters afterwards.
pub fn is_keylike_start(ch: char) -> bool {
    unicode_ident::is_xid_start(ch) || ch == '_' || ch == '-'
}

pub fn is_keylike_continue(ch: char) -> bool {
    unicode_ident::is_xid_continue(ch) || ch == '-'
}

/// Checks an identifier (without its `%`) the way wit-parser does: parts
/// separated by `-`, each all lowercase or all uppercase, the first starting
/// with a letter. Returns wit-parser's message on failure.
pub fn validate_id(id: &str) -> Result<(), String> {
    const EMPTY: &str = "identifiers must have characters between '-'s";
    if id.is_empty() {
        return Err(EMPTY.to_string());
    }
    for (index, part) in id.split('-').enumerate() {
        let Some(first) = part.chars().next() else {
            return Err(EMPTY.to_string());
        };
        if index == 0 && !first.is_ascii_alphabetic() {
            return Err(format!("invalid character in identifier {first:?}"));
        }
        let mut upper = None;
        for ch in part.chars() {
            let is_upper = if ch.is_ascii_digit() {
                continue;
            } else if ch.is_ascii_uppercase() {
                true
            } else if ch.is_ascii_lowercase() {
                false
            } else {
                return Err(format!("invalid character in identifier {ch:?}"));
            };
            match upper {
                None => upper = Some(is_upper),
                Some(seen) if seen != is_upper => {
                    return Err(format!("invalid character in identifier {ch:?}"));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}
