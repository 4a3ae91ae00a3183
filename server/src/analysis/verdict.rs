//! The verdict on validity, which is wit-parser's.
//!
//! Each package group (the main package, each `deps/` entry) is parsed with
//! wit-parser's own `SourceMap::parse`, so every group's first syntax error
//! is reported, not only the first of the whole tree. When all groups parse,
//! `Resolve::push_groups` resolves them together, exactly as `push_path`
//! would, and its first error is reported. Our own parser then adds the
//! syntax errors that lie past the point where wit-parser stopped.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use wit_parser::{
    ParseErrorKind, Resolve, ResolveErrorKind, SourceMap, Span, UnresolvedPackageGroup,
};

use super::guard::run_guarded;
use super::{Code, Config, Diagnostic, FileId, Severity, SourceFile, SourceGroup};
use crate::syntax::{TextRange, TextSize};

/// What wit-parser said, before it is matched with our own parse.
pub(super) struct WitParserVerdict {
    findings: Vec<Finding>,
    pub resolve: Option<Resolve>,
}

struct Finding {
    group: usize,
    /// The file and range of wit-parser's span, when it has one.
    located: Option<(FileId, TextRange)>,
    /// Where to report a finding without a span.
    fallback_path: PathBuf,
    kind: FindingKind,
    message: String,
}

enum FindingKind {
    /// A lexer error: wit-parser stopped there.
    Lex,
    /// wit-parser's `Syntax` kind, which also covers semantic checks; which
    /// one it is shows when our parse is at hand.
    Syntax,
    Known(Code),
}

/// Where wit-parser stopped parsing a group, if it stopped early.
struct StopPoint {
    file: FileId,
    offset: TextSize,
}

/// A file as wit-parser is given it: the path it reports errors under and
/// the current text (unsaved buffers included).
pub(super) struct VerdictInput {
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// Runs wit-parser on the texts. Needs no result of our own parser, so it
/// runs beside it.
pub(super) fn run_wit_parser(
    inputs: &[VerdictInput],
    groups: &[SourceGroup],
    binary_deps: &[PathBuf],
    config: &Config,
) -> WitParserVerdict {
    let mut findings = Vec::new();
    let by_name: HashMap<String, FileId> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| (source_name(&input.path), FileId(i as u32)))
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
    let crashed = |group: usize, path: &Path, panic: &str| Finding {
        group,
        located: None,
        fallback_path: path.to_path_buf(),
        kind: FindingKind::Known(Code::Semantic),
        message: crash_message(panic),
    };

    let mut parsed: Vec<UnresolvedPackageGroup> = Vec::new();
    let mut all_parsed = true;
    for (index, group) in groups.iter().enumerate() {
        if group.files.is_empty() {
            continue;
        }
        let mut map = SourceMap::new();
        for &file in &group.files {
            let input = &inputs[file.0 as usize];
            map.push_str(&source_name(&input.path), input.text.to_string());
        }
        let outcome = match run_guarded(|| map.parse()) {
            Ok(outcome) => outcome,
            Err(panic) => {
                all_parsed = false;
                findings.push(crashed(index, &group.path, &panic));
                continue;
            }
        };
        match outcome {
            // Every file parsed: our parser must agree, so its errors here
            // would be our bugs; they are not reported.
            Ok(unresolved) => parsed.push(unresolved),
            Err((map, error)) => {
                all_parsed = false;
                let kind = error.kind();
                findings.push(Finding {
                    group: index,
                    located: locate(&map, kind.span()),
                    fallback_path: group.path.clone(),
                    kind: match kind {
                        ParseErrorKind::Lex(_) => FindingKind::Lex,
                        ParseErrorKind::Syntax { .. } => FindingKind::Syntax,
                        ParseErrorKind::ItemNotFound { .. } => {
                            FindingKind::Known(Code::UnknownName)
                        }
                        ParseErrorKind::TypeCycle { .. } => FindingKind::Known(Code::Cycle),
                        _ => FindingKind::Known(Code::Semantic),
                    },
                    message: kind.to_string(),
                });
            }
        }
    }
    let no_main_files = groups.first().is_none_or(|g| g.files.is_empty());
    if !all_parsed || no_main_files {
        return WitParserVerdict {
            findings,
            resolve: None,
        };
    }

