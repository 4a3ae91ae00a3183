//! `textDocument/codeAction`: the analysis' fixes at a range as quick fixes
//! (with the diagnostics they fix), and "organize uses" as a source action.

use tower_lsp_server::ls_types::*;

use crate::analysis::actions::{Fix, FixKind};
use crate::analysis::{FileId, PackageAnalysis};
use crate::lsp::convert::{TextPositions, workspace_edit};
use crate::lsp::documents::Encoding;
use crate::syntax::TextRange;

pub fn code_actions(
    analysis: &PackageAnalysis,
    file: FileId,
    range: Range,
    context: CodeActionContext,
    encoding: Encoding,
) -> Vec<CodeActionOrCommand> {
    let positions = TextPositions::new(&analysis.file(file).text, encoding);
    let wanted = |kind: &CodeActionKind| {
        context
            .only
            .as_ref()
            .is_none_or(|only| only.iter().any(|o| kind.as_str().starts_with(o.as_str())))
    };
    let range = TextRange::new(positions.offset(range.start), positions.offset(range.end));
    let mut fixes = analysis.fixes(file, range);
    fixes.extend(analysis.organize_uses(file));
    fixes
        .into_iter()
        .filter_map(|fix| {
            let kind = match fix.kind {
                FixKind::QuickFix => CodeActionKind::QUICKFIX,
                FixKind::OrganizeUses => CodeActionKind::SOURCE_ORGANIZE_IMPORTS,
            };
            wanted(&kind).then(|| action(analysis, &positions, &context, fix, kind, encoding))
        })
        .collect()
}

fn action(
    analysis: &PackageAnalysis,
    positions: &TextPositions<'_>,
    context: &CodeActionContext,
    fix: Fix,
    kind: CodeActionKind,
    encoding: Encoding,
) -> CodeActionOrCommand {
    // The client's diagnostics that sit where the problem is.
    let diagnostics: Vec<Diagnostic> = fix
        .problem
        .map(|problem| {
            let problem = positions.range(problem);
            context
                .diagnostics
                .iter()
                .filter(|d| d.range.start <= problem.end && problem.start <= d.range.end)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    CodeActionOrCommand::CodeAction(CodeAction {
        title: fix.title,
        kind: Some(kind),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(workspace_edit(analysis, fix.edits, encoding)),
        is_preferred: fix.preferred.then_some(true),
        ..Default::default()
    })
}
