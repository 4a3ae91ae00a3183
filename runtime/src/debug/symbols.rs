//! Source lines of one core module: a pc (a byte offset in the module, as
//! Wasmtime's frames and breakpoints count) ↔ file:line from the module's
//! DWARF line table, function names and body ranges from its code and name
//! sections.
//!
//! DWARF counts addresses from the start of the code section's contents;
//! Wasmtime counts from the start of the module. `code_start` is the
//! difference.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use gimli::{EndianArcSlice, LittleEndian, Reader as _};
use wasmparser::{Parser, Payload};

type Reader = EndianArcSlice<LittleEndian>;

/// A place in a source file, 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceLine {
    /// As the DWARF recorded it (the build machine's path).
    pub file: Arc<PathBuf>,
    pub line: u32,
    pub column: u32,
}

/// One row of the line table: from `pc` on, code belongs to `source`.
#[derive(Debug, Clone)]
struct Row {
    pc: u32,
    source: SourceLine,
    is_stmt: bool,
    /// The first address past a sequence: no code of it from here.
    end_sequence: bool,
}

/// A function's body in the module.
#[derive(Debug, Clone)]
pub struct FunctionBody {
    /// In the module's function index space (imports first).
    pub index: u32,
    /// The body's bytes (locals and operators), module-relative.
    pub range: Range<u32>,
    pub name: Option<String>,
}

pub struct ModuleSymbols {
    /// The module's binary.
    bytes: Arc<[u8]>,
    code_start: u32,
    imported_functions: u32,
    functions: Vec<FunctionBody>,
    global_names: HashMap<u32, String>,
    /// Sorted by pc.
    rows: Vec<Row>,
    /// Inlined frames and DWARF function names.
    context: Option<addr2line::Context<Reader>>,
    dwarf: Option<Arc<gimli::Dwarf<Reader>>>,
    /// Scopes and variables, read on first use (a stack without a look
    /// at variables does not pay for it).
    values: OnceLock<Option<super::dwarf::Index>>,
    /// Every operator of every body as WAT text, read on first use.
    instructions: OnceLock<Vec<(u32, String)>>,
}

