//! The expressions a user types into a watch, a hover or the debug
//! console, as C and Rust debuggers read them: a variable `name`, a member
//! `a.b` (through a pointer too), `p->x`, an element `arr[i]` (arrays,
//! pointers, Rust slices, `Vec`s and strings; `i` a number or a variable),
//! `*p`, and parentheses.

use super::location::Place;
use super::render::{Shape, at};
use super::types::TypeRef;
use super::{Index, Machine};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Path {
    Name(String),
    Member(Box<Path>, String),
    Index(Box<Path>, Box<Path>),
    Number(u64),
    Deref(Box<Path>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Name(String),
    Number(u64),
    Dot,
    Arrow,
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Star,
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Name(chars[start..i].iter().collect()));
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            let number = match digits.strip_prefix("0x").or(digits.strip_prefix("0X")) {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => digits.parse(),
            }
            .map_err(|_| format!("`{digits}` is not a number"))?;
            tokens.push(Token::Number(number));
            continue;
        }
        let token = match c {
            '.' => Token::Dot,
            '-' if chars.get(i + 1) == Some(&'>') => {
                i += 1;
                Token::Arrow
            }
            '(' => Token::Open,
            ')' => Token::Close,
            '[' => Token::OpenBracket,
            ']' => Token::CloseBracket,
            '*' => Token::Star,
            other => {
                return Err(format!(
                    "`{other}` is not understood here: write a name, `a.b`, `p->x`, `a[i]` or `*p`"
                ));
            }
        };
        tokens.push(token);
        i += 1;
    }
    Ok(tokens)
}