    let mut resolve = Resolve::new();
    resolve.all_features = config.all_features;
    resolve.features.extend(config.features.iter().cloned());
    for path in binary_deps {
        let merged = run_guarded(|| merge_binary_package(&mut resolve, path))
            .unwrap_or_else(|panic| Err(crash_message(&panic)));
        if let Err(message) = merged {
            findings.push(Finding {
                group: 0,
                located: None,
                fallback_path: path.clone(),
                kind: FindingKind::Known(Code::Io),
                message,
            });
        }
    }
    if !findings.is_empty() {
        return WitParserVerdict {
            findings,
            resolve: None,
        };
    }
    let main = parsed.remove(0);
    match run_guarded(|| resolve.push_groups(main, parsed)) {
        Ok(Ok(_)) => WitParserVerdict {
            findings,
            resolve: Some(resolve),
        },
        Ok(Err(error)) => {
            let kind = error.kind();
            findings.push(Finding {
                group: 0,
                located: locate(&resolve.source_map, kind.span()),
                fallback_path: groups[0].path.clone(),
                kind: FindingKind::Known(resolve_error_code(kind)),
                message: kind.to_string(),
            });
            WitParserVerdict {
                findings,
                resolve: None,
            }
        }
        Err(panic) => {
            findings.push(crashed(0, &groups[0].path, &panic));
            WitParserVerdict {
                findings,
                resolve: None,
            }
        }
    }
}

/// Turns wit-parser's findings into diagnostics, adding our parser's syntax
/// errors past the point where wit-parser stopped.
pub(super) fn finish(
    verdict: &WitParserVerdict,
    files: &[SourceFile],
    groups: &[SourceGroup],
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for finding in &verdict.findings {
        let ours_here = finding.located.is_some_and(|(file, range)| {
            files[file.0 as usize]
                .parse
                .errors
                .iter()
                .any(|e| e.range.start() == range.start())
        });
        let (code, stops) = match &finding.kind {
            FindingKind::Lex => (Code::Syntax, true),
            FindingKind::Syntax if ours_here => (Code::Syntax, true),
            FindingKind::Syntax => (semantic_code(&finding.message), false),
            FindingKind::Known(code) => (*code, false),
        };
        let (path, range) = match finding.located {
            Some((file, range)) => (files[file.0 as usize].path.clone(), Some(range)),
            None => (finding.fallback_path.clone(), None),
        };
        diagnostics.push(Diagnostic {
            path,
            range,
            severity: Severity::Error,
            code,
            message: finding.message.clone(),
        });
        if let (true, Some((file, range))) = (stops, finding.located) {
            let stop = StopPoint {
                file,
                offset: range.start(),
            };
            diagnostics.extend(syntax_errors_past(files, &groups[finding.group], &stop));
        }
    }
    diagnostics
}

/// The message for a wit-parser panic, reported on the package it happened in.
fn crash_message(panic: &str) -> String {
    let panic = panic.replace('\n', " ");
    format!(
        "wit-parser crashed while checking this package, so its verdict is unknown ({panic}); \
         this is a wit-parser bug: look for the construct it trips on (for wit-parser 0.254, \
         a `/**/` comment before an item) and report it upstream"
    )
}

/// The name a file is registered under in wit-parser's source maps; errors
/// come back with it.
fn source_name(path: &Path) -> String {
    path.display().to_string()
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
    let stop_name = source_name(&stop_file.path);
    // "On a later line" is "at or after the start of the next line".
    let stop_at = (u32::from(stop.offset) as usize).min(stop_file.text.len());
    let next_line_start = stop_file.text[stop_at..]
        .find('\n')
        .map_or(usize::MAX, |i| stop_at + i + 1);
    let mut found = Vec::new();
    for &id in &group.files {
        let file = &files[id.0 as usize];
        let name = source_name(&file.path);
        for error in &file.parse.errors {
            let past = if id == stop.file {
                usize::from(error.range.start()) >= next_line_start
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
