//! The error-tolerant WIT parser.
//!
//! It follows wit-parser's grammar (`wit-parser/src/ast.rs`) production by
//! production, so that it accepts the same language and words its errors the
//! same way. Where wit-parser stops at the first error, this parser records it,
//! skips to the next item (counting braces so a broken record body does not
//! end its interface) and carries on. Every token, trivia included, lands in
//! the tree, so the tree prints back byte-identical.

use rowan::{Checkpoint, GreenNode, GreenNodeBuilder, TextRange, TextSize};

use super::SyntaxKind::{self, *};
use super::lexer::{self, Token};

/// A syntax error: where, and wit-parser's wording for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// A parsed file: its lossless tree and every syntax error found in it.
#[derive(Debug, Clone)]
pub struct Parse {
    pub green: GreenNode,
    pub errors: Vec<SyntaxError>,
}

/// wit-parser's limits on nesting; beyond them it reports an error instead
/// of recursing, and so does this parser.
const MAX_TYPE_DEPTH: usize = 100;
const MAX_PACKAGE_DEPTH: usize = 100;

/// Parses one WIT file. Never fails and never panics: bad input becomes
/// `ERROR` nodes and entries in `errors`.
pub fn parse(text: &str) -> Parse {
    let (tokens, lex_errors) = lexer::tokenize(text);
    let mut parser = Parser::new(text, tokens);
    parser
        .errors
        .extend(lex_errors.into_iter().map(|e| SyntaxError {
            range: TextRange::at(e.offset.into(), e.len.into()),
            message: e.message,
        }));
    parser.source_file();
    let mut errors = parser.errors;
    // Sorting is stable and lexer errors come first, so where the parser
    // trips over a bad character the lexer's more precise message stays.
    errors.sort_by_key(|e| e.range.start());
    errors.dedup_by_key(|e| e.range.start());
    Parse {
        green: parser.builder.finish(),
        errors,
    }
}

/// Returned by a production that met a token it cannot accept; the error is
/// already recorded and the enclosing item recovers.
struct Bail;
type PResult = Result<(), Bail>;

/// Tokens that start an item at the top level of a file or nested package.
const TOP_LEVEL_STARTS: &[SyntaxKind] = &[INTERFACE_KW, WORLD_KW, USE_KW, PACKAGE_KW, AT];
const TYPE_DEF_STARTS: &[SyntaxKind] = &[
    TYPE_KW,
    RECORD_KW,
    VARIANT_KW,
    ENUM_KW,
    FLAGS_KW,
    RESOURCE_KW,
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    Interface,
    World,
    Resource,
}

impl Body {
    /// Tokens that begin the next item of this body after an error.
    fn is_item_start(self, p: &Parser) -> bool {
        let kind = p.current();
        let named_item = matches!(kind, IDENT | EXPLICIT_IDENT) && p.nth(1) == COLON;
        match self {
            Body::Interface => {
                named_item || kind == USE_KW || kind == AT || TYPE_DEF_STARTS.contains(&kind)
            }
            Body::World => {
                matches!(kind, IMPORT_KW | EXPORT_KW | INCLUDE_KW | USE_KW | AT)
                    || TYPE_DEF_STARTS.contains(&kind)
            }
            Body::Resource => named_item || matches!(kind, CONSTRUCTOR_KW | AT),
        }
    }

    /// What wit-parser says it expected where an item of this body starts.
    fn item_expectation(self) -> &'static str {
        match self {
            Body::Interface => "`type`, `resource` or `func`",
            Body::World => "`import`, `export`, `include`, `use`, or type definition",
            Body::Resource => "`constructor` or identifier",
        }
    }

    /// Keywords that can only start a top-level item: meeting one inside a
    /// body means its `}` is missing.
    fn is_outer_start(self, kind: SyntaxKind) -> bool {
        match self {
            Body::Interface | Body::World => matches!(kind, INTERFACE_KW | WORLD_KW | PACKAGE_KW),
            Body::Resource => false,
        }
    }
}

struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    starts: Vec<TextSize>,
    /// Index of the next token not yet in the tree (trivia included).
    pos: usize,
    /// Indices of the non-trivia tokens, and how many of them are already
    /// in the tree: lookahead without rescanning trivia.
    significant: Vec<usize>,
    significant_done: usize,
    builder: GreenNodeBuilder<'static>,
    open_nodes: usize,
    brace_depth: usize,
    errors: Vec<SyntaxError>,
}

impl<'t> Parser<'t> {
    fn new(text: &'t str, tokens: Vec<Token>) -> Self {
        let mut offset = TextSize::from(0);
        let starts = tokens
            .iter()
            .map(|token| {
                let start = offset;
                offset += TextSize::from(token.len);
                start
            })
            .collect();
        let significant = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.kind.is_trivia())
            .map(|(i, _)| i)
            .collect();
        Parser {
            text,
            tokens,
            starts,
            pos: 0,
            significant,
            significant_done: 0,
            builder: GreenNodeBuilder::new(),
            open_nodes: 0,
            brace_depth: 0,
            errors: Vec::new(),
        }
    }

    // ---- token access -------------------------------------------------

    /// Index of the `n`-th significant token from `pos`.
    fn nth_index(&self, n: usize) -> Option<usize> {
        self.significant.get(self.significant_done + n).copied()
    }

    fn nth(&self, n: usize) -> SyntaxKind {
        self.nth_index(n).map_or(EOF, |i| self.tokens[i].kind)
    }

    fn current(&self) -> SyntaxKind {
        self.nth(0)
    }

    fn at(&self, kind: SyntaxKind) -> bool {
        self.current() == kind
    }

    fn current_range(&self) -> TextRange {
        match self.nth_index(0) {
            Some(i) => TextRange::at(self.starts[i], self.tokens[i].len.into()),
            None => TextRange::empty(TextSize::of(self.text)),
        }
    }

    fn current_text(&self) -> &'t str {
        &self.text[self.current_range()]
    }

    // ---- tree building ------------------------------------------------

    fn emit_token(&mut self) {
        let token = self.tokens[self.pos];
        let range = TextRange::at(self.starts[self.pos], token.len.into());
        self.builder.token(token.kind.into(), &self.text[range]);
        if !token.kind.is_trivia() {
            self.significant_done += 1;
        }
        self.pos += 1;
    }

    /// Puts pending trivia into the node that is open now, so that comments
    /// before an item stay siblings of it (the doc-comment lookup relies on it).
    fn flush_trivia(&mut self) {
        while self.pos < self.tokens.len() && self.tokens[self.pos].kind.is_trivia() {
            self.emit_token();
        }
    }

    fn bump(&mut self) {
        self.flush_trivia();
        if self.pos >= self.tokens.len() {
            return;
        }
        match self.tokens[self.pos].kind {
            L_BRACE => self.brace_depth += 1,
            R_BRACE => self.brace_depth = self.brace_depth.saturating_sub(1),
            _ => {}
        }
        self.emit_token();
    }

    fn start(&mut self, kind: SyntaxKind) {
        self.flush_trivia();
        self.builder.start_node(kind.into());
        self.open_nodes += 1;
    }

    fn checkpoint(&mut self) -> Checkpoint {
        self.flush_trivia();
        self.builder.checkpoint()
    }

    fn start_at(&mut self, checkpoint: Checkpoint, kind: SyntaxKind) {
        self.builder.start_node_at(checkpoint, kind.into());
        self.open_nodes += 1;
    }

    fn finish(&mut self) {
        self.builder.finish_node();
        self.open_nodes -= 1;
    }

    fn finish_down_to(&mut self, open_nodes: usize) {
        while self.open_nodes > open_nodes {
            self.finish();
        }
    }

    // ---- errors -------------------------------------------------------

    fn error_at_current(&mut self, expected: &str) {
        let found = self.current().describe();
        self.errors.push(SyntaxError {
            range: self.current_range(),
            message: format!("expected {expected}, found {found}"),
        });
    }

    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(SyntaxError {
            range,
            message: message.into(),
        });
    }

    fn eat(&mut self, kind: SyntaxKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, kind: SyntaxKind) -> PResult {
        if self.eat(kind) {
            Ok(())
        } else {
            self.error_at_current(kind.describe());
            Err(Bail)
        }
    }

    /// Skips what is left of a broken item, up to the start of the next one.
    ///
    /// `body_depth` is the brace depth inside the body being parsed: a `;` at
    /// that depth ends the broken item, a `}` that brings the depth back to it
    /// closes the item's own braces, and a `}` at it closes the body (left for
    /// the body to eat).
    fn recover(&mut self, body_depth: usize, body: Option<Body>, item_started: bool) {
        let checkpoint = self.checkpoint();
        let mut skipped = false;
        loop {
            let kind = self.current();
            if kind == EOF || self.brace_depth < body_depth {
                break;
            }
            if self.brace_depth == body_depth {
                if kind == R_BRACE && body_depth > 0 {
                    break;
                }
                let at_item_start = match body {
                    Some(body) => body.is_item_start(self) || body.is_outer_start(kind),
                    None => TOP_LEVEL_STARTS.contains(&kind),
                };
                if at_item_start && (skipped || item_started) {
                    break;
                }
                if kind == SEMICOLON {
                    self.bump();
                    skipped = true;
                    break;
                }
            }
            let depth_before = self.brace_depth;
            self.bump();
            skipped = true;
            if kind == R_BRACE && self.brace_depth == body_depth && depth_before > body_depth {
                // `use x.{…};` ends with `;` after its braces.
                self.eat(SEMICOLON);
                break;
            }
        }
        if skipped {
            self.start_at(checkpoint, ERROR);
            self.finish();
        }
    }

    // ---- files and packages -------------------------------------------

    fn source_file(&mut self) {
        // The root opens before any trivia, so a leading comment is inside it.
        self.builder.start_node(SOURCE_FILE.into());
        self.open_nodes += 1;
        let checkpoint = self.checkpoint();
        if self.at(PACKAGE_KW) {
            let open = self.open_nodes;
            match self.package_header() {
                Ok(()) if self.at(SEMICOLON) => {
                    self.bump();
                    self.start_at(checkpoint, PACKAGE_DECL);
                    self.finish();
                    self.decl_list(0, 0);
                }
                Ok(()) => {
                    self.start_at(checkpoint, NESTED_PACKAGE);
                    if self.nested_package_body(1).is_err() {
                        self.finish_down_to(open);
                        self.recover(0, None, true);
                    } else {
                        self.finish();
                    }
                    self.decl_list(0, 0);
                }
                Err(Bail) => {
                    self.finish_down_to(open);
                    self.recover(0, None, true);
                    self.decl_list(0, 0);
                }
            }
        } else {
            self.decl_list(0, 0);
        }
        // `decl_list` at the top level only returns at the end of the file.
        self.flush_trivia();
        self.finish();
    }

    /// `package ns:name@version`, without what follows.
    fn package_header(&mut self) -> PResult {
        self.expect(PACKAGE_KW)?;
        self.package_name(true)
    }

    fn package_name(&mut self, with_version: bool) -> PResult {
        self.start(PACKAGE_NAME);
        self.ident(None)?;
        self.expect(COLON)?;
        self.ident(None)?;
        if with_version && self.at(AT) {
            self.version(true)?;
        }
        self.finish();
        Ok(())
    }

    /// The items of a file or of a nested package body, up to `}` or the end.
    fn decl_list(&mut self, body_depth: usize, package_depth: usize) {
        loop {
            let kind = self.current();
            if kind == EOF || (kind == R_BRACE && body_depth > 0) {
                return;
            }
            let start = self.pos;
            let open = self.open_nodes;
            if self.top_level_item(package_depth).is_err() {
                let item_started = self.consumed_significant_since(start);
                self.finish_down_to(open);
                self.recover(body_depth, None, item_started);
            }
            if !self.consumed_significant_since(start) {
                // Recovery always moves on; this only guards against a loop.
                let checkpoint = self.checkpoint();
                self.bump();
                self.start_at(checkpoint, ERROR);
                self.finish();
            }
        }
    }

    fn consumed_significant_since(&self, start: usize) -> bool {
        self.tokens[start..self.pos]
            .iter()
            .any(|t| !t.kind.is_trivia())
    }

    fn top_level_item(&mut self, package_depth: usize) -> PResult {
        let checkpoint = self.checkpoint();
        let has_attributes = self.at(AT);
        self.attributes()?;
        match self.current() {
            INTERFACE_KW => {
                self.start_at(checkpoint, INTERFACE);
                self.bump();
                self.name()?;
                self.body(Body::Interface)?;
                self.finish();
            }
            WORLD_KW => {
                self.start_at(checkpoint, WORLD);
                self.bump();
                self.name()?;
                self.body(Body::World)?;
                self.finish();
            }
            USE_KW => {
                self.start_at(checkpoint, TOPLEVEL_USE);
                self.bump();
                self.use_path()?;
                if self.eat(AS_KW) {
                    self.name()?;
                }
                self.expect(SEMICOLON)?;
                self.finish();
            }
            PACKAGE_KW => {
                self.start_at(checkpoint, NESTED_PACKAGE);
                let keyword = self.current_range();
                if has_attributes {
                    self.error(keyword, "cannot place attributes on nested packages");
                    return Err(Bail);
                }
                if package_depth >= MAX_PACKAGE_DEPTH {
                    self.error(keyword, "package nesting too deep");
                    return Err(Bail);
                }
                self.package_header()?;
                self.nested_package_body(package_depth + 1)?;
                self.finish();
            }
            _ => {
                self.error_at_current("`world`, `interface` or `use`");
                return Err(Bail);
            }
        }
        Ok(())
    }

    fn nested_package_body(&mut self, package_depth: usize) -> PResult {
        self.expect(L_BRACE)?;
        let body_depth = self.brace_depth;
        self.decl_list(body_depth, package_depth);
        if self.at(EOF) {
            self.error_at_current("`world`, `interface` or `use`");
            return Err(Bail);
        }
        self.expect(R_BRACE)
    }

    // ---- attributes and versions --------------------------------------

    fn attributes(&mut self) -> PResult {
        while self.at(AT) {
            self.start(ATTRIBUTE);
            self.bump();
            let name_range = self.current_range();
            let name = self.current_text();
            self.ident(None)?;
            match name {
                "since" | "deprecated" => {
                    self.expect(L_PAREN)?;
                    self.expect_word("version")?;
                    self.expect(EQ)?;
                    self.version(false)?;
                    self.expect(R_PAREN)?;
                }
                "unstable" => {
                    self.expect(L_PAREN)?;
                    self.expect_word("feature")?;
                    self.expect(EQ)?;
                    self.ident(None)?;
                    self.expect(R_PAREN)?;
                }
                "external-id" => {
                    self.expect(L_PAREN)?;
                    self.expect(STRING)?;
                    self.expect(R_PAREN)?;
                }
                other => {
                    let other = other.trim_start_matches('%').to_string();
                    self.error(name_range, format!("unknown attribute `{other}`"));
                    return Err(Bail);
                }
            }
            self.finish();
        }
        Ok(())
    }

    fn expect_word(&mut self, word: &str) -> PResult {
        let range = self.current_range();
        let text = self.current_text().trim_start_matches('%').to_string();
        self.ident(None)?;
        if text != word {
            self.error(range, format!("expected `{word}`, found `{text}`"));
            return Err(Bail);
        }
        Ok(())
    }

    /// A semver version, parsed as loosely as wit-parser does and then checked
    /// by the `semver` crate, which is what wit-parser uses.
    fn version(&mut self, with_at: bool) -> PResult {
        self.start(VERSION);
        if with_at {
            self.expect(AT)?;
        }
        let start = self.current_range().start();
        self.expect(INTEGER)?;
        self.expect(DOT)?;
        self.expect(INTEGER)?;
        self.expect(DOT)?;
        let mut end = self.current_range().end();
        self.expect(INTEGER)?;
        for prefix in [MINUS, PLUS] {
            if !self.eat(prefix) {
                continue;
            }
            loop {
                match (self.current(), self.nth(1)) {
                    (IDENT | INTEGER | MINUS, _) => {
                        end = self.current_range().end();
                        self.bump();
                    }
                    (DOT, IDENT | INTEGER | MINUS) => {
                        self.bump();
                        end = self.current_range().end();
                        self.bump();
                    }
                    _ => break,
                }
            }
        }
        let range = TextRange::new(start, end);
        if let Err(e) = semver::Version::parse(&self.text[range]) {
            self.error(range, e.to_string());
        }
        self.finish();
        Ok(())
    }

    // ---- names and paths ----------------------------------------------

    /// An identifier token, optionally wrapped in a `NAME`/`NAME_REF` node,
    /// checked with wit-parser's identifier rules.
    fn ident(&mut self, node: Option<SyntaxKind>) -> PResult {
        let kind = self.current();
        if !matches!(kind, IDENT | EXPLICIT_IDENT) {
            self.error_at_current("an identifier or string");
            return Err(Bail);
        }
        let range = self.current_range();
        let text = self.current_text();
        let id = text.strip_prefix('%').unwrap_or(text);
        if let Err(message) = lexer::validate_id(id) {
            self.error(TextRange::at(range.start(), 1.into()), message);
        }
        if let Some(node) = node {
            self.start(node);
            self.bump();
            self.finish();
        } else {
            self.bump();
        }
        Ok(())
    }

    fn name(&mut self) -> PResult {
        self.ident(Some(NAME))
    }

    fn name_ref(&mut self) -> PResult {
        self.ident(Some(NAME_REF))
    }

    /// `iface`, or `ns:pkg/iface@version`.
    fn use_path(&mut self) -> PResult {
        self.start(USE_PATH);
        if self.nth(1) == COLON {
            self.package_name(false)?;
            self.expect(SLASH)?;
            self.name_ref()?;
            if self.at(AT) {
                self.version(true)?;
            }
        } else {
            self.name_ref()?;
        }
        self.finish();
        Ok(())
    }

    // ---- bodies -------------------------------------------------------

    fn body(&mut self, body: Body) -> PResult {
        self.expect(L_BRACE)?;
        let body_depth = self.brace_depth;
        loop {
            let kind = self.current();
            if kind == R_BRACE {
                self.bump();
                return Ok(());
            }
            if kind == EOF || body.is_outer_start(kind) {
                // The body was never closed; the item ends here and the
                // outer level carries on with what follows.
                self.error_at_current(body.item_expectation());
                return Ok(());
            }
            let start = self.pos;
            let open = self.open_nodes;
            let result = match body {
                Body::Interface => self.interface_item(),
                Body::World => self.world_item(),
                Body::Resource => self.resource_item(),
            };
            if result.is_err() {
                let item_started = self.consumed_significant_since(start);
                self.finish_down_to(open);
                self.recover(body_depth, Some(body), item_started);
            }
            if !self.consumed_significant_since(start) && self.current() != R_BRACE {
                if body.is_outer_start(self.current()) {
                    continue;
                }
                let checkpoint = self.checkpoint();
                self.bump();
                self.start_at(checkpoint, ERROR);
                self.finish();
            }
        }
    }

    fn interface_item(&mut self) -> PResult {
        let checkpoint = self.checkpoint();
        self.attributes()?;
        match self.current() {
            USE_KW => self.use_item(checkpoint),
            kind if TYPE_DEF_STARTS.contains(&kind) => self.type_def(checkpoint),
            IDENT | EXPLICIT_IDENT => {
                self.start_at(checkpoint, FUNC_ITEM);
                self.name()?;
                self.expect(COLON)?;
                self.func_type()?;
                self.expect(SEMICOLON)?;
                self.finish();
                Ok(())
            }
            _ => {
                self.error_at_current(Body::Interface.item_expectation());
                Err(Bail)
            }
        }
    }

    fn world_item(&mut self) -> PResult {
        let checkpoint = self.checkpoint();
        self.attributes()?;
        match self.current() {
            IMPORT_KW => self.extern_item(checkpoint, IMPORT),
            EXPORT_KW => self.extern_item(checkpoint, EXPORT),
            USE_KW => self.use_item(checkpoint),
            INCLUDE_KW => self.include_item(checkpoint),
            kind if TYPE_DEF_STARTS.contains(&kind) => self.type_def(checkpoint),
            _ => {
                self.error_at_current(Body::World.item_expectation());
                Err(Bail)
            }
        }
    }

    /// `import …;` / `export …;` in a world, with wit-parser's lookahead to
    /// tell a function, an inline interface, a labelled path and a path apart.
    fn extern_item(&mut self, checkpoint: Checkpoint, kind: SyntaxKind) -> PResult {
        self.start_at(checkpoint, kind);
        self.bump();
        let labelled = matches!(self.current(), IDENT | EXPLICIT_IDENT) && self.nth(1) == COLON;
        if labelled && matches!(self.nth(2), FUNC_KW | ASYNC_KW) {
            self.start(FUNC_ITEM);
            self.name()?;
            self.bump();
            self.func_type()?;
            self.expect(SEMICOLON)?;
            self.finish();
        } else if labelled && self.nth(2) == INTERFACE_KW {
            self.start(INLINE_INTERFACE);
            self.name()?;
            self.bump();
            self.bump();
            self.body(Body::Interface)?;
            self.finish();
        } else if labelled
            && !(matches!(self.nth(2), IDENT | EXPLICIT_IDENT) && self.nth(3) == SLASH)
        {
            self.start(NAMED_PATH);
            self.name()?;
            self.bump();
            self.use_path()?;
            self.finish();
            self.expect(SEMICOLON)?;
        } else {
            self.use_path()?;
            self.expect(SEMICOLON)?;
        }
        self.finish();
        Ok(())
    }

    /// `use path.{a, b as c};`
    fn use_item(&mut self, checkpoint: Checkpoint) -> PResult {
        self.start_at(checkpoint, USE);
        self.expect(USE_KW)?;
        self.use_path()?;
        self.expect(DOT)?;
        self.start(USE_NAME_LIST);
        self.expect(L_BRACE)?;
        while !self.eat(R_BRACE) {
            self.start(USE_NAME);
            self.name_ref()?;
            if self.eat(AS_KW) {
                self.name()?;
            }
            self.finish();
            if !self.eat(COMMA) {
                self.expect(R_BRACE)?;
                break;
            }
        }
        self.finish();
        self.expect(SEMICOLON)?;
        self.finish();
        Ok(())
    }

    /// `include path;` or `include path with { a as b, … }`
    fn include_item(&mut self, checkpoint: Checkpoint) -> PResult {
        self.start_at(checkpoint, INCLUDE);
        self.expect(INCLUDE_KW)?;
        self.use_path()?;
        if self.eat(WITH_KW) {
            self.start(INCLUDE_NAME_LIST);
            self.list(L_BRACE, R_BRACE, |p| {
                p.start(INCLUDE_NAME);
                p.name_ref()?;
                p.expect(AS_KW)?;
                p.name()?;
                p.finish();
                Ok(())
            })?;
            self.finish();
        } else {
            self.expect(SEMICOLON)?;
        }
        self.finish();
        Ok(())
    }

    /// A comma-separated list with an optional trailing comma.
    fn list(
        &mut self,
        open: SyntaxKind,
        close: SyntaxKind,
        mut item: impl FnMut(&mut Self) -> PResult,
    ) -> PResult {
        self.expect(open)?;
        self.list_trailer(close, &mut item)
    }

    fn list_trailer(
        &mut self,
        close: SyntaxKind,
        item: &mut impl FnMut(&mut Self) -> PResult,
    ) -> PResult {
        loop {
            if self.eat(close) {
                return Ok(());
            }
            item(self)?;
            if !self.eat(COMMA) {
                return self.expect(close);
            }
        }
    }

    // ---- functions ----------------------------------------------------

    /// `async? func(params) -> result`
    fn func_type(&mut self) -> PResult {
        self.start(FUNC_TYPE);
        self.eat(ASYNC_KW);
        self.expect(FUNC_KW)?;
        self.param_list()?;
        self.result_list()?;
        self.finish();
        Ok(())
    }

    fn param_list(&mut self) -> PResult {
        self.start(PARAM_LIST);
        self.list(L_PAREN, R_PAREN, |p| {
            p.start(PARAM);
            p.name()?;
            p.expect(COLON)?;
            p.ty(0)?;
            p.finish();
            Ok(())
        })?;
        self.finish();
        Ok(())
    }

    fn result_list(&mut self) -> PResult {
        if self.at(ARROW) {
            self.start(RESULT_LIST);
            self.bump();
            self.ty(0)?;
            self.finish();
        }
        Ok(())
    }

    // ---- type definitions ---------------------------------------------

    fn type_def(&mut self, checkpoint: Checkpoint) -> PResult {
        match self.current() {
            TYPE_KW => {
                self.start_at(checkpoint, TYPE_ALIAS);
                self.bump();
                self.name()?;
                self.expect(EQ)?;
                self.ty(0)?;
                self.expect(SEMICOLON)?;
            }
            RECORD_KW => {
                self.start_at(checkpoint, RECORD);
                self.bump();
                self.name()?;
                self.list(L_BRACE, R_BRACE, |p| {
                    p.start(FIELD);
                    p.name()?;
                    p.expect(COLON)?;
                    p.ty(0)?;
                    p.finish();
                    Ok(())
                })?;
            }
            VARIANT_KW => {
                self.start_at(checkpoint, VARIANT);
                self.bump();
                self.name()?;
                self.list(L_BRACE, R_BRACE, |p| {
                    p.start(VARIANT_CASE);
                    p.name()?;
                    if p.eat(L_PAREN) {
                        p.ty(0)?;
                        p.expect(R_PAREN)?;
                    }
                    p.finish();
                    Ok(())
                })?;
            }
            ENUM_KW => {
                self.start_at(checkpoint, ENUM);
                self.bump();
                self.name()?;
                self.name_list(ENUM_CASE)?;
            }
            FLAGS_KW => {
                self.start_at(checkpoint, FLAGS);
                self.bump();
                self.name()?;
                self.name_list(FLAG)?;
            }
            RESOURCE_KW => {
                self.start_at(checkpoint, RESOURCE);
                self.bump();
                self.name()?;
                if self.at(L_BRACE) {
                    self.body(Body::Resource)?;
                } else {
                    self.expect(SEMICOLON)?;
                }
            }
            _ => unreachable!("type_def is only called at a type definition keyword"),
        }
        self.finish();
        Ok(())
    }

    /// `{ a, b, … }`: the cases of an enum or the flags of a flags type.
    fn name_list(&mut self, member: SyntaxKind) -> PResult {
        self.list(L_BRACE, R_BRACE, |p| {
            p.start(member);
            p.name()?;
            p.finish();
            Ok(())
        })
    }

    fn resource_item(&mut self) -> PResult {
        let checkpoint = self.checkpoint();
        self.attributes()?;
        match self.current() {
            CONSTRUCTOR_KW => {
                self.start_at(checkpoint, CONSTRUCTOR);
                self.bump();
                self.param_list()?;
                self.result_list()?;
                self.expect(SEMICOLON)?;
            }
            IDENT | EXPLICIT_IDENT => {
                let kind = if self.nth(2) == STATIC_KW {
                    STATIC_FUNC
                } else {
                    METHOD
                };
                self.start_at(checkpoint, kind);
                self.name()?;
                self.expect(COLON)?;
                self.eat(STATIC_KW);
                self.func_type()?;
                self.expect(SEMICOLON)?;
            }
            _ => {
                self.error_at_current(Body::Resource.item_expectation());
                return Err(Bail);
            }
        }
        self.finish();
        Ok(())
    }

    // ---- types --------------------------------------------------------

    /// `<T>` after `option`, `future` or `stream`.
    fn one_type_argument(&mut self, depth: usize) -> PResult {
        self.expect(L_ANGLE)?;
        self.ty(depth + 1)?;
        self.expect(R_ANGLE)
    }

    fn ty(&mut self, depth: usize) -> PResult {
        if depth >= MAX_TYPE_DEPTH {
            let range = self.current_range();
            self.error(range, "type nesting too deep");
            return Err(Bail);
        }
        match self.current() {
            U8_KW | U16_KW | U32_KW | U64_KW | S8_KW | S16_KW | S32_KW | S64_KW | F32_KW
            | F64_KW | CHAR_KW | BOOL_KW | STRING_KW | ERROR_CONTEXT_KW => {
                self.start(PRIMITIVE_TYPE);
                self.bump();
            }
            TUPLE_KW => {
                self.start(TUPLE_TYPE);
                self.bump();
                self.list(L_ANGLE, R_ANGLE, |p| p.ty(depth + 1))?;
            }
            LIST_KW => {
                self.start(LIST_TYPE);
                self.bump();
                self.expect(L_ANGLE)?;
                self.ty(depth + 1)?;
                if self.eat(COMMA) {
                    if !self.at(INTEGER) {
                        self.error_at_current("fixed-length");
                        return Err(Bail);
                    }
                    let range = self.current_range();
                    if let Err(e) = self.text[range].parse::<u32>() {
                        self.error(range, format!("invalid list size: {e}"));
                    }
                    self.bump();
                }
                self.expect(R_ANGLE)?;
            }
            MAP_KW => {
                self.start(MAP_TYPE);
                self.bump();
                self.expect(L_ANGLE)?;
                self.ty(depth + 1)?;
                self.expect(COMMA)?;
                self.ty(depth + 1)?;
                self.expect(R_ANGLE)?;
            }
            OPTION_KW => {
                self.start(OPTION_TYPE);
                self.bump();
                self.one_type_argument(depth)?;
            }
            RESULT_KW => {
                self.start(RESULT_TYPE);
                self.bump();
                if self.eat(L_ANGLE) {
                    if self.eat(UNDERSCORE_KW) {
                        self.expect(COMMA)?;
                        self.ty(depth + 1)?;
                    } else {
                        self.ty(depth + 1)?;
                        if self.eat(COMMA) {
                            self.ty(depth + 1)?;
                        }
                    }
                    self.expect(R_ANGLE)?;
                }
            }
            FUTURE_KW | STREAM_KW => {
                let kind = if self.at(FUTURE_KW) {
                    FUTURE_TYPE
                } else {
                    STREAM_TYPE
                };
                self.start(kind);
                self.bump();
                if self.at(L_ANGLE) {
                    self.one_type_argument(depth)?;
                }
            }
            OWN_KW | BORROW_KW => {
                self.start(HANDLE_TYPE);
                self.bump();
                self.expect(L_ANGLE)?;
                self.name_ref()?;
                self.expect(R_ANGLE)?;
            }
            IDENT | EXPLICIT_IDENT => {
                self.start(NAMED_TYPE);
                self.name_ref()?;
            }
            _ => {
                self.error_at_current("a type");
                return Err(Bail);
            }
        }
        self.finish();
        Ok(())
    }
}
