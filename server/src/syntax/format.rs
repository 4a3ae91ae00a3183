//! The formatter: one canonical layout, the one `wasm-tools component wit`
//! prints (2-space indent, one item per line, one field or case per line
//! with a trailing comma, `name: func(a: T) -> R;` on one line), applied to
//! the lossless tree so that every comment and doc comment stays.
//!
//! It only rewrites the whitespace between tokens, adds the trailing comma
//! of multi-line lists and drops the trailing comma of one-line ones. Before
//! answering it checks exactly that: the result, lexed again, must hold the
//! same tokens and comments, and parse without errors. A file with syntax
//! errors is refused, since its tree cannot say where items end.
//!
//! Blank lines between items are the author's (at most one is kept), except
//! that top-level interfaces, worlds and packages are always separated by one.

use super::tree::{Node, Token};
use super::{SyntaxKind, SyntaxKind::*, TextRange, TextSize, parse};
use rowan::NodeOrToken;

/// Replace `range` of the original text with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatEdit {
    pub range: TextRange,
    pub new_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The file has a syntax error: nothing is changed.
    Syntax { range: TextRange, message: String },
    /// The formatter would have changed more than layout (a bug of ours):
    /// nothing is changed.
    Internal(String),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax { message, .. } => write!(
                f,
                "not formatted: the file has a syntax error ({message}); fix it first"
            ),
            FormatError::Internal(why) => write!(
                f,
                "not formatted: the formatter would have changed more than layout ({why}); \
                 the file is left as it is, please report this"
            ),
        }
    }
}

impl std::error::Error for FormatError {}

/// The formatted text of a WIT file.
pub fn format(text: &str) -> Result<String, FormatError> {
    Ok(apply(text, &format_edits(text)?))
}

/// The edits that format a WIT file, each replacing the space between two
/// tokens; none when it is already formatted.
pub fn format_edits(text: &str) -> Result<Vec<FormatEdit>, FormatError> {
    let parse = parse(text);
    if let Some(error) = parse.errors.first() {
        return Err(FormatError::Syntax {
            range: error.range,
            message: error.message.clone(),
        });
    }
    let mut atoms = Vec::new();
    collect_atoms(
        text,
        Node::root(&parse.green),
        &mut Vec::new(),
        &mut 0,
        &mut atoms,
    );
    mark_commas(&mut atoms);
    let expected: Vec<String> = atoms
        .iter()
        .filter(|a| !a.dropped)
        .flat_map(|a| {
            let comma = a.comma_after.then(|| ",".to_string());
            std::iter::once(a.text.to_string()).chain(comma)
        })
        .collect();
    atoms.retain(|a| !a.dropped);
    let edits = Layout::new(text, &atoms).edits(text, &atoms);
    verify(&apply(text, &edits), &expected)?;
    Ok(edits)
}

/// `text` with `edits` (sorted, disjoint) applied.
pub fn apply(text: &str, edits: &[FormatEdit]) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut at = 0;
    for edit in edits {
        out.push_str(&text[at..usize::from(edit.range.start())]);
        out.push_str(&edit.new_text);
        at = usize::from(edit.range.end());
    }
    out.push_str(&text[at..]);
    out
}

/// What a brace opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Brace {
    /// Items, one per line: interface, world, resource, nested package.
    Block,
    /// Fields or cases, one per line with a trailing comma.
    List,
    /// On one line: `use x.{a, b}`, `include w with { a as b }`.
    Inline,
}

fn brace_of(parent: SyntaxKind) -> Brace {
    match parent {
        INTERFACE | WORLD | INLINE_INTERFACE | RESOURCE | NESTED_PACKAGE => Brace::Block,
        RECORD | VARIANT | ENUM | FLAGS => Brace::List,
        _ => Brace::Inline,
    }
}

/// A token that is not whitespace, in order.
#[derive(Debug)]
struct Atom<'t> {
    kind: SyntaxKind,
    /// For comments, without trailing whitespace (which formatting removes).
    range: TextRange,
    text: &'t str,
    /// Line breaks in the source between the previous atom and this one.
    newlines_before: usize,
    parent: SyntaxKind,
    /// The node that holds the package path or version this token is part
    /// of (`ns:name/iface@1.0.0` is printed without spaces).
    path_owner: Option<u32>,
    /// A comma to add after this token (the last field of a list).
    comma_after: bool,
    /// A trailing comma of a one-line list, removed.
    dropped: bool,
}

