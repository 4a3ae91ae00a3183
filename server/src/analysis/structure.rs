//! The shape of one file, from its syntax tree alone: what an editor can
//! fold, and the ranges "expand selection" steps through.

use crate::syntax::tree::Node;
use crate::syntax::{Parse, SyntaxKind::*, TextRange, TextSize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// A `{ … }` body.
    Body,
    /// A run of comments (doc comments included).
    Comment,
}

/// A foldable region: from the start of its first line to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

/// The regions of `text` an editor can fold: every braced body and every
/// run of comment lines, when they span more than one line.
pub fn folds(text: &str, parse: &Parse) -> Vec<Fold> {
    let mut folds = Vec::new();
    let root = Node::root(&parse.green);
    let spans_lines = |range: TextRange| text[range].contains('\n');
    root.for_each_descendant(&mut |node| {
        let open = node.token(L_BRACE);
        let close = node.token(R_BRACE);
        if let (Some(open), Some(close)) = (open, close) {
            let range = TextRange::new(open.text_range().start(), close.text_range().end());
            if spans_lines(range) {
                folds.push(Fold {
                    range,
                    kind: FoldKind::Body,
                });
            }
        }
    });
    // Comment runs: consecutive comment tokens separated only by one line
    // break (and indentation).
    let mut run: Option<TextRange> = None;
    let flush = |run: &mut Option<TextRange>, folds: &mut Vec<Fold>| {
        if let Some(range) = run.take()
            && spans_lines(range)
        {
            folds.push(Fold {
                range,
                kind: FoldKind::Comment,
            });
        }
    };
    let mut tokens = Vec::new();
    root.for_each_token(&mut |token| tokens.push(token));
    for token in tokens {
        match token.kind() {
            COMMENT => {
                run = Some(match run {
                    Some(range) => range.cover(token.text_range()),
                    None => token.text_range(),
                });
            }
            WHITESPACE if token.text().matches('\n').count() <= 1 => {}
            _ => flush(&mut run, &mut folds),
        }
    }
    flush(&mut run, &mut folds);
    folds.sort_by_key(|f| (f.range.start(), std::cmp::Reverse(f.range.end())));
    folds
}

/// The ranges around `offset`, innermost first: the token, then each
/// enclosing node, up to the whole file. Equal ranges appear once.
pub fn selection_ranges(parse: &Parse, offset: TextSize) -> Vec<TextRange> {
    let root = parse.syntax();
    let Some(token) = root.token_at_offset(offset).right_biased() else {
        return vec![root.text_range()];
    };
    let mut ranges = vec![token.text_range()];
    for node in token.parent_ancestors() {
        let range = node.text_range();
        if ranges.last() != Some(&range) {
            ranges.push(range);
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn shown(text: &str, ranges: impl IntoIterator<Item = TextRange>) -> Vec<String> {
        ranges
            .into_iter()
            .map(|r| text[r].replace('\n', "⏎"))
            .collect()
    }

    #[test]
    fn bodies_and_comment_runs_fold_when_they_span_lines() {
        let text = "package a:b;\n\n/// one\n/// two\ninterface i {\n    record r { x: u8 }\n    variant v {\n        a,\n    }\n}\n// lone\n";
        let folds = folds(text, &parse(text));
        let kinds: Vec<_> = folds.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [FoldKind::Comment, FoldKind::Body, FoldKind::Body],
            "{:?}",
            shown(text, folds.iter().map(|f| f.range))
        );
        assert_eq!(
            shown(text, folds.iter().map(|f| f.range)),
            [
                "/// one⏎/// two",
                "{⏎    record r { x: u8 }⏎    variant v {⏎        a,⏎    }⏎}",
                "{⏎        a,⏎    }",
            ]
        );
    }

    #[test]
    fn selection_grows_from_the_token_to_the_file() {
        let text = "package a:b;\n\ninterface i {\n    f: func(x: u8);\n}\n";
        let at = TextSize::from(text.find("x:").unwrap() as u32);
        let ranges = selection_ranges(&parse(text), at);
        assert_eq!(
            shown(text, ranges),
            [
                "x",
                "x: u8",
                "(x: u8)",
                "func(x: u8)",
                "f: func(x: u8);",
                "interface i {⏎    f: func(x: u8);⏎}",
                "package a:b;⏎⏎interface i {⏎    f: func(x: u8);⏎}⏎",
            ]
        );
    }
}
