//! Lints: warnings about valid WIT, each with a stable code and a level
//! from `wasmlens.toml`.

use super::index::{DefKind, SymbolIndex};
use super::{Code, Config, Diagnostic, SourceFile};
use crate::syntax::tree::Gate;

pub(super) fn run(files: &[SourceFile], index: &SymbolIndex, config: &Config) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut emit = |code: Code, file: super::FileId, range, message: String| {
        if let Some(severity) = config.lint_level(code).severity() {
            found.push(Diagnostic {
                path: files[file.0 as usize].path.clone(),
                range: Some(range),
                severity,
                code,
                message,
            });
        }
    };

    let reference_counts = index.reference_counts();
    for id in index.def_ids() {
        let def = index.def(id);
        // Only the root's own files are linted, not what deps/ holds.
        if !is_main(files, def.file) {
            continue;
        }
        if def.kind == DefKind::UseAlias && reference_counts[id.0 as usize] == 0 {
            emit(
                Code::UnusedUse,
                def.file,
                def.name_range,
                format!(
                    "`{}` is imported by `use` but never used; remove it",
                    def.name
                ),
            );
        }
        let exported_function = def.kind == DefKind::Function && index.is_exported(id);
        if exported_function && def.docs.is_empty() {
            emit(
                Code::MissingDocs,
                def.file,
                def.name_range,
                format!(
                    "exported function `{}` has no doc comment; add `///` docs above it",
                    def.name
                ),
            );
        }
    }

    for reference in &index.references {
        if !is_main(files, reference.file) {
            continue;
        }
        let Some(target) = reference.target else {
            continue;
        };
        let original = index.def(index.original(target));
        let deprecated = original.gates.iter().find_map(|gate| match gate {
            Gate::Deprecated(version) => Some(version.clone()),
            _ => None,
        });
        if let Some(version) = deprecated {
            emit(
                Code::Deprecated,
                reference.file,
                reference.range,
                format!("`{}` is deprecated since version {version}", original.name),
            );
        }
    }
    found
}

fn is_main(files: &[SourceFile], file: super::FileId) -> bool {
    files[file.0 as usize].group == 0
}
