//! The verdict invariant on real corpora: wasmlens reports no error on a tree
//! wit-parser accepts, and wit-parser's own error (message and position)
//! on a tree it rejects.

use std::path::{Path, PathBuf};

use wasmlens::analysis::{Config, Severity, Workspace, analyze_package};
use wasmlens_tests::{wasi_p2_dir, wasi_p3_dir, wit_parser_ui_dir};

/// wit-parser's verdict on `path` (as `wasm-tools component wit` reads it):
/// `None` if accepted, else the error's file, byte range and message.
fn wit_parser_verdict(path: &Path) -> Option<(String, std::ops::Range<usize>, String)> {
    let mut resolve = wit_parser::Resolve::new();
    resolve.all_features = true;
    let error = resolve.push_path(path).err()?;
    let (span, message) = if let Some(e) = error.downcast_ref::<wit_parser::ParseError>() {
        (e.kind().span(), e.kind().to_string())
    } else if let Some(e) = error.downcast_ref::<wit_parser::ResolveError>() {
        (e.kind().span(), e.kind().to_string())
    } else {
        return Some((String::new(), 0..0, format!("{error:#}")));
    };
    match resolve.source_map.resolve_span(span) {
        Some(location) => Some((location.path.to_string(), location.range, message)),
        None => Some((String::new(), 0..0, message)),
    }
}

fn errors_of(path: &Path) -> Vec<(String, std::ops::Range<usize>, String)> {
    let analysis = analyze_package(&Workspace::new(), path, &Config::default());
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let range = d
                .range
                .map_or(0..0, |r| usize::from(r.start())..usize::from(r.end()));
            (d.path.display().to_string(), range, d.message.clone())
        })
        .collect()
}

/// The trees of a wit-parser UI folder: single files and directories.
fn ui_cases(dir: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir() && p.file_name().is_some_and(|n| n != "parse-fail")
                || p.extension().is_some_and(|e| e == "wit")
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn wasi_trees_check_clean_with_their_deps() {
    for dir in [wasi_p2_dir(), wasi_p3_dir()] {
        assert_eq!(
            wit_parser_verdict(&dir),
            None,
            "wit-parser rejects {}",
            dir.display()
        );
        let analysis = analyze_package(&Workspace::new(), &dir, &Config::default());
        assert!(
            analysis.diagnostics.is_empty(),
            "{}: {:#?}",
            dir.display(),
            analysis.diagnostics
        );
        assert!(
            analysis.groups.len() >= 6,
            "deps of {} were not loaded",
            dir.display()
        );
        assert!(analysis.resolve.is_some());
    }
}

#[test]
fn trees_wit_parser_accepts_have_no_errors() {
    let cases = ui_cases(&wit_parser_ui_dir());
    assert!(cases.len() > 50, "too few accepted cases: {}", cases.len());
    let mut disagreements = Vec::new();
    let mut compared = 0;
    for case in &cases {
        if wit_parser_verdict(case).is_some() {
            continue;
        }
        compared += 1;
        let errors = errors_of(case);
        if !errors.is_empty() {
            disagreements.push(format!("{}: {errors:#?}", case.display()));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(compared > 50, "only {compared} accepted trees compared");
}

#[test]
fn trees_wit_parser_rejects_get_its_error_at_its_position() {
    let cases = ui_cases(&wit_parser_ui_dir().join("parse-fail"));
    assert!(cases.len() > 100, "too few rejected cases: {}", cases.len());
    let mut disagreements = Vec::new();
    let mut compared = 0;
    for case in &cases {
        let Some(expected) = wit_parser_verdict(case) else {
            continue;
        };
        compared += 1;
        let errors = errors_of(case);
        let found = errors.iter().any(|(path, range, message)| {
            *message == expected.2
                && (expected.0.is_empty() || (*path == expected.0 && *range == expected.1))
        });
        if !found {
            disagreements.push(format!(
                "{}:\n  wit-parser: {expected:?}\n  wasmlens:   {errors:?}",
                case.display()
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    eprintln!("compared {compared} rejected trees");
    assert!(compared > 100, "only {compared} rejected trees compared");
}
