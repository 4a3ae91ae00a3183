//! Conversions between analysis values (paths, byte offsets) and protocol
//! values (URIs, line/column positions in the agreed encoding). The only
//! place where the two meet.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::{self as lsp, Position, Range, TextEdit, Uri, WorkspaceEdit};

use super::documents::Encoding;
use crate::analysis::line_index::{ColumnUnit, LineCol};
use crate::analysis::navigation::FileRange;
use crate::analysis::{Diagnostic, FileEdit, FileId, LineIndex, PackageAnalysis, Severity};
use crate::syntax::{TextRange, TextSize};

pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let path = uri.to_file_path()?;
    Some(std::path::absolute(&*path).unwrap_or_else(|_| path.into_owned()))
}

pub fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_file_path(std::path::absolute(path).ok()?)
}

fn unit(encoding: Encoding) -> ColumnUnit {
    match encoding {
        Encoding::Utf8 => ColumnUnit::Utf8,
        Encoding::Utf16 => ColumnUnit::Utf16,
    }
}

/// Positions of one text, with its line index built once.
pub struct TextPositions<'a> {
    text: &'a str,
    lines: LineIndex,
    encoding: Encoding,
}

impl<'a> TextPositions<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        TextPositions {
            text,
            lines: LineIndex::new(text),
            encoding,
        }
    }

    pub fn position(&self, offset: TextSize) -> Position {
        let LineCol { line, col } = self.lines.line_col(self.text, offset, unit(self.encoding));
        Position::new(line, col)
    }

    pub fn range(&self, range: TextRange) -> Range {
        Range::new(self.position(range.start()), self.position(range.end()))
    }

    pub fn offset(&self, position: Position) -> TextSize {
        let at = LineCol {
            line: position.line,
            col: position.character,
        };
        self.lines.offset(self.text, at, unit(self.encoding))
    }
}

/// Converts ranges of any file of one analysis, building each file's line
/// index once.
pub struct AnalysisPositions<'a> {
    analysis: &'a PackageAnalysis,
    encoding: Encoding,
    files: HashMap<FileId, TextPositions<'a>>,
}

impl<'a> AnalysisPositions<'a> {
    pub fn new(analysis: &'a PackageAnalysis, encoding: Encoding) -> Self {
        AnalysisPositions {
            analysis,
            encoding,
            files: HashMap::new(),
        }
    }

    pub fn file(&mut self, file: FileId) -> &TextPositions<'a> {
        let analysis = self.analysis;
        let encoding = self.encoding;
        self.files
            .entry(file)
            .or_insert_with(|| TextPositions::new(&analysis.file(file).text, encoding))
    }

    pub fn location(&mut self, at: FileRange) -> Option<lsp::Location> {
        let uri = uri_of(&self.analysis.file(at.file).path)?;
        Some(lsp::Location::new(uri, self.file(at.file).range(at.range)))
    }
}

pub fn diagnostic(diagnostic: &Diagnostic, positions: &TextPositions<'_>) -> lsp::Diagnostic {
    let range = diagnostic
        .range
        .map_or_else(Range::default, |r| positions.range(r));
    let is_unused = diagnostic.code == crate::analysis::Code::UnusedUse;
    let is_deprecated = diagnostic.code == crate::analysis::Code::Deprecated;
    let tags: Vec<lsp::DiagnosticTag> = [
        is_unused.then_some(lsp::DiagnosticTag::UNNECESSARY),
        is_deprecated.then_some(lsp::DiagnosticTag::DEPRECATED),
    ]
    .into_iter()
    .flatten()
    .collect();
    lsp::Diagnostic {
        range,
        severity: Some(match diagnostic.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(
            diagnostic.code.as_str().to_string(),
        )),
        source: Some("wasmlens".to_string()),
        message: diagnostic.message.clone(),
        tags: (!tags.is_empty()).then_some(tags),
        ..Default::default()
    }
}

/// A `WorkspaceEdit` of analysis edits, which may touch several files.
pub fn workspace_edit(
    analysis: &PackageAnalysis,
    edits: Vec<FileEdit>,
    encoding: Encoding,
) -> WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    let mut positions: HashMap<FileId, TextPositions<'_>> = HashMap::new();
    for edit in edits {
        let source = analysis.file(edit.file);
        let at = positions
            .entry(edit.file)
            .or_insert_with(|| TextPositions::new(&source.text, encoding));
        let range = at.range(edit.range);
        let Some(uri) = uri_of(&source.path) else {
            continue;
        };
        changes.entry(uri).or_default().push(TextEdit {
            range,
            new_text: edit.new_text,
        });
    }
    WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}
