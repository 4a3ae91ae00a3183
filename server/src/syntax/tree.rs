//! Small typed views over the untyped tree: the questions analysis asks of a
//! node (its name, its docs, its attributes) answered in one place.
//!
//! [`Node`] and [`Token`] look at rowan's green tree directly. Walking them
//! allocates nothing, where every step through rowan's red `SyntaxNode`
//! allocates and frees a cursor; the symbol index visits every node of a
//! package, and that difference was most of its cost (BENCHMARKS.md).

use rowan::{GreenNodeData, GreenTokenData, NodeOrToken};

use super::{SyntaxKind, SyntaxKind::*, TextRange, TextSize, WitLanguage};
use rowan::Language;

/// A node of a parsed tree, with its absolute position.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    green: &'a GreenNodeData,
    offset: TextSize,
    /// The parent and this node's index among its children, for docs.
    parent: Option<(&'a GreenNodeData, u32)>,
}

/// A token of a parsed tree, with its absolute position.
#[derive(Clone, Copy)]
pub struct Token<'a> {
    green: &'a GreenTokenData,
    offset: TextSize,
}

pub type Element<'a> = NodeOrToken<Node<'a>, Token<'a>>;

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}@{:?}", self.kind(), self.text_range())
    }
}

impl<'a> Node<'a> {
    /// The root of a file's tree.
    pub fn root(green: &'a GreenNodeData) -> Node<'a> {
        Node {
            green,
            offset: 0.into(),
            parent: None,
        }
    }

    pub fn kind(&self) -> SyntaxKind {
        WitLanguage::kind_from_raw(self.green.kind())
    }

    pub fn text_range(&self) -> TextRange {
        TextRange::at(self.offset, self.green.text_len())
    }

    /// The node's text, tokens concatenated (trivia included).
    pub fn text(&self) -> String {
        let mut text = String::new();
        self.for_each_token(&mut |token| text.push_str(token.text()));
        text
    }

    /// Every token below this node, in order.
    pub fn for_each_token(&self, visit: &mut impl FnMut(Token<'a>)) {
        for element in self.children_with_tokens() {
            match element {
                NodeOrToken::Node(node) => node.for_each_token(visit),
                NodeOrToken::Token(token) => visit(token),
            }
        }
    }

    pub fn children_with_tokens(&self) -> impl Iterator<Item = Element<'a>> + use<'a> {
        let parent = self.green;
        let mut offset = self.offset;
        self.green
            .children()
            .enumerate()
            .map(move |(index, child)| {
                let start = offset;
                match child {
                    NodeOrToken::Node(green) => {
                        offset += green.text_len();
                        NodeOrToken::Node(Node {
                            green,
                            offset: start,
                            parent: Some((parent, index as u32)),
                        })
                    }
                    NodeOrToken::Token(green) => {
                        offset += green.text_len();
                        NodeOrToken::Token(Token {
                            green,
                            offset: start,
                        })
                    }
                }
            })
    }

    pub fn children(&self) -> impl Iterator<Item = Node<'a>> + use<'a> {
        self.children_with_tokens()
            .filter_map(NodeOrToken::into_node)
    }

    pub fn tokens(&self) -> impl Iterator<Item = Token<'a>> + use<'a> {
        self.children_with_tokens()
            .filter_map(NodeOrToken::into_token)
    }

    /// The first child node of `kind`.
    pub fn child(&self, kind: SyntaxKind) -> Option<Node<'a>> {
        self.children().find(|c| c.kind() == kind)
    }

    /// All child nodes of `kind`.
    pub fn children_of(&self, kind: SyntaxKind) -> impl Iterator<Item = Node<'a>> + use<'a> {
        self.children().filter(move |c| c.kind() == kind)
    }

    /// The first child token of `kind`.
    pub fn token(&self, kind: SyntaxKind) -> Option<Token<'a>> {
        self.tokens().find(|t| t.kind() == kind)
    }