impl ModuleSymbols {
    /// Reads `bytes` (a core module's binary, custom sections included).
    /// A module without DWARF has functions and names but no lines.
    pub fn new(bytes: &[u8]) -> ModuleSymbols {
        let mut code_start = 0;
        let mut imported_functions = 0;
        let mut bodies = Vec::new();
        let mut names: HashMap<u32, String> = HashMap::new();
        let mut global_names: HashMap<u32, String> = HashMap::new();
        let mut sections: HashMap<String, Arc<[u8]>> = HashMap::new();
        for payload in Parser::new(0).parse_all(bytes) {
            let Ok(payload) = payload else { break };
            match payload {
                Payload::ImportSection(imports) => {
                    for import in imports.into_imports().flatten() {
                        if matches!(import.ty, wasmparser::TypeRef::Func(_)) {
                            imported_functions += 1;
                        }
                    }
                }
                Payload::CodeSectionStart { range, .. } => code_start = range.start as u32,
                Payload::CodeSectionEntry(body) => {
                    let range = body.range();
                    bodies.push(range.start as u32..range.end as u32);
                }
                Payload::CustomSection(section) => {
                    if section.name().starts_with(".debug_") {
                        sections.insert(section.name().to_string(), Arc::from(section.data()));
                    } else if let wasmparser::KnownCustom::Name(reader) = section.as_known() {
                        for name in reader.flatten() {
                            match name {
                                wasmparser::Name::Function(map) => {
                                    for naming in map.into_iter().flatten() {
                                        names.insert(naming.index, naming.name.to_string());
                                    }
                                }
                                wasmparser::Name::Global(map) => {
                                    for naming in map.into_iter().flatten() {
                                        global_names.insert(naming.index, naming.name.to_string());
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let functions = bodies
            .into_iter()
            .enumerate()
            .map(|(i, range)| {
                let index = imported_functions + i as u32;
                FunctionBody {
                    index,
                    range,
                    name: names.remove(&index),
                }
            })
            .collect();
        let dwarf = (!sections.is_empty()).then(|| Arc::new(load_dwarf(&sections)));
        let rows = dwarf
            .as_ref()
            .map(|dwarf| line_rows(dwarf, code_start))
            .unwrap_or_default();
        let context = dwarf
            .clone()
            .and_then(|dwarf| addr2line::Context::from_arc_dwarf(dwarf).ok());
        ModuleSymbols {
            bytes: Arc::from(bytes),
            code_start,
            global_names,
            imported_functions,
            functions,
            rows,
            context,
            dwarf,
            values: OnceLock::new(),
            instructions: OnceLock::new(),
        }
    }

    /// The module's source variables, when it has DWARF.
    pub fn values(&self) -> Option<&super::dwarf::Index> {
        self.values
            .get_or_init(|| self.dwarf.clone().map(super::dwarf::Index::new))
            .as_ref()
    }

    /// `pc` as DWARF counts addresses (from the code section's start).
    pub fn dwarf_address(&self, pc: u32) -> u64 {
        u64::from(pc.saturating_sub(self.code_start))
    }

    pub fn has_lines(&self) -> bool {
        !self.rows.is_empty()
    }

    /// The function whose body holds `pc`.
    pub fn function_at(&self, pc: u32) -> Option<&FunctionBody> {
        let i = self.functions.partition_point(|f| f.range.end <= pc);
        self.functions.get(i).filter(|f| f.range.contains(&pc))
    }

    /// The body of the `defined`-th function (imports not counted), as
    /// Wasmtime's frames name functions.
    pub fn defined_function(&self, defined: u32) -> Option<&FunctionBody> {
        self.functions.get(defined as usize)
    }

    pub fn imported_functions(&self) -> u32 {
        self.imported_functions
    }

    /// Globals by index, as the name section names them.
    pub fn global_names(&self) -> HashMap<u32, String> {
        self.global_names.clone()
    }

    /// The start of the operator after the one at `pc`: where a call
    /// returns to.
    pub fn next_operator(&self, pc: u32) -> Option<u32> {
        self.operators(self.function_at(pc)?)
            .into_iter()
            .map(|(offset, _)| offset)
            .find(|&offset| offset > pc)
    }

    /// The operators of a function body: each one's pc and its text.
    pub fn operators(&self, body: &FunctionBody) -> Vec<(u32, String)> {
        let range = body.range.start as usize..body.range.end as usize;
        let Some(slice) = self.bytes.get(range.clone()) else {
            return Vec::new();
        };
        let reader = wasmparser::BinaryReader::new(slice, range.start);
        let body = wasmparser::FunctionBody::new(reader);
        let Ok(mut operators) = body.get_operators_reader() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        while !operators.eof() {
            match operators.read_with_offset() {
                Ok((operator, offset)) => out.push((offset as u32, format!("{operator:?}"))),
                Err(_) => break,
            }
        }
        out
    }

    /// Every operator of the module's function bodies, by pc, as WAT
    /// (`local.get 0`, `call $fact`): what a disassembly view shows.
    pub fn instructions(&self) -> &[(u32, String)] {
        self.instructions.get_or_init(|| {
            let mut storage = String::new();
            let Ok(lines) = wasmprinter::Config::new().offsets_and_lines(&self.bytes, &mut storage)
            else {
                return Vec::new();
            };
            let mut instructions: Vec<(u32, String)> = lines
                .filter_map(|(offset, line)| {
                    let pc = u32::try_from(offset?).ok()?;
                    let text = line.trim();
                    // Only operators: not a body's `(func`, `(local` lines.
                    (self.function_at(pc).is_some() && !text.starts_with('(') && !text.is_empty())
                        .then(|| (pc, text.to_string()))
                })
                .collect();
            instructions.sort_by_key(|(pc, _)| *pc);
            instructions.dedup_by_key(|(pc, _)| *pc);
            instructions
        })
    }

    /// The source line of the code at `pc`.
    pub fn line_at(&self, pc: u32) -> Option<SourceLine> {
        let i = self.rows.partition_point(|r| r.pc <= pc).checked_sub(1)?;
        let row = &self.rows[i];
        (!row.end_sequence).then(|| row.source.clone())
    }

    /// The frames at `pc`, innermost (inlined) first: function name and
    /// source line, from DWARF.
    pub fn frames_at(&self, pc: u32) -> Vec<(Option<String>, Option<SourceLine>)> {
        let Some(context) = &self.context else {
            return Vec::new();
        };
        let address = u64::from(pc.saturating_sub(self.code_start));
        let mut frames = Vec::new();
        let Ok(mut iter) = context.find_frames(address).skip_all_loads() else {
            return frames;
        };
        while let Ok(Some(frame)) = iter.next() {
            let name = frame
                .function
                .as_ref()
                .and_then(|f| f.demangle().ok().map(|n| n.into_owned()));
            let line = frame.location.as_ref().and_then(|l| {
                Some(SourceLine {
                    file: Arc::new(PathBuf::from(l.file?)),
                    line: l.line?,
                    column: l.column.unwrap_or(0),
                })
            });
            frames.push((name, line));
        }
        // The outermost frame's name is the linkage name where there is
        // one; when it is not a mangled name (C's `main` is linked as
        // `__main_argc_argv`), the source name is the one users know.
        if let Some((Some(name), _)) = frames.last_mut()
            && !name.contains("::")
            && let Some(source) = self.values().and_then(|v| v.function_name(address))
        {
            *name = source;
        }
        frames
    }

    /// The pcs where statements of `line` of a file begin (one per run of
    /// rows of that line), with the line they are on: `line` itself, or
    /// the next line that has code when `line` has none (as debuggers
    /// move a breakpoint set on a blank or comment line).
    pub fn statement_pcs(&self, file: &Path, line: u32) -> Option<(u32, Vec<u32>)> {
        let best = self.best_match(file)?;
        let same_file = |row: &Row| match_score(&row.source.file, file) == best;
        let target = self
            .rows
            .iter()
            .filter(|r| r.is_stmt && !r.end_sequence && same_file(r) && r.source.line >= line)
            .map(|r| r.source.line)
            .min()?;
        let mut pcs = Vec::new();
        let mut previous_line = None;
        for row in &self.rows {
            let here = !row.end_sequence && same_file(row) && row.source.line == target;
            if here && row.is_stmt && previous_line != Some(target) {
                pcs.push(row.pc);
            }
            previous_line = (!row.end_sequence && same_file(row)).then_some(row.source.line);
        }
        Some((target, pcs))
    }

    /// Whether any row of the line table is in `file`.
    pub fn knows_file(&self, file: &Path) -> bool {
        self.best_match(file).is_some()
    }

    /// How well the best of the line table's files matches `file` (see
    /// [`match_score`]); `None` when none has its name.
    fn best_match(&self, file: &Path) -> Option<usize> {
        let mut seen: Vec<&Arc<PathBuf>> = Vec::new();
        let mut best = 0;
        for row in &self.rows {
            if !seen.iter().any(|f| Arc::ptr_eq(f, &row.source.file)) {
                seen.push(&row.source.file);
                best = best.max(match_score(&row.source.file, file));
            }
        }
        (best > 0).then_some(best)
    }

    /// The statement starts inside the body `range`: where a step over a
    /// line may stop next.
    pub fn statement_pcs_in(&self, range: &Range<u32>) -> Vec<u32> {
        let mut pcs = Vec::new();
        let mut previous = None;
        for row in &self.rows {
            if row.end_sequence {
                previous = None;
                continue;
            }
            if range.contains(&row.pc) && row.is_stmt && previous != Some(row.source.line) {
                pcs.push(row.pc);
            }
            previous = Some(row.source.line);
        }
        pcs
    }

    /// The pc past the prologue of `body`: its second statement (the first
    /// is the function's opening line), else its start.
    pub fn prologue_end(&self, body: &FunctionBody) -> u32 {
        let rows: Vec<u32> = self
            .statement_pcs_in(&body.range)
            .into_iter()
            .take(2)
            .collect();
        rows.get(1)
            .or(rows.first())
            .copied()
            .unwrap_or(body.range.start)
    }

    /// The function named `name` (DWARF or name section) and the pc after
    /// its prologue: where a function breakpoint stops.
    pub fn function_entry(&self, name: &str) -> Option<(&FunctionBody, u32)> {
        let body = self.functions.iter().find(|f| {
            f.name.as_deref() == Some(name)
                || self
                    .frames_at(f.range.start + 1)
                    .last()
                    .is_some_and(|(n, _)| n.as_deref() == Some(name))
        })?;
        // The second row of the function is past its prologue; without
        // rows, the body's start (Wasmtime moves it to the first operator).
        let rows: Vec<u32> = self
            .statement_pcs_in(&body.range)
            .into_iter()
            .take(2)
            .collect();
        let pc = rows
            .get(1)
            .or(rows.first())
            .copied()
            .unwrap_or(body.range.start);
        Some((body, pc))
    }
}

fn load_dwarf(sections: &HashMap<String, Arc<[u8]>>) -> gimli::Dwarf<Reader> {
    let empty: Arc<[u8]> = Arc::from(&[][..]);
    gimli::Dwarf::load(|id| -> Result<Reader, gimli::Error> {
        let data = sections
            .get(id.name())
            .cloned()
            .unwrap_or_else(|| empty.clone());
        Ok(EndianArcSlice::new(data, LittleEndian))
    })
    .expect("loading from memory cannot fail")
}

/// Every row of every line program, module-relative, sorted by pc.
fn line_rows(dwarf: &gimli::Dwarf<Reader>, code_start: u32) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut units = dwarf.units();
    while let Ok(Some(header)) = units.next() {
        let Ok(unit) = dwarf.unit(header) else {
            continue;
        };
        let Some(program) = unit.line_program.clone() else {
            continue;
        };
        let comp_dir = unit
            .comp_dir
            .as_ref()
            .and_then(|d| d.to_string_lossy().ok().map(|s| PathBuf::from(s.as_ref())));
        let mut files: HashMap<u64, Arc<PathBuf>> = HashMap::new();
        let mut program_rows = program.rows();
        while let Ok(Some((header, row))) = program_rows.next_row() {
            let file = match files.get(&row.file_index()) {
                Some(file) => file.clone(),
                None => {
                    let path = header
                        .file(row.file_index())
                        .map(|entry| file_path(dwarf, &unit, header, entry, comp_dir.as_deref()))
                        .unwrap_or_default();
                    let path = Arc::new(path);
                    files.insert(row.file_index(), path.clone());
                    path
                }
            };
            let Ok(address) = u32::try_from(row.address()) else {
                continue;
            };
            rows.push(Row {
                pc: address + code_start,
                source: SourceLine {
                    file,
                    line: row.line().map_or(0, |l| l.get() as u32),
                    column: match row.column() {
                        gimli::ColumnType::LeftEdge => 0,
                        gimli::ColumnType::Column(c) => c.get() as u32,
                    },
                },
                is_stmt: row.is_stmt(),
                end_sequence: row.end_sequence(),
            });
        }
    }
    // Stable: an end of sequence and the start of the next at the same pc
    // keep their order.
    rows.sort_by_key(|r| r.pc);
    rows
}

fn file_path(
    dwarf: &gimli::Dwarf<Reader>,
    unit: &gimli::Unit<Reader>,
    header: &gimli::LineProgramHeader<Reader>,
    entry: &gimli::FileEntry<Reader>,
    comp_dir: Option<&Path>,
) -> PathBuf {
    let text = |value: gimli::AttributeValue<Reader>| -> Option<String> {
        let raw = dwarf.attr_string(unit, value).ok()?;
        Some(raw.to_string_lossy().ok()?.into_owned())
    };
    let mut path = PathBuf::new();
    if let Some(dir) = comp_dir {
        path.push(dir);
    }
    if let Some(dir) = entry.directory(header).and_then(text) {
        path.push(dir);
    }
    if let Some(name) = text(entry.path_name()) {
        path.push(name);
    }
    normalized(&path)
}

/// `a/./b/../c` → `a/c`, without touching the file system (the path is
/// the build machine's).
fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// How many trailing path components a DWARF path and a path on this
/// machine share (0 when the file names differ): the file a breakpoint
/// names is the recorded file that shares the most (a checkout in another
/// folder than the build's shares the file name, and maybe its folders).
pub fn match_score(recorded: &Path, wanted: &Path) -> usize {
    recorded
        .components()
        .rev()
        .zip(wanted.components().rev())
        .take_while(|(a, b)| a == b)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_by_their_last_components() {
        let cases = [
            ("/build/src/greet.c", "/home/me/src/greet.c", 2),
            ("/build/src/greet.c", "/build/src/greet.c", 4),
            ("/build/src/greet.c", "/home/me/other/greet.c", 1),
            ("/build/src/greet.c", "/home/me/src/hello.c", 0),
            ("greet.c", "/home/me/src/greet.c", 1),
        ];
        for (recorded, wanted, score) in cases {
            assert_eq!(
                match_score(Path::new(recorded), Path::new(wanted)),
                score,
                "{recorded} vs {wanted}"
            );
        }
        assert_eq!(normalized(Path::new("/a/./b/../c.c")), Path::new("/a/c.c"));
    }
}
