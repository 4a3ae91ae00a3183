//! The one diagnostic type that every output (terminal, JSON, SARIF, LSP)
//! is rendered from.

use std::path::PathBuf;

use crate::syntax::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A finding in a file. `range` is in bytes of the file's current text;
/// `None` means the finding is about the file or directory as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub range: Option<TextRange>,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
}

/// Stable diagnostic codes. Their names are part of the CLI's JSON, GitHub
/// and SARIF output and of `wasmlens.toml`, so they never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A syntax error (wit-parser's or, past its first one, ours).
    Syntax,
    /// A name that does not resolve inside its package.
    UnknownName,
    /// A package that is neither in the tree nor in `deps/`.
    UnknownPackage,
    /// A type, interface, world or package that depends on itself.
    Cycle,
    /// The same package defined twice.
    DuplicatePackage,
    /// A world item that shadows an included one.
    Shadowing,
    /// `@since`/`@unstable` gates that disagree.
    GateMismatch,
    /// Any other error wit-parser reports while resolving.
    Semantic,
    /// A file that cannot be read, or a `deps/` entry that cannot be decoded.
    Io,
    /// A file that is not UTF-8.
    Encoding,
    /// A directory given to check that holds no WIT.
    NoWit,
    /// `wasmlens.toml` is invalid, or a value in it is.
    Config,
    /// Lint: a `use` whose name is never used.
    UnusedUse,
    /// Lint: a reference to a `@deprecated` item.
    Deprecated,
    /// Lint: an exported function without a doc comment.
    MissingDocs,
}

impl Code {
    pub const ALL: [Code; 15] = [
        Code::Syntax,
        Code::UnknownName,
        Code::UnknownPackage,
        Code::Cycle,
        Code::DuplicatePackage,
        Code::Shadowing,
        Code::GateMismatch,
        Code::Semantic,
        Code::Io,
        Code::Encoding,
        Code::NoWit,
        Code::Config,
        Code::UnusedUse,
        Code::Deprecated,
        Code::MissingDocs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::UnknownName => "unknown-name",
            Code::UnknownPackage => "unknown-package",
            Code::Cycle => "cycle",
            Code::DuplicatePackage => "duplicate-package",
            Code::Shadowing => "shadowing",
            Code::GateMismatch => "gate-mismatch",
            Code::Semantic => "semantic",
            Code::Io => "io",
            Code::Encoding => "encoding",
            Code::NoWit => "no-wit",
            Code::Config => "config",
            Code::UnusedUse => "unused-use",
            Code::Deprecated => "deprecated",
            Code::MissingDocs => "missing-docs",
        }
    }

    /// One line on what the code means, for SARIF rules and docs.
    pub fn description(self) -> &'static str {
        match self {
            Code::Syntax => "The WIT text does not parse.",
            Code::UnknownName => "A name does not resolve to a definition in its package.",
            Code::UnknownPackage => "A package is used that is neither in the tree nor in deps/.",
            Code::Cycle => "A type, interface, world or package depends on itself.",
            Code::DuplicatePackage => "The same package is defined in two places.",
            Code::Shadowing => "A world item shadows an item that an include brought in.",
            Code::GateMismatch => "Feature gates (@since/@unstable) of the same item disagree.",
            Code::Semantic => "wit-parser rejects the package while resolving it.",
            Code::Io => "A file or deps/ entry cannot be read or decoded.",
            Code::Encoding => "A WIT file is not valid UTF-8.",
            Code::NoWit => "A directory that was given to check holds no WIT files.",
            Code::Config => "wasmlens.toml is invalid, or a value in it is.",
            Code::UnusedUse => "A name brought in by `use` is never used.",
            Code::Deprecated => "An item marked @deprecated is used.",
            Code::MissingDocs => "An exported function has no doc comment.",
        }
    }

    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|code| code.as_str() == name)
    }

    /// Whether this is a lint (configurable, a warning by default) rather
    /// than a verdict on validity.
    pub fn is_lint(self) -> bool {
        matches!(self, Code::UnusedUse | Code::Deprecated | Code::MissingDocs)
    }
}
