//! The verdict on validity, which is wit-parser's.
//!
//! Each package group (the main package, each `deps/` entry) is parsed with
//! wit-parser's own `SourceMap::parse`, so every group's first syntax error
//! is reported, not only the first of the whole tree. When all groups parse,
//! `Resolve::push_groups` resolves them together, exactly as `push_path`
//! would, and its first error is reported. Our own parser then adds the
//! syntax errors that lie past the point where wit-parser stopped.

use std::collections::HashMap;
use std::path::PathBuf;

use wit_parser::{
    ParseErrorKind, Resolve, ResolveErrorKind, SourceMap, Span, UnresolvedPackageGroup,
};

use super::guard::run_guarded;
use super::{Code, Config, Diagnostic, FileId, Severity, SourceFile, SourceGroup};
use crate::syntax::{TextRange, TextSize};

pub(super) struct Verdict {
    pub diagnostics: Vec<Diagnostic>,
    pub resolve: Option<Resolve>,
}

/// Where wit-parser stopped parsing a group, if it stopped early.
struct StopPoint {
    file: FileId,
    offset: TextSize,
}

pub(super) fn run(
    files: &[SourceFile],
    groups: &[SourceGroup],
    binary_deps: &[PathBuf],
    config: &Config,
) -> Verdict {
    let mut diagnostics = Vec::new();
    let by_name: HashMap<String, FileId> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (source_name(f), FileId(i as u32)))
        .collect();
    let locate = |map: &SourceMap, span: Span| -> Option<(FileId, TextRange)> {
        let location = map.resolve_span(span)?;
        let file = *by_name.get(location.path)?;
        let range = TextRange::new(
            TextSize::from(location.range.start as u32),
            TextSize::from(location.range.end as u32),
        );
        Some((file, range))
    };

    let mut parsed: Vec<UnresolvedPackageGroup> = Vec::new();
    let mut all_parsed = true;
    for group in groups {
        if group.files.is_empty() {
            continue;
        }
        let mut map = SourceMap::new();
        for &file in &group.files {
            let file = &files[file.0 as usize];
            map.push_str(&source_name(file), file.text.to_string());
        }
        let outcome = match run_guarded(|| map.parse()) {
            Ok(outcome) => outcome,
            Err(panic) => {
                all_parsed = false;
                diagnostics.push(crash_diagnostic(&group.path, &panic));
                continue;
            }
        };
        match outcome {
            Ok(unresolved) => {
                // Every file parsed: our parser must agree, so its errors
                // here would be our bugs; they are not reported.
                parsed.push(unresolved);
            }
            Err((map, error)) => {
                all_parsed = false;
                let kind = error.kind();
                let located = locate(&map, kind.span());
                let code = parse_error_code(kind, located, files);
                let stop = match (kind, located) {
                    (ParseErrorKind::Lex(_), Some((file, range))) => Some(StopPoint {
                        file,
                        offset: range.start(),
                    }),
                    (ParseErrorKind::Syntax { .. }, Some((file, range)))
                        if code == Code::Syntax =>
                    {
                        Some(StopPoint {
                            file,
                            offset: range.start(),
                        })
                    }
                    _ => None,
                };
                diagnostics.push(diagnostic(files, group, located, code, kind.to_string()));
                if let Some(stop) = stop {
                    diagnostics.extend(syntax_errors_past(files, group, &stop));
                }
            }
        }
    }
    if !all_parsed || groups.first().is_none_or(|g| g.files.is_empty()) {
        return Verdict {
            diagnostics,
            resolve: None,
        };
    }

    let mut resolve = Resolve::new();
    resolve.all_features = config.all_features;
    resolve.features.extend(config.features.iter().cloned());
    for path in binary_deps {
        let merged = run_guarded(|| merge_binary_package(&mut resolve, path))
            .unwrap_or_else(|panic| Err(crash_diagnostic(path, &panic).message));
        if let Err(message) = merged {
            diagnostics.push(Diagnostic {
                path: path.clone(),
                range: None,
                severity: Severity::Error,
                code: Code::Io,
                message,
            });
        }
    }
    if !diagnostics.is_empty() {
        return Verdict {
            diagnostics,
            resolve: None,
        };
    }
    let main = parsed.remove(0);
    let pushed = match run_guarded(|| resolve.push_groups(main, parsed)) {
        Ok(pushed) => pushed,
        Err(panic) => {
            diagnostics.push(crash_diagnostic(&groups[0].path, &panic));
            return Verdict {
                diagnostics,
                resolve: None,
            };
        }
    };
    match pushed {
        Ok(_) => Verdict {
            diagnostics,
            resolve: Some(resolve),
        },
        Err(error) => {
            let kind = error.kind();
            let located = locate(&resolve.source_map, kind.span());
            diagnostics.push(diagnostic(
                files,
                &groups[0],
                located,
                resolve_error_code(kind),
                kind.to_string(),
            ));
            Verdict {
                diagnostics,
                resolve: None,
            }
        }
    }
}