/// Parses `text`; the error says what is accepted.
pub fn parse(text: &str) -> Result<Path, String> {
    let tokens = tokens(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let path = parser.unary()?;
    if parser.at < parser.tokens.len() {
        return Err(format!(
            "unexpected {} in `{}`",
            describe(&parser.tokens[parser.at]),
            text.trim()
        ));
    }
    Ok(path)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn unary(&mut self) -> Result<Path, String> {
        if self.peek() == Some(&Token::Star) {
            self.at += 1;
            return Ok(Path::Deref(Box::new(self.unary()?)));
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Result<Path, String> {
        let mut path = match self.next() {
            Some(Token::Name(name)) => Path::Name(name),
            Some(Token::Number(n)) => Path::Number(n),
            Some(Token::Open) => {
                let inner = self.unary()?;
                if self.next() != Some(Token::Close) {
                    return Err("a `(` without its `)`".to_string());
                }
                inner
            }
            Some(other) => return Err(format!("unexpected {}", describe(&other))),
            None => return Err("an empty expression".to_string()),
        };
        loop {
            match self.peek() {
                Some(Token::Dot) | Some(Token::Arrow) => {
                    let arrow = self.next() == Some(Token::Arrow);
                    let member = match self.next() {
                        Some(Token::Name(member)) => member,
                        // A Rust tuple field: `rect.0`.
                        Some(Token::Number(n)) => n.to_string(),
                        _ => return Err("a member name after `.` or `->`".to_string()),
                    };
                    if arrow {
                        path = Path::Deref(Box::new(path));
                    }
                    path = Path::Member(Box::new(path), member);
                }
                Some(Token::OpenBracket) => {
                    self.at += 1;
                    let index = self.unary()?;
                    if self.next() != Some(Token::CloseBracket) {
                        return Err("a `[` without its `]`".to_string());
                    }
                    path = Path::Index(Box::new(path), Box::new(index));
                }
                _ => return Ok(path),
            }
        }
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Name(name) => format!("`{name}`"),
        Token::Number(n) => format!("`{n}`"),
        Token::Dot => "`.`".into(),
        Token::Arrow => "`->`".into(),
        Token::Open => "`(`".into(),
        Token::Close => "`)`".into(),
        Token::OpenBracket => "`[`".into(),
        Token::CloseBracket => "`]`".into(),
        Token::Star => "`*`".into(),
    }
}

impl Index {
    /// The type and place `path` names at `pc`.
    pub(super) fn evaluate_path(
        &self,
        pc: u64,
        inline_depth: usize,
        path: &Path,
        machine: &mut dyn Machine,
    ) -> Result<(Option<TypeRef>, Place), String> {
        match path {
            Path::Name(name) => {
                let (ty, place) = self
                    .lookup(pc, inline_depth, name, machine)
                    .ok_or_else(|| format!("no variable `{name}` is in scope here"))?;
                Ok((ty, place?))
            }
            Path::Number(_) => Err("a number has no place in memory".to_string()),
            Path::Deref(inner) => {
                let (ty, place) = self.evaluate_path(pc, inline_depth, inner, machine)?;
                let ty = ty.ok_or("cannot dereference a value without a type")?;
                match self.shape(ty, &place, machine)? {
                    Shape::Pointer {
                        target, address, ..
                    } => {
                        if address == 0 {
                            return Err("the pointer is null".to_string());
                        }
                        let target = target.ok_or("cannot dereference a `void *`")?;
                        Ok((Some(target), Place::Memory(address)))
                    }
                    // `*slice` is its first element, as in C.
                    Shape::Sequence { element, first, .. } => Ok((element, first)),
                    _ => Err(format!("`{}` is not a pointer", self.type_name(Some(ty)))),
                }
            }
            Path::Member(inner, member) => {
                let (ty, place) = self.evaluate_path(pc, inline_depth, inner, machine)?;
                let mut ty = ty.ok_or("a value without a type has no members")?;
                let mut place = place;
                // `p.x` on a pointer reads through it, as Rust and LLDB do.
                if let Shape::Pointer {
                    target: Some(target),
                    address,
                    ..
                } = self.shape(ty, &place, machine)?
                {
                    if address == 0 {
                        return Err("the pointer is null".to_string());
                    }
                    ty = target;
                    place = Place::Memory(address);
                }
                match self.shape(ty, &place, machine)? {
                    Shape::Record { members, .. } => {
                        let found = members
                            .iter()
                            .find(|m| m.name.as_deref() == Some(member.as_str()))
                            .or_else(|| {
                                // Rust tuple fields: `.0` is `__0`.
                                members
                                    .iter()
                                    .find(|m| m.name.as_deref() == Some(&format!("__{member}")))
                            });
                        match found {
                            Some(m) => Ok((m.ty, at(&place, m.offset))),
                            None => Err(format!(
                                "`{}` has no member `{member}`{}",
                                self.type_name(Some(ty)),
                                names(&members)
                            )),
                        }
                    }
                    _ => Err(format!("`{}` has no members", self.type_name(Some(ty)))),
                }
            }
            Path::Index(inner, index) => {
                let i = match &**index {
                    Path::Number(n) => *n,
                    other => {
                        let (ty, place) = self.evaluate_path(pc, inline_depth, other, machine)?;
                        let size = ty.map_or(4, |t| self.size_of(t));
                        self.read_uint(&place, 0, size, machine)?
                    }
                };
                let (ty, place) = self.evaluate_path(pc, inline_depth, inner, machine)?;
                let ty = ty.ok_or("a value without a type has no elements")?;
                match self.shape(ty, &place, machine)? {
                    Shape::Sequence {
                        element,
                        first,
                        len,
                        ..
                    } => {
                        // A C array is not checked past its end by C, but
                        // its declared length is known here.
                        if i >= len {
                            return Err(format!("index {i} is out of range (length {len})"));
                        }
                        let size = element.map_or(0, |e| self.size_of(e));
                        Ok((element, at(&first, i * size)))
                    }
                    Shape::Pointer {
                        target: Some(target),
                        address,
                        ..
                    } => {
                        if address == 0 {
                            return Err("the pointer is null".to_string());
                        }
                        let size = self.size_of(target);
                        Ok((Some(target), Place::Memory(address + i * size)))
                    }
                    _ => Err(format!("`{}` cannot be indexed", self.type_name(Some(ty)))),
                }
            }
        }
    }
}

fn names(members: &[super::types::Member]) -> String {
    // Rust's tuple fields (`__0` in DWARF) as the user writes them.
    let names: Vec<&str> = members
        .iter()
        .filter_map(|m| m.name.as_deref())
        .map(|n| {
            if super::render::is_tuple_field(n) {
                &n[2..]
            } else {
                n
            }
        })
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(" (it has {})", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> Box<Path> {
        Box::new(Path::Name(n.to_string()))
    }

    #[test]
    fn parses_what_c_and_rust_debuggers_accept() {
        let cases: &[(&str, Path)] = &[
            ("total", Path::Name("total".into())),
            (
                "square.origin",
                Path::Member(name("square"), "origin".into()),
            ),
            (
                "pointer->id",
                Path::Member(Box::new(Path::Deref(name("pointer"))), "id".into()),
            ),
            (
                "numbers[2]",
                Path::Index(name("numbers"), Box::new(Path::Number(2))),
            ),
            ("values[i]", Path::Index(name("values"), name("i"))),
            ("*pointer", Path::Deref(name("pointer"))),
            (
                "(*s).id",
                Path::Member(Box::new(Path::Deref(name("s"))), "id".into()),
            ),
            ("rect.0", Path::Member(name("rect"), "0".into())),
        ];
        for (text, expected) in cases {
            assert_eq!(&parse(text).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn says_what_it_accepts() {
        for (text, message) in [
            ("a +", "`+` is not understood here"),
            ("a[1", "without its `]`"),
            ("", "an empty expression"),
            ("a b", "unexpected `b`"),
            ("a.", "a member name after"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.contains(message), "{text}: {error}");
        }
    }
}
