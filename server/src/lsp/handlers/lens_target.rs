//! What a lens command is about, found from the lens' data: the package's
//! run settings and the world with its located component.

use std::path::PathBuf;

use tower_lsp_server::jsonrpc::{Error, Result};

use crate::analysis::workspace::package_root_of;
use crate::lenses::package_runs::PackageRuns;
use crate::lenses::runner::Located;
use crate::lenses::targets::WorldTarget;
use crate::lsp::convert::path_of;
use crate::lsp::errors::{invalid_params, request_failed};
use crate::lsp::ext::LensData;
use crate::lsp::state::{State, lock, off_runtime};

/// What a lens command is about: the package's run settings and the
/// world with its located component.
pub struct LensTarget {
    pub runs: PackageRuns,
    pub world: WorldTarget,
    pub located: Located,
}

impl LensTarget {
    pub async fn find(state: &State, lens: &LensData) -> Result<LensTarget> {
        let Some(path) = path_of(&lens.uri) else {
            return Err(invalid_params(format!(
                "`uri` {} is not a file URI; send the lens' data as its command's argument",
                lens.uri.as_str()
            )));
        };
        let root = package_root_of(&path);
        let (_, analysis) = state.fresh_analysis(&root).await?;
        let folders = state.session().folders.clone();
        let editor = lock(&state.editor_run).clone();
        let runner = state.runner.clone();
        let world_name = lens.world.clone();
        off_runtime(move || {
            let runs = PackageRuns::discover(&root, &folders, editor).map_err(|(file, e)| {
                request_failed(format!(
                    "{}: {}; fix wasmlens.toml first",
                    file.display(),
                    e.message
                ))
            })?;
            let (world, located) = runs
                .world(&analysis, &runner, &world_name)
                .ok_or_else(|| {
                    request_failed(format!(
                        "no world `{world_name}` in this package (or its WIT has errors; fix them first)"
                    ))
                })?;
            Ok(LensTarget {
                runs,
                world,
                located,
            })
        })
        .await?
    }

    pub fn component(&self) -> std::result::Result<PathBuf, Error> {
        match &self.located.component {
            Some((found, _)) => Ok(found.path.clone()),
            None => Err(request_failed(format!(
                "no built component for {}; build it, or map one with [[component]] in wasmlens.toml",
                self.world.name
            ))),
        }
    }
}
