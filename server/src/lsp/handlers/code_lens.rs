//! `textDocument/codeLens` and `codeLens/resolve`: **▶ Run** above a
//! command world, **▶ Invoke** and **Trace** above each exported function,
//! and, when a world has no built component or an old one, a lens that
//! says so (with **Build** when `wasmlens.toml` has a build command).
//!
//! The lenses are sent without commands, with what they are about in
//! `data`; resolve turns that into the command. Clients resolve only the
//! lenses on screen.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::analysis::workspace::package_root_of;
use crate::lenses::package_runs::PackageRuns;
use crate::lenses::runner::Located;
use crate::lenses::targets::WorldTarget;
use crate::lsp::convert::path_of;
use crate::lsp::ext::{BUILD, DEBUG_CONFIG, INVOKE, LensData, LensKind, REQUEST, RUN, TRACE};
use crate::lsp::state::{Snapshot, State, lock, off_runtime};

pub async fn code_lens(state: &State, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri;
    let Some(path) = path_of(&uri) else {
        return Ok(None);
    };
    let root = package_root_of(&path);
    let (_, analysis) = state.fresh_analysis(&root).await?;
    let (encoding, folders) = {
        let session = state.session();
        (session.encoding, session.folders.clone())
    };
    let editor = lock(&state.editor_run).clone();
    let runner = state.runner.clone();
    let answer = off_runtime(move || {
        let file = analysis.file_id(&path)?;
        // A broken wasmlens.toml is a diagnostic in that file; the
        // lenses then work as without one.
        let runs = PackageRuns::discover(&root, &folders, editor.clone())
            .unwrap_or_else(|_| PackageRuns::without_config(&root, &folders, editor));
        let worlds = runs.worlds(&analysis, &runner);
        let snapshot = Snapshot::new(&analysis, file, encoding);
        Some(code_lenses(&snapshot, &uri, &worlds))
    })
    .await;
    state.logged(answer).await
}

/// `codeLens/resolve`: the lens' command, from its data.
pub async fn code_lens_resolve(lens: CodeLens) -> Result<CodeLens> {
    Ok(resolve(lens))
}

/// The lenses of `file`, given where each world's component is.
fn code_lenses(
    snapshot: &Snapshot<'_>,
    uri: &Uri,
    worlds: &[(WorldTarget, Located)],
) -> Vec<CodeLens> {
    let (file, positions) = (snapshot.file, &snapshot.positions);
    let mut lenses = Vec::new();
    let mut lens = |range, kind, world: &WorldTarget, export: Option<&str>, stale, note| {
        lenses.push(CodeLens {
            range: positions.range(range),
            command: None,
            data: serde_json::to_value(LensData {
                kind,
                uri: uri.clone(),
                world: world.name.clone(),
                export: export.map(str::to_string),
                stale,
                note,
            })
            .ok(),
        });
    };
    for (world, located) in worlds {
        let stale = located.stale;
        if let Some((world_file, range)) = world.place
            && world_file == file
        {
            if located.component.is_none() {
                lens(
                    range,
                    LensKind::Missing,
                    world,
                    None,
                    false,
                    Some(missing_note(world, located)),
                );
                if located.build.is_some() {
                    lens(range, LensKind::Build, world, None, false, None);
                }
            } else {
                if world.is_command {
                    lens(range, LensKind::Run, world, None, stale, None);
                    lens(range, LensKind::Debug, world, None, stale, None);
                }
                if world.is_http_handler {
                    lens(range, LensKind::Request, world, None, stale, None);
                    lens(range, LensKind::TraceRequest, world, None, stale, None);
                }
                if stale && located.build.is_some() {
                    lens(range, LensKind::Build, world, None, true, None);
                }
            }
        }
        if located.component.is_none() {
            continue;
        }
        for function in &world.functions {
            if let Some((function_file, range)) = function.place
                && function_file == file
            {
                let export = Some(function.call_name.as_str());
                lens(range, LensKind::Invoke, world, export, stale, None);
                lens(range, LensKind::Debug, world, export, stale, None);
                lens(range, LensKind::Trace, world, export, stale, None);
            }
        }
    }
    // In reading order (stable, so Invoke stays before Trace).
    lenses.sort_by_key(|lens| (lens.range.start.line, lens.range.start.character));
    lenses
}

/// Why there is nothing to run, and what to do about it.
fn missing_note(world: &WorldTarget, located: &Located) -> String {
    match (&located.missing_mapped, &located.build) {
        (Some(path), _) => format!(
            "No component at {} (mapped in wasmlens.toml){}",
            path.display(),
            if located.build.is_some() {
                ""
            } else {
                "; build it first"
            }
        ),
        (None, Some(_)) => format!("No built component for {}", world.name),
        (None, None) => format!(
            "No built component for {}: build one into target/, build/, dist/ or out/, or map it with [[component]] in wasmlens.toml",
            world.name
        ),
    }
}

/// Fills in the command of a lens from its data.
fn resolve(mut lens: CodeLens) -> CodeLens {
    let Some(data) = lens
        .data
        .clone()
        .and_then(|d| serde_json::from_value::<LensData>(d).ok())
    else {
        return lens;
    };
    let stale = if data.stale { " (stale build)" } else { "" };
    let (title, command) = match data.kind {
        LensKind::Run => (format!("▶ Run{stale}"), RUN),
        LensKind::Invoke => (format!("▶ Invoke{stale}"), INVOKE),
        LensKind::Trace => ("Trace".to_string(), TRACE),
        LensKind::Debug => ("⏵ Debug".to_string(), DEBUG_CONFIG),
        LensKind::Request => (format!("▶ Request{stale}"), REQUEST),
        LensKind::TraceRequest => ("Trace Request".to_string(), REQUEST),
        LensKind::Build if data.stale => ("⚠ Older than the WIT: Rebuild".to_string(), BUILD),
        LensKind::Build => ("Build".to_string(), BUILD),
        LensKind::Missing => (data.note.clone().unwrap_or_default(), ""),
    };
    let arguments = (!command.is_empty())
        .then(|| serde_json::to_value(&data).ok().map(|v| vec![v]))
        .flatten();
    lens.command = Some(Command {
        title,
        command: command.to_string(),
        arguments,
    });
    lens
}