impl Atom<'_> {
    fn is_line_comment(&self) -> bool {
        self.kind == COMMENT && self.text.starts_with("//")
    }

    fn brace(&self) -> Option<Brace> {
        matches!(self.kind, L_BRACE | R_BRACE).then(|| brace_of(self.parent))
    }

    fn opens_body(&self) -> bool {
        self.kind == L_BRACE && self.brace() != Some(Brace::Inline)
    }

    fn closes_body(&self) -> bool {
        self.kind == R_BRACE && self.brace() != Some(Brace::Inline)
    }

    fn ends_attribute(&self) -> bool {
        self.kind == R_PAREN && self.parent == ATTRIBUTE
    }

    /// The last token of an item: what follows starts a line.
    fn ends_item(&self) -> bool {
        self.kind == SEMICOLON
            || self.closes_body()
            || (self.kind == R_BRACE && self.parent == INCLUDE_NAME_LIST)
            || self.ends_attribute()
    }
}

fn is_path(kind: SyntaxKind) -> bool {
    matches!(kind, USE_PATH | PACKAGE_NAME | VERSION)
}

/// Walks the tree in order. `ancestors` holds (kind, id) of the nodes
/// above; `next_id` numbers the nodes.
fn collect_atoms<'t>(
    text: &'t str,
    node: Node<'_>,
    ancestors: &mut Vec<(SyntaxKind, u32)>,
    next_id: &mut u32,
    atoms: &mut Vec<Atom<'t>>,
) {
    let id = *next_id;
    *next_id += 1;
    ancestors.push((node.kind(), id));
    for element in node.children_with_tokens() {
        match element {
            NodeOrToken::Node(child) => collect_atoms(text, child, ancestors, next_id, atoms),
            NodeOrToken::Token(token) => push_atom(text, token, ancestors, atoms),
        }
    }
    ancestors.pop();
}

