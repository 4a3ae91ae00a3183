//! The expressions a user types into a watch, a hover or the debug
//! console, as C and Rust debuggers read them: a variable `name`, a member
//! `a.b` (through a pointer too), `p->x`, an element `arr[i]` (arrays,
//! pointers, Rust slices, `Vec`s and strings), `*p`, parentheses; and, for
//! conditions and the debug console, numbers (`3`, `0.5`, `'S'`) with C's
//! arithmetic, comparisons and logic.

use super::location::Place;
use super::location::le_unsigned;
use super::render::{Shape, at, read, sign_extend};
use super::types::TypeRef;
use super::types::{Encoding, Type};
use super::{Index, Machine};

/// A place in the program: what a watch names.
#[derive(Debug, Clone, PartialEq)]
pub enum Path {
    Name(String),
    Member(Box<Path>, String),
    Index(Box<Path>, Box<Expr>),
    Deref(Box<Path>),
}

/// What a condition or the debug console computes: places, numbers and
/// C's operators on them.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Place(Path),
    Integer(u64),
    Float(f64),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary(Operator, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Integer(u64),
    Float(f64),
    Dot,
    Arrow,
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Star,
    Minus,
    Bang,
    /// A binary operator other than `*` and `-`.
    Operator(Operator),
}

const ACCEPTED: &str = "write a name, `a.b`, `p->x`, `a[i]`, `*p`, numbers, \
                        `+ - * / %`, comparisons, `&&`, `||` or `!`";

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
        if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            let start = i;
            i += 1;
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
            // `0.5`, but not `rect.0.1` (tuple fields after a `.`).
            let after_dot = tokens.last() == Some(&Token::Dot);
            if !after_dot
                && chars.get(i) == Some(&'.')
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let digits: String = chars[start..i].iter().collect();
                let value = digits
                    .parse()
                    .map_err(|_| format!("`{digits}` is not a number"))?;
                tokens.push(Token::Float(value));
                continue;
            }
            let digits: String = chars[start..i].iter().collect();
            let number = match digits.strip_prefix("0x").or(digits.strip_prefix("0X")) {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => digits.parse(),
            }
            .map_err(|_| format!("`{digits}` is not a number"))?;
            tokens.push(Token::Integer(number));
            continue;
        }
        // A character literal: `'S'`.
        if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            tokens.push(Token::Integer(u64::from(u32::from(chars[i + 1]))));
            i += 3;
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let (token, len) = match (two.as_str(), c) {
            ("->", _) => (Token::Arrow, 2),
            ("==", _) => (Token::Operator(Operator::Eq), 2),
            ("!=", _) => (Token::Operator(Operator::Ne), 2),
            ("<=", _) => (Token::Operator(Operator::Le), 2),
            (">=", _) => (Token::Operator(Operator::Ge), 2),
            ("&&", _) => (Token::Operator(Operator::And), 2),
            ("||", _) => (Token::Operator(Operator::Or), 2),
            (_, '<') => (Token::Operator(Operator::Lt), 1),
            (_, '>') => (Token::Operator(Operator::Gt), 1),
            (_, '+') => (Token::Operator(Operator::Add), 1),
            (_, '/') => (Token::Operator(Operator::Div), 1),
            (_, '%') => (Token::Operator(Operator::Rem), 1),
            (_, '-') => (Token::Minus, 1),
            (_, '!') => (Token::Bang, 1),
            (_, '.') => (Token::Dot, 1),
            (_, '(') => (Token::Open, 1),
            (_, ')') => (Token::Close, 1),
            (_, '[') => (Token::OpenBracket, 1),
            (_, ']') => (Token::CloseBracket, 1),
            (_, '*') => (Token::Star, 1),
            (_, other) => return Err(format!("`{other}` is not understood here: {ACCEPTED}")),
        };
        tokens.push(token);
        i += len;
    }
    Ok(tokens)
}

