//! `textDocument/codeAction`: the analysis' fixes at a range as quick fixes
//! (with the diagnostics they fix), and "organize uses" as a source action.

use tower_lsp_server::ls_types::*;

use tower_lsp_server::jsonrpc::Result;

use crate::analysis::actions::{Fix, FixKind};
use crate::lsp::convert::workspace_edit;
use crate::lsp::state::{Snapshot, State};
use crate::syntax::TextRange;

pub async fn code_action(
    state: &State,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let (range, context) = (params.range, params.context);
    state
        .query(&params.text_document.uri, move |snapshot| {
            Some(code_actions(snapshot, range, context))
        })
        .await
}

fn code_actions(
    snapshot: &Snapshot<'_>,
    range: Range,
    context: CodeActionContext,
) -> Vec<CodeActionOrCommand> {
    let (analysis, file, positions) = (snapshot.analysis, snapshot.file, &snapshot.positions);
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
            wanted(&kind).then(|| action(snapshot, &context, fix, kind))
        })
        .collect()
}

fn action(
    snapshot: &Snapshot<'_>,
    context: &CodeActionContext,
    fix: Fix,
    kind: CodeActionKind,
) -> CodeActionOrCommand {
    let positions = &snapshot.positions;
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
        edit: Some(workspace_edit(
            snapshot.analysis,
            fix.edits,
            snapshot.encoding,
        )),
        is_preferred: fix.preferred.then_some(true),
        ..Default::default()
    })
}
