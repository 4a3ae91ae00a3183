//! The kinds of tokens and nodes in the WIT concrete syntax tree.

/// Every token and node kind of the lossless WIT tree.
///
/// Tokens come first (up to `__LAST_TOKEN`), nodes after; the numbering is
/// only meaningful inside one build.
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u16)]
pub enum SyntaxKind {
    // Trivia and lexical errors.
    WHITESPACE,
    COMMENT,
    /// Characters the lexer could not turn into a token, kept so the tree still
    /// prints back byte-identical.
    ERROR_TOKEN,

    // Punctuation.
    EQ,
    COMMA,
    COLON,
    DOT,
    SEMICOLON,
    L_PAREN,
    R_PAREN,
    L_BRACE,
    R_BRACE,
    L_ANGLE,
    R_ANGLE,
    ARROW,
    STAR,
    AT,
    SLASH,
    PLUS,
    MINUS,

    // Literals and names.
    IDENT,
    /// `%`-escaped identifier such as `%interface`.
    EXPLICIT_IDENT,
    INTEGER,
    STRING,

    // Keywords.
    USE_KW,
    TYPE_KW,
    FUNC_KW,
    U8_KW,
    U16_KW,
    U32_KW,
    U64_KW,
    S8_KW,
    S16_KW,
    S32_KW,
    S64_KW,
    F32_KW,
    F64_KW,
    CHAR_KW,
    RECORD_KW,
    RESOURCE_KW,
    OWN_KW,
    BORROW_KW,
    FLAGS_KW,
    VARIANT_KW,
    ENUM_KW,
    BOOL_KW,
    STRING_KW,
    OPTION_KW,
    RESULT_KW,
    FUTURE_KW,
    STREAM_KW,
    ERROR_CONTEXT_KW,
    LIST_KW,
    MAP_KW,
    UNDERSCORE_KW,
    AS_KW,
    FROM_KW,
    STATIC_KW,
    INTERFACE_KW,
    TUPLE_KW,
    IMPORT_KW,
    EXPORT_KW,
    WORLD_KW,
    PACKAGE_KW,
    CONSTRUCTOR_KW,
    ASYNC_KW,
    INCLUDE_KW,
    WITH_KW,
    EOF,
    __LAST_TOKEN,

    // Nodes.
    SOURCE_FILE,
    /// `package ns:name@1.0.0;` at the top of a file.
    PACKAGE_DECL,
    /// `package ns:name { … }`.
    NESTED_PACKAGE,
    PACKAGE_NAME,
    VERSION,
    ATTRIBUTE,
    INTERFACE,
    WORLD,
    /// `use ns:pkg/iface as alias;` at the top level of a file.
    TOPLEVEL_USE,
    /// `use path.{a, b as c};` inside an interface or world.
    USE,
    USE_PATH,
    USE_NAME_LIST,
    USE_NAME,
    INCLUDE,
    INCLUDE_NAME_LIST,
    INCLUDE_NAME,
    IMPORT,
    EXPORT,
    /// `import name: interface { … }`.
    INLINE_INTERFACE,
    /// `import name: func(…);` in a world, or `name: func(…);` in an interface.
    FUNC_ITEM,
    /// `import label: pkg:name/iface;`.
    NAMED_PATH,
    FUNC_TYPE,
    PARAM_LIST,
    PARAM,
    RESULT_LIST,
    TYPE_ALIAS,
    RECORD,
    FIELD,
    VARIANT,
    VARIANT_CASE,
    ENUM,
    ENUM_CASE,
    FLAGS,
    FLAG,
    RESOURCE,
    CONSTRUCTOR,
    METHOD,
    STATIC_FUNC,
    PRIMITIVE_TYPE,
    NAMED_TYPE,
    LIST_TYPE,
    MAP_TYPE,
    OPTION_TYPE,
    RESULT_TYPE,
    TUPLE_TYPE,
    FUTURE_TYPE,
    STREAM_TYPE,
    HANDLE_TYPE,
    /// The identifier that a definition introduces.
    NAME,
    /// An identifier that refers to a definition elsewhere.
    NAME_REF,
    /// Tokens skipped while recovering from a syntax error.
    ERROR,
}

use SyntaxKind::*;

impl SyntaxKind {
    pub fn is_trivia(self) -> bool {
        matches!(self, WHITESPACE | COMMENT)
    }

    /// Whether this is a reserved word (`use` … `with`).
    pub fn is_keyword(self) -> bool {
        (USE_KW as u16..=WITH_KW as u16).contains(&(self as u16))
    }