/// Parses `text`; the error says what is accepted.
pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens = tokens(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let expression = parser.expression()?;
    if parser.at < parser.tokens.len() {
        return Err(format!(
            "unexpected {} in `{}`",
            describe(&parser.tokens[parser.at]),
            text.trim()
        ));
    }
    Ok(expression)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

/// Binary operators from the loosest to the tightest, as in C.
const LEVELS: [&[Operator]; 5] = [
    &[Operator::Or],
    &[Operator::And],
    &[
        Operator::Eq,
        Operator::Ne,
        Operator::Lt,
        Operator::Le,
        Operator::Gt,
        Operator::Ge,
    ],
    &[Operator::Add, Operator::Sub],
    &[Operator::Mul, Operator::Div, Operator::Rem],
];

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn expression(&mut self) -> Result<Expr, String> {
        self.binary(0)
    }

    fn binary(&mut self, level: usize) -> Result<Expr, String> {
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        loop {
            let operator = match self.peek() {
                Some(Token::Operator(op)) => *op,
                Some(Token::Star) => Operator::Mul,
                Some(Token::Minus) => Operator::Sub,
                _ => return Ok(left),
            };
            if !LEVELS[level].contains(&operator) {
                return Ok(left);
            }
            self.at += 1;
            let right = self.binary(level + 1)?;
            left = Expr::Binary(operator, Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some(Token::Star) => {
                self.at += 1;
                let inner = self.unary()?;
                Ok(Expr::Place(Path::Deref(Box::new(place(inner, "`*`")?))))
            }
            Some(Token::Minus) => {
                self.at += 1;
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Some(Token::Bang) => {
                self.at += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> Result<Expr, String> {
        let mut expression = match self.next() {
            Some(Token::Name(name)) => Expr::Place(Path::Name(name)),
            Some(Token::Integer(n)) => Expr::Integer(n),
            Some(Token::Float(f)) => Expr::Float(f),
            Some(Token::Open) => {
                let inner = self.expression()?;
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
                        Some(Token::Integer(n)) => n.to_string(),
                        _ => return Err("a member name after `.` or `->`".to_string()),
                    };
                    let mut path = place(expression, "a member")?;
                    if arrow {
                        path = Path::Deref(Box::new(path));
                    }
                    expression = Expr::Place(Path::Member(Box::new(path), member));
                }
                Some(Token::OpenBracket) => {
                    self.at += 1;
                    let index = self.expression()?;
                    if self.next() != Some(Token::CloseBracket) {
                        return Err("a `[` without its `]`".to_string());
                    }
                    let path = place(expression, "an element")?;
                    expression = Expr::Place(Path::Index(Box::new(path), Box::new(index)));
                }
                _ => return Ok(expression),
            }
        }
    }
}

/// The place an operator needs (`*x`, `x.m`, `x[i]`).
fn place(expression: Expr, what: &str) -> Result<Path, String> {
    match expression {
        Expr::Place(path) => Ok(path),
        _ => Err(format!("only a variable or a part of one has {what}")),
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Name(name) => format!("`{name}`"),
        Token::Integer(n) => format!("`{n}`"),
        Token::Float(f) => format!("`{f}`"),
        Token::Dot => "`.`".into(),
        Token::Arrow => "`->`".into(),
        Token::Open => "`(`".into(),
        Token::Close => "`)`".into(),
        Token::OpenBracket => "`[`".into(),
        Token::CloseBracket => "`]`".into(),
        Token::Star => "`*`".into(),
        Token::Minus => "`-`".into(),
        Token::Bang => "`!`".into(),
        Token::Operator(op) => format!("`{op:?}`"),
    }
}

/// A computed value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Integer(i128),
    Float(f64),
    Bool(bool),
}

impl Number {
    pub fn truthy(self) -> bool {
        match self {
            Number::Integer(i) => i != 0,
            Number::Float(f) => f != 0.0,
            Number::Bool(b) => b,
        }
    }

    fn float(self) -> f64 {
        match self {
            Number::Integer(i) => i as f64,
            Number::Float(f) => f,
            Number::Bool(b) => f64::from(u8::from(b)),
        }
    }

    fn integer(self) -> Option<i128> {
        match self {
            Number::Integer(i) => Some(i),
            Number::Bool(b) => Some(i128::from(b)),
            Number::Float(_) => None,
        }
    }

    pub fn text(self) -> (String, &'static str) {
        match self {
            Number::Integer(i) => (i.to_string(), "int"),
            Number::Float(f) => (f.to_string(), "double"),
            Number::Bool(b) => (b.to_string(), "bool"),
        }
    }
}

fn apply(operator: Operator, a: Number, b: Number) -> Result<Number, String> {
    use Operator::*;
    if let (Some(x), Some(y)) = (a.integer(), b.integer()) {
        let checked = |v: Option<i128>| {
            v.map(Number::Integer)
                .ok_or("an overflow or a division by zero")
        };
        return Ok(match operator {
            Add => checked(x.checked_add(y))?,
            Sub => checked(x.checked_sub(y))?,
            Mul => checked(x.checked_mul(y))?,
            Div => checked(x.checked_div(y))?,
            Rem => checked(x.checked_rem(y))?,
            Eq => Number::Bool(x == y),
            Ne => Number::Bool(x != y),
            Lt => Number::Bool(x < y),
            Le => Number::Bool(x <= y),
            Gt => Number::Bool(x > y),
            Ge => Number::Bool(x >= y),
            And => Number::Bool(a.truthy() && b.truthy()),
            Or => Number::Bool(a.truthy() || b.truthy()),
        });
    }
    let (x, y) = (a.float(), b.float());
    Ok(match operator {
        Add => Number::Float(x + y),
        Sub => Number::Float(x - y),
        Mul => Number::Float(x * y),
        Div => Number::Float(x / y),
        Rem => Number::Float(x % y),
        Eq => Number::Bool(x == y),
        Ne => Number::Bool(x != y),
        Lt => Number::Bool(x < y),
        Le => Number::Bool(x <= y),
        Gt => Number::Bool(x > y),
        Ge => Number::Bool(x >= y),
        And => Number::Bool(a.truthy() && b.truthy()),
        Or => Number::Bool(a.truthy() || b.truthy()),
    })
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
                let i = self
                    .number(pc, inline_depth, index, machine)?
                    .integer()
                    .and_then(|i| u64::try_from(i).ok())
                    .ok_or("an index is a number from 0")?;
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

impl Index {
    /// The number `expression` computes at `pc`.
    pub(super) fn number(
        &self,
        pc: u64,
        inline_depth: usize,
        expression: &Expr,
        machine: &mut dyn Machine,
    ) -> Result<Number, String> {
        match expression {
            Expr::Integer(n) => Ok(Number::Integer(i128::from(*n))),
            Expr::Float(f) => Ok(Number::Float(*f)),
            Expr::Neg(inner) => match self.number(pc, inline_depth, inner, machine)? {
                Number::Float(f) => Ok(Number::Float(-f)),
                other => Ok(Number::Integer(-other.integer().unwrap_or_default())),
            },
            Expr::Not(inner) => Ok(Number::Bool(
                !self.number(pc, inline_depth, inner, machine)?.truthy(),
            )),
            Expr::Binary(operator, a, b) => {
                let a = self.number(pc, inline_depth, a, machine)?;
                // `&&` and `||` do not read their right side when the left
                // decides, as in C.
                match (operator, a.truthy()) {
                    (Operator::And, false) => return Ok(Number::Bool(false)),
                    (Operator::Or, true) => return Ok(Number::Bool(true)),
                    _ => {}
                }
                let b = self.number(pc, inline_depth, b, machine)?;
                apply(*operator, a, b)
            }
            Expr::Place(path) => {
                let (ty, place) = self.evaluate_path(pc, inline_depth, path, machine)?;
                let ty = ty.ok_or("a value without a type is not a number")?;
                self.number_at(ty, &place, machine)
            }
        }
    }
}

impl Index {
    /// A scalar value as a number: integers, floats, bools, characters,
    /// enums (their value) and pointers (their address).
    pub(super) fn number_at(
        &self,
        ty: TypeRef,
        place: &Place,
        machine: &mut dyn Machine,
    ) -> Result<Number, String> {
        let (_, resolved) = self.resolved(ty);
        match &*resolved {
            Type::Base { encoding, size, .. } => {
                let bytes = read(place, 0, *size, machine)?;
                let unsigned = || le_unsigned(&bytes);
                Ok(match encoding {
                    Encoding::Float => Number::Float(match bytes.len() {
                        4 => f64::from(f32::from_le_bytes(bytes[..4].try_into().expect("4"))),
                        8 => f64::from_le_bytes(bytes[..8].try_into().expect("8")),
                        n => return Err(format!("a {n}-byte float is not a number here")),
                    }),
                    Encoding::Bool => Number::Bool(unsigned() != 0),
                    Encoding::Signed | Encoding::SignedChar if bytes.len() <= 8 => {
                        Number::Integer(i128::from(sign_extend(&bytes)))
                    }
                    _ => Number::Integer(unsigned() as i128),
                })
            }
            Type::Enum { size, .. } => {
                let bytes = read(place, 0, *size, machine)?;
                Ok(Number::Integer(i128::from(sign_extend(&bytes))))
            }
            _ => match self.shape(ty, place, machine)? {
                Shape::Pointer { address, .. } => Ok(Number::Integer(i128::from(address))),
                _ => Err(format!(
                    "`{}` is not a number (compare its members)",
                    self.type_name(Some(ty))
                )),
            },
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

    fn at(p: Path) -> Expr {
        Expr::Place(p)
    }

    #[test]
    fn parses_what_c_and_rust_debuggers_accept() {
        let cases: &[(&str, Expr)] = &[
            ("total", at(Path::Name("total".into()))),
            (
                "square.origin",
                at(Path::Member(name("square"), "origin".into())),
            ),
            (
                "pointer->id",
                at(Path::Member(
                    Box::new(Path::Deref(name("pointer"))),
                    "id".into(),
                )),
            ),
            (
                "numbers[2]",
                at(Path::Index(name("numbers"), Box::new(Expr::Integer(2)))),
            ),
            (
                "values[i + 1]",
                at(Path::Index(
                    name("values"),
                    Box::new(Expr::Binary(
                        Operator::Add,
                        Box::new(at(Path::Name("i".into()))),
                        Box::new(Expr::Integer(1)),
                    )),
                )),
            ),
            ("*pointer", at(Path::Deref(name("pointer")))),
            (
                "(*s).id",
                at(Path::Member(Box::new(Path::Deref(name("s"))), "id".into())),
            ),
            ("rect.0", at(Path::Member(name("rect"), "0".into()))),
            ("$0", at(Path::Name("$0".into()))),
            // C precedence: `*` before `+` before `==` before `&&`.
            (
                "a * 2 + 1 == 7 && !b",
                Expr::Binary(
                    Operator::And,
                    Box::new(Expr::Binary(
                        Operator::Eq,
                        Box::new(Expr::Binary(
                            Operator::Add,
                            Box::new(Expr::Binary(
                                Operator::Mul,
                                Box::new(at(Path::Name("a".into()))),
                                Box::new(Expr::Integer(2)),
                            )),
                            Box::new(Expr::Integer(1)),
                        )),
                        Box::new(Expr::Integer(7)),
                    )),
                    Box::new(Expr::Not(Box::new(at(Path::Name("b".into()))))),
                ),
            ),
            (
                "x - -0.5",
                Expr::Binary(
                    Operator::Sub,
                    Box::new(at(Path::Name("x".into()))),
                    Box::new(Expr::Neg(Box::new(Expr::Float(0.5)))),
                ),
            ),
            (
                "tag == 'S'",
                Expr::Binary(
                    Operator::Eq,
                    Box::new(at(Path::Name("tag".into()))),
                    Box::new(Expr::Integer(83)),
                ),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(&parse(text).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn says_what_it_accepts() {
        for (text, message) in [
            ("a +", "an empty expression"),
            ("a ^ b", "`^` is not understood here"),
            ("a[1", "without its `]`"),
            ("", "an empty expression"),
            ("a b", "unexpected `b`"),
            ("a.", "a member name after"),
            ("(a + 1).x", "only a variable or a part of one has a member"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.contains(message), "{text}: {error}");
        }
    }

    #[test]
    fn computes_as_c_does() {
        let cases: &[(Operator, Number, Number, Number)] = &[
            (
                Operator::Add,
                Number::Integer(2),
                Number::Integer(3),
                Number::Integer(5),
            ),
            (
                Operator::Div,
                Number::Integer(7),
                Number::Integer(2),
                Number::Integer(3),
            ),
            (
                Operator::Rem,
                Number::Integer(7),
                Number::Integer(4),
                Number::Integer(3),
            ),
            (
                Operator::Mul,
                Number::Float(1.5),
                Number::Integer(2),
                Number::Float(3.0),
            ),
            (
                Operator::Lt,
                Number::Integer(-1),
                Number::Integer(0),
                Number::Bool(true),
            ),
            (
                Operator::Eq,
                Number::Float(0.25),
                Number::Float(0.25),
                Number::Bool(true),
            ),
            (
                Operator::Eq,
                Number::Bool(true),
                Number::Integer(1),
                Number::Bool(true),
            ),
        ];
        for (operator, a, b, expected) in cases {
            assert_eq!(
                apply(*operator, *a, *b).unwrap(),
                *expected,
                "{a:?} {operator:?} {b:?}"
            );
        }
        assert!(apply(Operator::Div, Number::Integer(1), Number::Integer(0)).is_err());
    }
}