    /// This node and all nodes below it, in preorder.
    pub fn for_each_descendant(&self, visit: &mut impl FnMut(Node<'a>)) {
        visit(*self);
        for child in self.children() {
            child.for_each_descendant(visit);
        }
    }

    /// The identifier token of a `NAME` or `NAME_REF` node, or of the first
    /// such child of this node.
    pub fn ident_token(&self) -> Option<Token<'a>> {
        let holder = if matches!(self.kind(), NAME | NAME_REF) {
            *self
        } else {
            self.children()
                .find(|c| matches!(c.kind(), NAME | NAME_REF))?
        };
        holder
            .tokens()
            .find(|t| matches!(t.kind(), IDENT | EXPLICIT_IDENT))
    }

    /// The `NAME` child of a definition.
    pub fn name(&self) -> Option<Node<'a>> {
        self.child(NAME)
    }

    /// The tokens right before this node among its siblings, nearest first.
    fn tokens_before(&self) -> impl Iterator<Item = &'a GreenTokenData> + use<'a> {
        let (parent, index) = match self.parent {
            Some((parent, index)) => (Some(parent), index as usize),
            None => (None, 0),
        };
        parent
            .into_iter()
            .flat_map(move |parent| parent.children().take(index).rev())
            .map_while(NodeOrToken::into_token)
    }

    /// The doc comments (`///` and `/** */`) right before this node,
    /// stripped of their markers, one entry per line.
    pub fn docs(&self) -> Vec<String> {
        let mut comments = Vec::new();
        for token in self.tokens_before() {
            match WitLanguage::kind_from_raw(token.kind()) {
                WHITESPACE if token.text().matches('\n').count() > 1 => break,
                WHITESPACE => {}
                COMMENT => comments.push(token.text()),
                _ => break,
            }
        }
        let mut lines = Vec::new();
        for comment in comments.into_iter().rev() {
            if let Some(line) = comment.strip_prefix("///") {
                lines.push(
                    line.strip_prefix(' ')
                        .unwrap_or(line)
                        .trim_end()
                        .to_string(),
                );
            } else if let Some(block) = comment
                .strip_prefix("/**")
                .and_then(|c| c.strip_suffix("*/"))
            {
                for line in block.lines() {
                    let line = line.trim();
                    let line = line.strip_prefix('*').map(str::trim_start).unwrap_or(line);
                    if !line.is_empty() {
                        lines.push(line.to_string());
                    }
                }
            }
        }
        lines
    }

    /// The gates written on a definition, in order.
    pub fn gates(&self) -> Vec<Gate> {
        // Attributes come first in an item, so the scan stops at its keyword.
        self.children()
            .take_while(|c| c.kind() == ATTRIBUTE)
            .filter_map(|attribute| {
                let mut idents = attribute
                    .tokens()
                    .filter(|t| matches!(t.kind(), IDENT | EXPLICIT_IDENT));
                let kind = idents.next()?.ident_text();
                let version = || attribute.child(VERSION).map(|v| v.text());
                match kind {
                    "since" => Some(Gate::Since(version()?)),
                    "deprecated" => Some(Gate::Deprecated(version()?)),
                    "unstable" => Some(Gate::Unstable(idents.nth(1)?.ident_text().to_string())),
                    _ => None,
                }
            })
            .collect()
    }
}

impl<'a> Token<'a> {
    pub fn kind(&self) -> SyntaxKind {
        WitLanguage::kind_from_raw(self.green.kind())
    }

    pub fn text(&self) -> &'a str {
        self.green.text()
    }

    pub fn text_range(&self) -> TextRange {
        TextRange::at(self.offset, self.green.text_len())
    }

    /// An identifier's text without the `%` escape.
    pub fn ident_text(&self) -> &'a str {
        let text = self.text();
        text.strip_prefix('%').unwrap_or(text)
    }
}

/// A gate written on an item: `@since`, `@unstable` or `@deprecated`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    Since(String),
    Unstable(String),
    Deprecated(String),
}