    /// The keyword kind for `text`, exactly as wit-parser's lexer reserves it.
    pub fn from_keyword(text: &str) -> Option<SyntaxKind> {
        Some(match text {
            "use" => USE_KW,
            "type" => TYPE_KW,
            "func" => FUNC_KW,
            "u8" => U8_KW,
            "u16" => U16_KW,
            "u32" => U32_KW,
            "u64" => U64_KW,
            "s8" => S8_KW,
            "s16" => S16_KW,
            "s32" => S32_KW,
            "s64" => S64_KW,
            "f32" => F32_KW,
            "f64" => F64_KW,
            "char" => CHAR_KW,
            "resource" => RESOURCE_KW,
            "own" => OWN_KW,
            "borrow" => BORROW_KW,
            "record" => RECORD_KW,
            "flags" => FLAGS_KW,
            "variant" => VARIANT_KW,
            "enum" => ENUM_KW,
            "bool" => BOOL_KW,
            "string" => STRING_KW,
            "option" => OPTION_KW,
            "result" => RESULT_KW,
            "future" => FUTURE_KW,
            "stream" => STREAM_KW,
            "error-context" => ERROR_CONTEXT_KW,
            "list" => LIST_KW,
            "map" => MAP_KW,
            "_" => UNDERSCORE_KW,
            "as" => AS_KW,
            "from" => FROM_KW,
            "static" => STATIC_KW,
            "interface" => INTERFACE_KW,
            "tuple" => TUPLE_KW,
            "world" => WORLD_KW,
            "import" => IMPORT_KW,
            "export" => EXPORT_KW,
            "package" => PACKAGE_KW,
            "constructor" => CONSTRUCTOR_KW,
            "include" => INCLUDE_KW,
            "with" => WITH_KW,
            "async" => ASYNC_KW,
            _ => return None,
        })
    }

    /// How wit-parser describes this token in "expected …, found …" messages.
    pub fn describe(self) -> &'static str {
        match self {
            WHITESPACE => "whitespace",
            COMMENT => "a comment",
            EQ => "'='",
            COMMA => "','",
            COLON => "':'",
            DOT => "'.'",
            SEMICOLON => "';'",
            L_PAREN => "'('",
            R_PAREN => "')'",
            L_BRACE => "'{'",
            R_BRACE => "'}'",
            L_ANGLE => "'<'",
            R_ANGLE => "'>'",
            ARROW => "'->'",
            STAR => "'*'",
            AT => "'@'",
            SLASH => "'/'",
            PLUS => "'+'",
            MINUS => "'-'",
            IDENT => "an identifier",
            EXPLICIT_IDENT => "an '%' identifier",
            INTEGER => "an integer",
            STRING => "a string",
            USE_KW => "keyword `use`",
            TYPE_KW => "keyword `type`",
            FUNC_KW => "keyword `func`",
            U8_KW => "keyword `u8`",
            U16_KW => "keyword `u16`",
            U32_KW => "keyword `u32`",
            U64_KW => "keyword `u64`",
            S8_KW => "keyword `s8`",
            S16_KW => "keyword `s16`",
            S32_KW => "keyword `s32`",
            S64_KW => "keyword `s64`",
            F32_KW => "keyword `f32`",
            F64_KW => "keyword `f64`",
            CHAR_KW => "keyword `char`",
            RECORD_KW => "keyword `record`",
            RESOURCE_KW => "keyword `resource`",
            OWN_KW => "keyword `own`",
            BORROW_KW => "keyword `borrow`",
            FLAGS_KW => "keyword `flags`",
            VARIANT_KW => "keyword `variant`",
            ENUM_KW => "keyword `enum`",
            BOOL_KW => "keyword `bool`",
            STRING_KW => "keyword `string`",
            OPTION_KW => "keyword `option`",
            RESULT_KW => "keyword `result`",
            FUTURE_KW => "keyword `future`",
            STREAM_KW => "keyword `stream`",
            ERROR_CONTEXT_KW => "keyword `error-context`",
            LIST_KW => "keyword `list`",
            MAP_KW => "keyword `map`",
            UNDERSCORE_KW => "keyword `_`",
            AS_KW => "keyword `as`",
            FROM_KW => "keyword `from`",
            STATIC_KW => "keyword `static`",
            INTERFACE_KW => "keyword `interface`",
            TUPLE_KW => "keyword `tuple`",
            IMPORT_KW => "keyword `import`",
            EXPORT_KW => "keyword `export`",
            WORLD_KW => "keyword `world`",
            PACKAGE_KW => "keyword `package`",
            CONSTRUCTOR_KW => "keyword `constructor`",
            ASYNC_KW => "keyword `async`",
            INCLUDE_KW => "keyword `include`",
            WITH_KW => "keyword `with`",
            EOF => "eof",
            _ => "an unexpected token",
        }
    }
}

/// The `rowan` language tag for WIT trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WitLanguage {}

impl rowan::Language for WitLanguage {
    type Kind = SyntaxKind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        assert!(raw.0 <= ERROR as u16, "raw syntax kind out of range");
        // SAFETY: `SyntaxKind` is `repr(u16)` with contiguous discriminants
        // from 0 to `ERROR`, and the assertion above bounds `raw.0`.
        unsafe { std::mem::transmute::<u16, SyntaxKind>(raw.0) }
    }

    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        rowan::SyntaxKind(kind as u16)
    }
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        rowan::SyntaxKind(kind as u16)
    }
}

pub type SyntaxNode = rowan::SyntaxNode<WitLanguage>;
pub type SyntaxToken = rowan::SyntaxToken<WitLanguage>;
