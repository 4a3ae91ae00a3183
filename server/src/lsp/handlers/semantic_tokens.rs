//! Semantic tokens (full and range), encoded as LSP's relative quintuples
//! in the agreed position encoding.

use tower_lsp_server::ls_types::*;

use crate::analysis::highlighting::{Highlight, modifier};
use tower_lsp_server::jsonrpc::Result;

use crate::lsp::state::{Snapshot, State};
use crate::syntax::TextRange;

/// The token types, in legend order; `type_index` must agree.
const TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::INTERFACE,
    SemanticTokenType::new("world"),
    SemanticTokenType::TYPE,
    SemanticTokenType::STRUCT,
    SemanticTokenType::ENUM,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::CLASS,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::METHOD,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::KEYWORD,
    SemanticTokenType::COMMENT,
    SemanticTokenType::NUMBER,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::DECORATOR,
];

fn type_index(highlight: Highlight) -> u32 {
    match highlight {
        Highlight::Namespace => 0,
        Highlight::Interface => 1,
        Highlight::World => 2,
        Highlight::Type => 3,
        Highlight::Struct => 4,
        Highlight::Enum => 5,
        Highlight::EnumMember => 6,
        Highlight::Resource => 7,
        Highlight::Function => 8,
        Highlight::Method => 9,
        Highlight::Parameter => 10,
        Highlight::Property => 11,
        Highlight::Keyword => 12,
        Highlight::Comment => 13,
        Highlight::Number => 14,
        Highlight::Operator => 15,
        Highlight::Decorator => 16,
    }
}

/// Modifiers in legend order: bit `i` of `modifier::*` is entry `i`.
const MODIFIERS: &[SemanticTokenModifier] = &[
    SemanticTokenModifier::DECLARATION,
    SemanticTokenModifier::DOCUMENTATION,
    SemanticTokenModifier::DEPRECATED,
    SemanticTokenModifier::DEFAULT_LIBRARY,
];

const _: () = assert!(modifier::DEFAULT_LIBRARY == 1 << (MODIFIERS.len() - 1));

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: MODIFIERS.to_vec(),
    }
}

pub async fn semantic_tokens_full(
    state: &State,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    let tokens = state
        .query(&params.text_document.uri, |snapshot| tokens(snapshot, None))
        .await?;
    Ok(tokens.map(SemanticTokensResult::Tokens))
}

pub async fn semantic_tokens_range(
    state: &State,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>> {
    let range = params.range;
    let tokens = state
        .query(&params.text_document.uri, move |snapshot| {
            tokens(snapshot, Some(range))
        })
        .await?;
    Ok(tokens.map(SemanticTokensRangeResult::Tokens))
}

fn tokens(snapshot: &Snapshot<'_>, range: Option<Range>) -> Option<SemanticTokens> {
    let positions = &snapshot.positions;
    let within = range.map(|r| {
        TextRange::new(
            positions.offset(r.start),
            positions.offset(r.end).max(positions.offset(r.start)),
        )
    });
    let mut data = Vec::new();
    let (mut line, mut character) = (0, 0);
    for token in snapshot.analysis.highlights(snapshot.file, within) {
        let start = positions.position(token.range.start());
        let end = positions.position(token.range.end());
        if end.line != start.line {
            continue; // only comments span lines, and they come split
        }
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 {
            start.character - character
        } else {
            start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: type_index(token.highlight),
            token_modifiers_bitset: token.modifiers,
        });
        (line, character) = (start.line, start.character);
    }
    Some(SemanticTokens {
        result_id: None,
        data,
    })
}
