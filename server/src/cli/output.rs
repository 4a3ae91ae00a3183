//! The four renderings of a check report.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde_json::json;

use super::position::Span;
use crate::analysis::{Code, Diagnostic, Severity};

/// What `check` found, with the texts the findings point into.
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub texts: BTreeMap<PathBuf, Arc<str>>,
    /// How many WIT files were analysed.
    pub files: usize,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    fn span(&self, diagnostic: &Diagnostic) -> Span {
        let text = self.texts.get(&diagnostic.path).map_or("", |t| t);
        Span::of(text, diagnostic.range)
    }

    fn summary(&self) -> String {
        let errors = self.count(Severity::Error);
        let warnings = self.count(Severity::Warning);
        let files = plural(self.files, "file");
        if errors == 0 && warnings == 0 {
            format!("checked {files}: no problems found\n")
        } else {
            format!(
                "checked {files}: {}, {}\n",
                plural(errors, "error"),
                plural(warnings, "warning")
            )
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn path_text(path: &std::path::Path) -> String {
    path.display().to_string().replace('\\', "/")
}

/// rustc-style snippets, then a summary line.
pub fn human(report: &Report, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut lines = diagnostic.message.lines();
        let headline = lines.next().unwrap_or_default();
        let rest: Vec<&str> = lines.collect();
        let path = path_text(&diagnostic.path);
        let title = level.primary_title(headline).id(diagnostic.code.as_str());
        let text = report.texts.get(&diagnostic.path);
        let mut group: Group = match (text, diagnostic.range) {
            (Some(text), Some(range)) => {
                let range = usize::from(range.start())..usize::from(range.end());
                title.element(
                    Snippet::source(&**text)
                        .path(path.clone())
                        .annotation(AnnotationKind::Primary.span(range)),
                )
            }
            _ => title.element(Origin::path(path.clone())),
        };
        if !rest.is_empty() {
            group = group.element(Level::NOTE.message(rest.join("\n")));
        }
        let _ = writeln!(out, "{}\n", renderer.render(&[group]));
    }
    out.push_str(&report.summary());
    out
}

/// `{"version":1,"diagnostics":[…],"summary":{…}}`.
pub fn json(report: &Report) -> String {
    let diagnostics: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "path": path_text(&d.path),
                "severity": d.severity.as_str(),
                "code": d.code.as_str(),
                "message": d.message,
                "range": report.span(d),
            })
        })
        .collect();
    let document = json!({
        "version": 1,
        "diagnostics": diagnostics,
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "files": report.files,
        }
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values serialize");
    text.push('\n');
    text
}

/// GitHub Actions workflow commands: one `::error`/`::warning` per finding.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let span = report.span(d);
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            d.severity.as_str(),
            escape_property(&path_text(&d.path)),
            span.start.line,
            span.start.column,
            span.end.line,
            span.end.column,
            escape_property(d.code.as_str()),
            escape_data(&d.message),
        );
    }
    out
}

/// GitHub's escaping for the message part of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping for a property value of a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// SARIF 2.1.0 with one rule per diagnostic code.
pub fn sarif(report: &Report) -> String {
    let rules: Vec<_> = Code::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "shortDescription": { "text": code.description() },
                "defaultConfiguration": {
                    "level": if code.is_lint() { "warning" } else { "error" }
                },
            })
        })
        .collect();
    let results: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| {
            let span = report.span(d);
            let rule_index = Code::ALL
                .iter()
                .position(|c| *c == d.code)
                .expect("every code is in ALL");
            json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": rule_index,
                "level": d.severity.as_str(),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": path_text(&d.path) },
                        "region": {
                            "startLine": span.start.line,
                            "startColumn": span.start.column,
                            "endLine": span.end.line,
                            "endColumn": span.end.column,
                            "byteOffset": span.start.offset,
                            "byteLength": span.end.offset - span.start.offset,
                        }
                    }
                }],
            })
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "wasmlens",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/wasmlens/wasmlens",
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values serialize");
    text.push('\n');
    text
}