/// A wit-parser panic, reported on the package it happened in.
fn crash_diagnostic(path: &std::path::Path, panic: &str) -> Diagnostic {
    let panic = panic.replace('\n', " ");
    Diagnostic {
        path: path.to_path_buf(),
        range: None,
        severity: Severity::Error,
        code: Code::Semantic,
        message: format!(
            "wit-parser crashed while checking this package, so its verdict is unknown ({panic}); \
             this is a wit-parser bug: look for the construct it trips on (for wit-parser 0.254, \
             a `/**/` comment before an item) and report it upstream"
        ),
    }
}

/// The name a file is registered under in wit-parser's source maps; errors
/// come back with it.
fn source_name(file: &SourceFile) -> String {
    file.path.display().to_string()
}

fn diagnostic(
    files: &[SourceFile],
    group: &SourceGroup,
    located: Option<(FileId, TextRange)>,
    code: Code,
    message: String,
) -> Diagnostic {
    let (path, range) = match located {
        Some((file, range)) => (files[file.0 as usize].path.clone(), Some(range)),
        None => (group.path.clone(), None),
    };
    Diagnostic {
        path,
        range,
        severity: Severity::Error,
        code,
        message,
    }
}

/// wit-parser reports some semantic checks (duplicate names, bad gates) as
/// `Syntax` errors; one is a real syntax error when our parser also stops
/// at that very token.
fn parse_error_code(
    kind: &ParseErrorKind,
    located: Option<(FileId, TextRange)>,
    files: &[SourceFile],
) -> Code {
    match kind {
        ParseErrorKind::Lex(_) => Code::Syntax,
        ParseErrorKind::ItemNotFound { .. } => Code::UnknownName,
        ParseErrorKind::TypeCycle { .. } => Code::Cycle,
        ParseErrorKind::Syntax { message, .. } => {
            let ours = located.is_some_and(|(file, range)| {
                files[file.0 as usize]
                    .parse
                    .errors
                    .iter()
                    .any(|e| e.range.start() == range.start())
            });
            if ours {
                Code::Syntax
            } else {
                semantic_code(message)
            }
        }
        _ => Code::Semantic,
    }
}

/// wit-parser words gate problems as plain semantic errors; they get the
/// gate code so that CI rules can tell them apart.
fn semantic_code(message: &str) -> Code {
    if message.contains("feature gate") || message.contains("stability") {
        Code::GateMismatch
    } else {
        Code::Semantic
    }
}

fn resolve_error_code(kind: &ResolveErrorKind) -> Code {
    match kind {
        ResolveErrorKind::PackageNotFound { .. } => Code::UnknownPackage,
        ResolveErrorKind::DuplicatePackage { .. } => Code::DuplicatePackage,
        ResolveErrorKind::PackageCycle { .. } => Code::Cycle,
        ResolveErrorKind::ItemShadowing { .. } => Code::Shadowing,
        ResolveErrorKind::StabilityMismatch { .. } => Code::GateMismatch,
        ResolveErrorKind::Semantic { message, .. } => semantic_code(message),
        _ => Code::Semantic,
    }
}

/// Our parser's errors that wit-parser never reached: those in the stopping
/// file on a later line, and those in files it parses after that one (it
/// parses a group's files in order of their names).
fn syntax_errors_past(
    files: &[SourceFile],
    group: &SourceGroup,
    stop: &StopPoint,
) -> Vec<Diagnostic> {
    let stop_file = &files[stop.file.0 as usize];
    let stop_name = source_name(stop_file);
    let stop_line = line_of(&stop_file.text, stop.offset);
    let mut found = Vec::new();
    for &id in &group.files {
        let file = &files[id.0 as usize];
        let name = source_name(file);
        for error in &file.parse.errors {
            let past = if id == stop.file {
                line_of(&file.text, error.range.start()) > stop_line
            } else {
                name > stop_name
            };
            if past {
                found.push(Diagnostic {
                    path: file.path.clone(),
                    range: Some(error.range),
                    severity: Severity::Error,
                    code: Code::Syntax,
                    message: error.message.clone(),
                });
            }
        }
    }
    found
}

fn line_of(text: &str, offset: TextSize) -> usize {
    let end = (u32::from(offset) as usize).min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Adds a `deps/*.wasm` WIT package to `resolve`, as `Resolve::push_dir`
/// does.
fn merge_binary_package(resolve: &mut Resolve, path: &PathBuf) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    match wit_parser::decoding::decode(&bytes) {
        Ok(wit_parser::decoding::DecodedWasm::WitPackage(decoded, _)) => resolve
            .merge(decoded)
            .map(|_| ())
            .map_err(|e| format!("{}: cannot merge WIT package: {e:#}", path.display())),
        Ok(wit_parser::decoding::DecodedWasm::Component(..)) => Err(format!(
            "{}: found an actual component instead of an encoded WIT package in wasm; \
             put the package's WIT (or `wasm-tools component wit --wasm`) in deps/",
            path.display()
        )),
        Err(e) => Err(format!(
            "{}: not a WIT package encoded as wasm: {e:#}; remove it from deps/ or rebuild it",
            path.display()
        )),
    }
}
