//! Small typed views over the untyped tree: the questions analysis asks of a
//! node (its name, its docs, its attributes) answered in one place.

use super::{SyntaxKind, SyntaxKind::*, SyntaxNode, SyntaxToken};

/// The first child node of `kind`.
pub fn child(node: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxNode> {
    node.children().find(|c| c.kind() == kind)
}

/// All child nodes of `kind`.
pub fn children(node: &SyntaxNode, kind: SyntaxKind) -> impl Iterator<Item = SyntaxNode> {
    node.children().filter(move |c| c.kind() == kind)
}

/// The first child token of `kind`.
pub fn token(node: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxToken> {
    node.children_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| t.kind() == kind)
}

/// The identifier token of a `NAME` or `NAME_REF` node, or of the first such
/// child of `node`.
pub fn ident_token(node: &SyntaxNode) -> Option<SyntaxToken> {
    let holder = if matches!(node.kind(), NAME | NAME_REF) {
        node.clone()
    } else {
        node.children()
            .find(|c| matches!(c.kind(), NAME | NAME_REF))?
    };
    holder
        .children_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| matches!(t.kind(), IDENT | EXPLICIT_IDENT))
}

/// An identifier's text without the `%` escape.
pub fn ident_text(token: &SyntaxToken) -> &str {
    token.text().strip_prefix('%').unwrap_or(token.text())
}

/// The `NAME` child of a definition.
pub fn name(node: &SyntaxNode) -> Option<SyntaxNode> {
    child(node, NAME)
}

/// The doc comments (`///` and `/** */`) right before `node`, stripped of
/// their markers, one entry per line.
pub fn docs(node: &SyntaxNode) -> Vec<String> {
    let mut comments = Vec::new();
    let mut element = node.prev_sibling_or_token();
    while let Some(current) = element {
        match current.as_token() {
            Some(token) if token.kind() == WHITESPACE => {
                if token.text().matches('\n').count() > 1 {
                    break;
                }
            }
            Some(token) if token.kind() == COMMENT => comments.push(token.text().to_string()),
            _ => break,
        }
        element = current.prev_sibling_or_token();
    }
    comments.reverse();
    let mut lines = Vec::new();
    for comment in comments {
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

/// A gate written on an item: `@since`, `@unstable` or `@deprecated`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    Since(String),
    Unstable(String),
    Deprecated(String),
}

/// The gates written on a definition, in order.
pub fn gates(node: &SyntaxNode) -> Vec<Gate> {
    // Attributes come first in an item, so the scan stops at its keyword.
    node.children()
        .take_while(|c| c.kind() == ATTRIBUTE)
        .filter_map(|attribute| {
            let tokens: Vec<SyntaxToken> = attribute
                .children_with_tokens()
                .filter_map(|e| e.into_token())
                .filter(|t| matches!(t.kind(), IDENT | EXPLICIT_IDENT))
                .collect();
            let kind = ident_text(tokens.first()?);
            let version = || child(&attribute, VERSION).map(|v| v.text().to_string());
            match kind {
                "since" => Some(Gate::Since(version()?)),
                "deprecated" => Some(Gate::Deprecated(version()?)),
                "unstable" => Some(Gate::Unstable(ident_text(tokens.get(2)?).to_string())),
                _ => None,
            }
        })
        .collect()
}