fn push_atom<'t>(
    text: &'t str,
    token: Token<'_>,
    ancestors: &[(SyntaxKind, u32)],
    atoms: &mut Vec<Atom<'t>>,
) {
    let kind = token.kind();
    if kind == WHITESPACE || kind == EOF {
        return;
    }
    let mut range = token.text_range();
    if kind == COMMENT {
        let trimmed = text[range].trim_end();
        range = TextRange::at(range.start(), TextSize::of(trimmed));
    }
    let gap_start = atoms.last().map_or(0.into(), |a: &Atom<'_>| a.range.end());
    let newlines_before = text[usize::from(gap_start)..usize::from(range.start())]
        .matches('\n')
        .count();
    // The node above the outermost path node.
    let path_owner = ancestors
        .iter()
        .position(|&(kind, _)| is_path(kind))
        .and_then(|i| i.checked_sub(1))
        .map(|i| ancestors[i].1);
    atoms.push(Atom {
        kind,
        range,
        text: &text[range],
        newlines_before,
        parent: ancestors.last().map_or(SOURCE_FILE, |&(kind, _)| kind),
        path_owner,
        comma_after: false,
        dropped: false,
    });
}

/// Multi-line lists end with a comma; one-line lists do not.
fn mark_commas(atoms: &mut [Atom<'_>]) {
    for i in 0..atoms.len() {
        let closes_list = atoms[i].kind == R_BRACE && atoms[i].brace() == Some(Brace::List);
        let closes_inline = matches!(atoms[i].kind, R_PAREN | R_ANGLE)
            || (atoms[i].kind == R_BRACE && atoms[i].brace() == Some(Brace::Inline));
        if !closes_list && !closes_inline {
            continue;
        }
        let Some(last) = (0..i).rev().find(|&j| atoms[j].kind != COMMENT) else {
            continue;
        };
        match atoms[last].kind {
            COMMA if closes_inline => atoms[last].dropped = true,
            COMMA | L_BRACE => {}
            _ if closes_list => atoms[last].comma_after = true,
            _ => {}
        }
    }
}

/// What goes between two tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    Nothing,
    Space,
    Line,
    BlankLine,
}

struct Layout {
    newline: &'static str,
    bom: bool,
    /// Open block and list braces.
    depth: usize,
    /// Open brackets of one-line constructs (parentheses, angles, inline
    /// braces), each with whether a comment broke its contents over lines
    /// (they continue one level deeper).
    inline: Vec<bool>,
}

impl Layout {
    fn new(text: &str, atoms: &[Atom<'_>]) -> Layout {
        // The style of the first line break between tokens: those are all
        // rewritten in the chosen style (and the output ends with one), so
        // the choice survives formatting. A break inside a block comment
        // stays as written and must not decide it.
        let gap_ends = atoms
            .iter()
            .map(|a| usize::from(a.range.start()))
            .chain([text.len()]);
        let gap_starts = std::iter::once(0).chain(atoms.iter().map(|a| usize::from(a.range.end())));
        let crlf = gap_starts
            .zip(gap_ends)
            .find_map(|(from, to)| {
                let gap = &text[from..to];
                gap.find('\n').map(|i| gap[..i].ends_with('\r'))
            })
            .unwrap_or(false);
        Layout {
            newline: if crlf { "\r\n" } else { "\n" },
            bom: text.starts_with('\u{feff}'),
            depth: 0,
            inline: Vec::new(),
        }
    }

    fn edits(mut self, text: &str, atoms: &[Atom<'_>]) -> Vec<FormatEdit> {
        let mut gaps: Vec<(TextRange, String)> = Vec::with_capacity(atoms.len() + 1);
        let mut previous: Option<&Atom<'_>> = None;
        // The last token that is not a comment.
        let mut code: Option<&Atom<'_>> = None;
        for atom in atoms {
            let mut closes_broken_line = false;
            if matches!(atom.kind, R_BRACE | R_PAREN | R_ANGLE) {
                if atom.closes_body() {
                    self.depth = self.depth.saturating_sub(1);
                } else {
                    closes_broken_line = self.inline.pop().unwrap_or(false);
                }
            }
            let (start, new_text) = match previous {
                None => (
                    0.into(),
                    if self.bom {
                        "\u{feff}".to_string()
                    } else {
                        String::new()
                    },
                ),
                Some(p) => {
                    let mut gap = self.gap(p, atom, code);
                    // A bracket whose contents a comment broke over lines
                    // closes on a line of its own.
                    if closes_broken_line {
                        gap = Gap::Line;
                    }
                    if matches!(gap, Gap::Line | Gap::BlankLine) {
                        self.inline.iter_mut().for_each(|broken| *broken = true);
                    }
                    let comma = if p.comma_after { "," } else { "" };
                    (p.range.end(), format!("{comma}{}", self.render(gap)))
                }
            };
            gaps.push((TextRange::new(start, atom.range.start()), new_text));
            if matches!(atom.kind, L_BRACE | L_PAREN | L_ANGLE) {
                if atom.opens_body() {
                    self.depth += 1;
                } else {
                    self.inline.push(false);
                }
            }
            previous = Some(atom);
            if atom.kind != COMMENT {
                code = Some(atom);
            }
        }
        let end = previous.map_or(0.into(), |p| p.range.end());
        let tail = match previous {
            Some(p) => format!("{}{}", if p.comma_after { "," } else { "" }, self.newline),
            None if self.bom => "\u{feff}".to_string(),
            None => String::new(),
        };
        gaps.push((TextRange::new(end, TextSize::of(text)), tail));
        gaps.into_iter()
            .filter(|(range, new_text)| text[*range] != **new_text)
            .map(|(range, new_text)| FormatEdit { range, new_text })
            .collect()
    }

    fn render(&self, gap: Gap) -> String {
        let indent = "  ".repeat(self.depth + usize::from(!self.inline.is_empty()));
        match gap {
            Gap::Nothing => String::new(),
            Gap::Space => " ".to_string(),
            Gap::Line => format!("{}{indent}", self.newline),
            Gap::BlankLine => format!("{0}{0}{indent}", self.newline),
        }
    }

    /// What goes between `p` and `c`, at the current depth; `code` is the
    /// last token before `c` that is not a comment.
    fn gap(&self, p: &Atom<'_>, c: &Atom<'_>, code: Option<&Atom<'_>>) -> Gap {
        // After a block comment that sits on a line of code, what follows is
        // placed as if the comment were not there.
        if p.kind == COMMENT
            && !p.is_line_comment()
            && p.newlines_before == 0
            && c.kind != COMMENT
            && let Some(code) = code
        {
            return match self.gap(code, c, None) {
                Gap::Nothing => Gap::Space,
                gap => gap,
            };
        }
        let blank_in_source = c.newlines_before >= 2 && self.inline.is_empty();
        let line_or_blank = if blank_in_source {
            Gap::BlankLine
        } else {
            Gap::Line
        };
        // A comment on the line of the token before it stays there (a
        // block comment inside brackets sits like a word).
        if c.kind == COMMENT && c.newlines_before == 0 && !p.is_line_comment() {
            return if c.is_line_comment() {
                Gap::Space
            } else {
                self.inline_gap(p, c)
            };
        }
        if p.opens_body() {
            return if c.closes_body() {
                Gap::Nothing
            } else {
                Gap::Line
            };
        }
        if c.closes_body() {
            return Gap::Line;
        }
        if p.ends_item() {
            let top_level_break = self.depth == 0
                && self.inline.is_empty()
                && (p.closes_body() || p.parent == PACKAGE_DECL);
            return if top_level_break {
                Gap::BlankLine
            } else if p.ends_attribute() {
                Gap::Line
            } else {
                line_or_blank
            };
        }
        if p.kind == COMMA && brace_of(p.parent) == Brace::List {
            return line_or_blank;
        }
        if p.kind == COMMENT {
            return if p.is_line_comment() || c.newlines_before > 0 {
                line_or_blank
            } else {
                self.inline_gap(p, c)
            };
        }
        if c.kind == COMMENT {
            return line_or_blank;
        }
        self.inline_gap(p, c)
    }

    /// Between two tokens on one line.
    fn inline_gap(&self, p: &Atom<'_>, c: &Atom<'_>) -> Gap {
        if p.path_owner.is_some() && p.path_owner == c.path_owner {
            return Gap::Nothing;
        }
        let inline_list = |a: &Atom<'_>| a.parent == USE_NAME_LIST;
        match (p.kind, c.kind) {
            (_, COMMA | SEMICOLON | R_PAREN | R_ANGLE | COLON | DOT | L_ANGLE) => Gap::Nothing,
            (DOT | L_PAREN | L_ANGLE | AT, _) => Gap::Nothing,
            (ARROW, L_PAREN) => Gap::Space,
            (_, L_PAREN) => Gap::Nothing,
            (L_BRACE, _) if inline_list(p) => Gap::Nothing,
            (_, R_BRACE) if inline_list(c) => Gap::Nothing,
            _ => Gap::Space,
        }
    }
}

/// The layout check: `formatted` holds exactly `expected`'s tokens and
/// comments, and parses without errors.
fn verify(formatted: &str, expected: &[String]) -> Result<(), FormatError> {
    let reparsed = parse(formatted);
    if let Some(error) = reparsed.errors.first() {
        return Err(FormatError::Internal(format!(
            "the result has a syntax error: {}",
            error.message
        )));
    }
    let (tokens, _) = super::lexer::tokenize(formatted);
    let mut offset = 0;
    let mut found = Vec::with_capacity(expected.len());
    for token in &tokens {
        let text = &formatted[offset..offset + token.len as usize];
        offset += token.len as usize;
        if token.kind == WHITESPACE {
            continue;
        }
        found.push(if token.kind == COMMENT {
            text.trim_end()
        } else {
            text
        });
    }
    if let Some(i) = (0..expected.len().max(found.len()))
        .find(|&i| expected.get(i).map(String::as_str) != found.get(i).copied())
    {
        return Err(FormatError::Internal(format!(
            "token {i} would change from {:?} to {:?}",
            expected.get(i),
            found.get(i)
        )));
    }
    Ok(())
}
