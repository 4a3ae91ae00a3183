//! `textDocument/codeLens` and `codeLens/resolve`: **▶ Run** above a
//! command world, **▶ Invoke** and **Trace** above each exported function,
//! and, when a world has no built component or an old one, a lens that
//! says so (with **Build** when `wasmlens.toml` has a build command).
//!
//! The lenses are sent without commands, with what they are about in
//! `data`; resolve turns that into the command. Clients resolve only the
//! lenses on screen.

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::*;

use super::super::convert::TextPositions;
use super::super::documents::Encoding;
use crate::analysis::{FileId, PackageAnalysis};
use crate::lenses::runner::Located;
use crate::lenses::targets::WorldTarget;

pub const RUN: &str = "wasmlens.run";
pub const INVOKE: &str = "wasmlens.invoke";
pub const TRACE: &str = "wasmlens.trace";
pub const BUILD: &str = "wasmlens.build";
/// Every command the server executes.
pub const COMMANDS: [&str; 4] = [RUN, INVOKE, TRACE, BUILD];

/// What a lens is about; also the argument of its command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LensData {
    pub kind: LensKind,
    /// The WIT file the lens is in.
    pub uri: Uri,
    /// `ns:pkg/world`.
    pub world: String,
    /// The function as a call names it (`add`, `ns:pkg/iface@1.0.0.f`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<String>,
    /// The lens is about a component older than its WIT.
    #[serde(default)]
    pub stale: bool,
    /// For [`LensKind::Missing`]: the explanation, and whether a build
    /// command exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LensKind {
    Run,
    Invoke,
    Trace,
    Build,
    /// No component: a lens that explains, without a command.
    Missing,
}

/// The lenses of `file`, given where each world's component is.
pub fn code_lenses(
    analysis: &PackageAnalysis,
    file: FileId,
    uri: &Uri,
    worlds: &[(WorldTarget, Located)],
    encoding: Encoding,
) -> Vec<CodeLens> {
    let positions = TextPositions::new(&analysis.file(file).text, encoding);
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
pub fn resolve(mut lens: CodeLens) -> CodeLens {
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
