//! Reads a package root into source files and groups, turning every read
//! problem into a diagnostic.

use std::path::{Path, PathBuf};

use super::verdict::VerdictInput;
use super::workspace::{DepEntry, LoadError, PackageLayout, Workspace};
use super::{Code, Diagnostic, FileId, Severity, SourceGroup};
use crate::syntax::{TextRange, TextSize};

pub(super) struct Loaded {
    pub layout: PackageLayout,
    /// The files' texts, by `FileId`; parsing comes later, beside the verdict.
    pub inputs: Vec<VerdictInput>,
    pub groups: Vec<SourceGroup>,
    pub binary_deps: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the package at `root`, handing each text to `on_text` (with its
/// group) as soon as it is read, so parsing can start while reading goes on.
pub(super) fn load(
    workspace: &Workspace,
    root: &Path,
    on_text: &mut dyn FnMut(&VerdictInput, usize),
) -> Loaded {
    let mut loaded = Loaded {
        layout: PackageLayout {
            root: root.to_path_buf(),
            files: Vec::new(),
            deps: Vec::new(),
        },
        inputs: Vec::new(),
        groups: Vec::new(),
        binary_deps: Vec::new(),
        diagnostics: Vec::new(),
    };
    let layout = match PackageLayout::read(workspace, root) {
        Ok(layout) => layout,
        Err(e) => {
            loaded.diagnostics.push(io_error(
                root,
                format!("cannot read {}: {e}", root.display()),
            ));
            return loaded;
        }
    };
    loaded.add_group(workspace, root, &layout.files, true, on_text);
    for dep in &layout.deps {
        match dep {
            DepEntry::Dir { path, files } => {
                loaded.add_group(workspace, path, files, false, on_text)
            }
            DepEntry::File(path) => {
                loaded.add_group(workspace, path, std::slice::from_ref(path), false, on_text)
            }
            DepEntry::Binary(path) => loaded.binary_deps.push(path.clone()),
        }
    }
    loaded.layout = layout;
    loaded
}

impl Loaded {
    fn add_group(
        &mut self,
        workspace: &Workspace,
        path: &Path,
        files: &[PathBuf],
        is_main: bool,
        on_text: &mut dyn FnMut(&VerdictInput, usize),
    ) {
        let group = self.groups.len();
        let mut ids = Vec::new();
        for file in files {
            match workspace.read_text(file) {
                Ok(text) => {
                    ids.push(FileId(self.inputs.len() as u32));
                    let input = VerdictInput {
                        path: file.clone(),
                        text,
                    };
                    on_text(&input, group);
                    self.inputs.push(input);
                }
                Err(LoadError::Io(e)) => {
                    self.diagnostics
                        .push(io_error(file, format!("cannot read {}: {e}", file.display())));
                }
                Err(LoadError::NotUtf8 { offset }) => self.diagnostics.push(Diagnostic {
                    path: file.clone(),
                    range: Some(TextRange::at(TextSize::from(offset as u32), 1.into())),
                    severity: Severity::Error,
                    code: Code::Encoding,
                    message: format!(
                        "invalid UTF-8 at byte {offset}; WIT files must be UTF-8: re-save the file as UTF-8"
                    ),
                }),
            }
        }
        self.groups.push(SourceGroup {
            path: path.to_path_buf(),
            files: ids,
            is_main,
        });
    }
}

fn io_error(path: &Path, message: String) -> Diagnostic {
    Diagnostic {
        path: path.to_path_buf(),
        range: None,
        severity: Severity::Error,
        code: Code::Io,
        message,
    }
}
