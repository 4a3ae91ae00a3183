//! Source-level values of a core module from its DWARF: which variables
//! are in scope at a pc, where each one lives, and what its bytes mean.
//!
//! - `types`: type DIEs → [`types::Type`];
//! - `location`: location expressions (wasm locals, globals, operand
//!   stack, frame base, location lists) → [`Place`];
//! - `render`: a value's text and children, C and Rust;
//! - `path`: the expressions a user types (`a.b`, `p->x`, `arr[i]`, `*p`,
//!   and C's operators for conditions).
//!
//! Invariant: everything here reads through a [`Machine`] (a stopped
//! frame's locals, globals, operand stack and memory) and knows nothing of
//! Wasmtime; the index of scopes is built once per module, on first use.

mod location;
mod path;
mod render;
mod types;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard};

use gimli::{AttributeValue, EndianArcSlice, LittleEndian, Reader as _, constants};

pub use location::Place;
pub use render::{Expansion, SourceValue};
use types::{Type, TypeRef, type_attr};

pub type Reader = EndianArcSlice<LittleEndian>;

/// Whether `text` parses as an expression (a breakpoint's condition is
/// checked when it is set).
pub fn check_expression(text: &str) -> Result<(), String> {
    path::parse(text).map(|_| ())
}

/// What a location expression reads from the stopped guest. Values of
/// wasm locals, globals and the operand stack come as their bits (an i32
/// zero-extended).
pub trait Machine {
    fn local(&mut self, index: u32) -> Result<u64, String>;
    fn global(&mut self, index: u32) -> Result<u64, String>;
    fn stack(&mut self, index: u32) -> Result<u64, String>;
    fn memory(&mut self, address: u64, len: usize) -> Result<Vec<u8>, String>;
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding it leaves only a cache: keep using it.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A variable's DIE, as a scope lists it.
#[derive(Debug, Clone)]
struct VariableDie {
    name: String,
    ty: Option<TypeRef>,
    location: Option<AttributeValue<Reader>>,
}

/// A subprogram, lexical block or inlined subroutine, with the variables
/// declared directly in it.
#[derive(Debug)]
struct Scope {
    ranges: Vec<Range<u64>>,
    /// A function boundary: a subprogram or an inlined subroutine.
    function: bool,
    variables: Vec<VariableDie>,
    children: Vec<Scope>,
}

/// A subprogram with code.
#[derive(Debug)]
struct Function {
    unit: usize,
    /// DW_AT_name (a frame's name from addr2line is the linkage name).
    name: Option<String>,
    frame_base: Option<gimli::Expression<Reader>>,
    scope: Scope,
}

pub struct Index {
    dwarf: Arc<gimli::Dwarf<Reader>>,
    units: Vec<gimli::Unit<Reader>>,
    rust: Vec<bool>,
    functions: Vec<Function>,
    /// Each unit's variables outside any function (C globals, statics).
    statics: Vec<Vec<VariableDie>>,
    types: Mutex<HashMap<TypeRef, Arc<Type>>>,
}

/// The variables of one function level at a pc.
struct Level<'a> {
    function: &'a Function,
    variables: Vec<&'a VariableDie>,
}

impl Index {
    /// Reads the scopes of every unit (once per module).
    pub fn new(dwarf: Arc<gimli::Dwarf<Reader>>) -> Index {
        let mut units = Vec::new();
        let mut headers = dwarf.units();
        while let Ok(Some(header)) = headers.next() {
            if let Ok(unit) = dwarf.unit(header) {
                units.push(unit);
            }
        }
        let mut index = Index {
            rust: vec![false; units.len()],
            statics: vec![Vec::new(); units.len()],
            functions: Vec::new(),
            types: Mutex::new(HashMap::new()),
            units: Vec::new(),
            dwarf,
        };
        index.units = units;
        for u in 0..index.units.len() {
            // A unit that does not read leaves the others readable.
            let _ = index.read_unit(u);
        }
        index
    }

    fn read_unit(&mut self, u: usize) -> gimli::Result<()> {
        let unit = &self.units[u];
        let mut tree = unit.entries_tree(None)?;
        let root = tree.root()?;
        self.rust[u] = matches!(
            root.entry().attr_value(constants::DW_AT_language),
            Some(AttributeValue::Language(constants::DW_LANG_Rust))
        );
        let mut functions = Vec::new();
        let mut statics = Vec::new();
        let mut children = root.children();
        while let Some(child) = children.next()? {
            self.collect(u, child, &mut functions, &mut statics)?;
        }
        self.functions.extend(functions);
        self.statics[u] = statics;
        Ok(())
    }

    /// Finds the subprograms with code under `node` (namespaces nest them).
    fn collect(
        &self,
        u: usize,
        node: gimli::EntriesTreeNode<'_, '_, Reader>,
        functions: &mut Vec<Function>,
        statics: &mut Vec<VariableDie>,
    ) -> gimli::Result<()> {
        let entry = node.entry().clone();
        match entry.tag() {
            constants::DW_TAG_subprogram => {
                let ranges = self.ranges(u, &entry);
                if ranges.is_empty() {
                    return Ok(());
                }
                let frame_base = entry
                    .attr_value(constants::DW_AT_frame_base)
                    .and_then(|v| v.exprloc_value());
                let scope = self.scope(u, node, ranges, true)?;
                let name = self.name_of(u, &entry);
                functions.push(Function {
                    unit: u,
                    name,
                    frame_base,
                    scope,
                });
            }
            constants::DW_TAG_variable => {
                if let Some(variable) = self.variable(u, &entry) {
                    statics.push(variable);
                }
            }
            constants::DW_TAG_namespace => {
                let mut children = node.children();
                while let Some(child) = children.next()? {
                    self.collect(u, child, functions, statics)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn scope(
        &self,
        u: usize,
        node: gimli::EntriesTreeNode<'_, '_, Reader>,
        ranges: Vec<Range<u64>>,
        function: bool,
    ) -> gimli::Result<Scope> {
        let mut scope = Scope {
            ranges,
            function,
            variables: Vec::new(),
            children: Vec::new(),
        };
        let mut children = node.children();
        while let Some(child) = children.next()? {
            let entry = child.entry().clone();
            match entry.tag() {
                constants::DW_TAG_formal_parameter | constants::DW_TAG_variable => {
                    if let Some(variable) = self.variable(u, &entry) {
                        scope.variables.push(variable);
                    }
                }
                constants::DW_TAG_lexical_block | constants::DW_TAG_inlined_subroutine => {
                    let ranges = self.ranges(u, &entry);
                    let inlined = entry.tag() == constants::DW_TAG_inlined_subroutine;
                    // A block without ranges covers its parent's.
                    let ranges = if ranges.is_empty() && !inlined {
                        scope.ranges.clone()
                    } else {
                        ranges
                    };
                    if !ranges.is_empty() {
                        scope.children.push(self.scope(u, child, ranges, inlined)?);
                    }
                }
                _ => {}
            }
        }
        Ok(scope)
    }

    fn ranges(
        &self,
        u: usize,
        entry: &gimli::DebuggingInformationEntry<Reader>,
    ) -> Vec<Range<u64>> {
        let unit = &self.units[u];
        let Ok(mut ranges) = self.dwarf.die_ranges(unit, entry) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        while let Ok(Some(range)) = ranges.next() {
            // Code the linker dropped keeps its DIE, at address 0 or a
            // tombstone.
            if range.begin < range.end
                && range.begin != 0
                && !unit.is_tombstone_address(range.begin)
            {
                found.push(range.begin..range.end);
            }
        }
        found
    }

    /// A variable with a name; its origin's name and type for an inlined
    /// or out-of-line instance.
    fn variable(
        &self,
        u: usize,
        entry: &gimli::DebuggingInformationEntry<Reader>,
    ) -> Option<VariableDie> {
        let origin = match entry.attr_value(constants::DW_AT_abstract_origin) {
            Some(AttributeValue::UnitRef(offset)) => self.units[u].entry(offset).ok(),
            _ => None,
        };
        let name = self
            .name_of(u, entry)
            .or_else(|| origin.as_ref().and_then(|o| self.name_of(u, o)))?;
        let ty = type_attr(u, entry).or_else(|| origin.as_ref().and_then(|o| type_attr(u, o)));
        let location = entry
            .attr_value(constants::DW_AT_location)
            .or_else(|| entry.attr_value(constants::DW_AT_const_value));
        // A declaration (an `extern` in C) has its definition elsewhere.
        if entry.attr_value(constants::DW_AT_declaration).is_some() {
            return None;
        }
        Some(VariableDie { name, ty, location })
    }

    fn name_of(
        &self,
        u: usize,
        entry: &gimli::DebuggingInformationEntry<Reader>,
    ) -> Option<String> {
        let value = entry.attr_value(constants::DW_AT_name)?;
        let name = self.dwarf.attr_string(&self.units[u], value).ok()?;
        Some(name.to_string_lossy().ok()?.into_owned())
    }

    fn function_at(&self, pc: u64) -> Option<&Function> {
        self.functions
            .iter()
            .find(|f| f.scope.ranges.iter().any(|r| r.contains(&pc)))
    }

    /// The source name of the function whose code is at `pc` (DW_AT_name,
    /// where a frame's name would be the linkage name).
    pub fn function_name(&self, pc: u64) -> Option<String> {
        self.function_at(pc)?.name.clone()
    }

    /// The variables in scope at `pc`, by function level, innermost first
    /// (the inlined function at the pc is level 0).
    fn levels(&self, pc: u64) -> Vec<Level<'_>> {
        let Some(function) = self.function_at(pc) else {
            return Vec::new();
        };
        let mut levels = vec![Level {
            function,
            variables: Vec::new(),
        }];
        let mut scope = &function.scope;
        loop {
            let current = levels.last_mut().expect("one level at least");
            current.variables.extend(scope.variables.iter());
            let Some(inner) = scope
                .children
                .iter()
                .find(|c| c.ranges.iter().any(|r| r.contains(&pc)))
            else {
                break;
            };
            if inner.function {
                levels.push(Level {
                    function,
                    variables: Vec::new(),
                });
            }
            scope = inner;
        }
        levels.reverse();
        levels
    }

    /// The variables of the function at `pc` (level `inline_depth`), in
    /// declaration order; an inner block's variable hides an outer one of
    /// the same name.
    pub fn locals(
        &self,
        pc: u64,
        inline_depth: usize,
        machine: &mut dyn Machine,
    ) -> Vec<SourceValue> {
        let levels = self.levels(pc);
        let Some(level) = levels.get(inline_depth) else {
            return Vec::new();
        };
        let mut seen = HashMap::new();
        for (i, variable) in level.variables.iter().enumerate() {
            seen.insert(variable.name.as_str(), i);
        }
        let mut frame_base = None;
        level
            .variables
            .iter()
            .enumerate()
            .filter(|(i, v)| seen.get(v.name.as_str()) == Some(i))
            .map(|(_, v)| self.value_of(level.function, v, pc, machine, &mut frame_base))
            .collect()
    }

    /// The variables of the unit of the function at `pc` declared outside
    /// any function (C globals and statics).
    pub fn statics(&self, pc: u64, machine: &mut dyn Machine) -> Vec<SourceValue> {
        let Some(function) = self.function_at(pc) else {
            return Vec::new();
        };
        let mut frame_base = None;
        self.statics[function.unit]
            .iter()
            .filter(|v| v.location.is_some())
            .map(|v| self.value_of(function, v, pc, machine, &mut frame_base))
            .collect()
    }

    /// A variable by name as the code at `pc` sees it: the innermost local,
    /// then its unit's statics, then any unit's.
    fn lookup(
        &self,
        pc: u64,
        inline_depth: usize,
        name: &str,
        machine: &mut dyn Machine,
    ) -> Option<(Option<TypeRef>, Result<Place, String>)> {
        let levels = self.levels(pc);
        let mut frame_base = None;
        if let Some(level) = levels.get(inline_depth)
            && let Some(variable) = level.variables.iter().rev().find(|v| v.name == name)
        {
            let place = self.place_of(level.function, variable, pc, machine, &mut frame_base);
            return Some((variable.ty, place));
        }
        let function = self.function_at(pc);
        let mut units: Vec<usize> = function.map(|f| f.unit).into_iter().collect();
        units.extend(0..self.units.len());
        for u in units {
            if let Some(variable) = self.statics[u]
                .iter()
                .find(|v| v.name == name && v.location.is_some())
            {
                let owner = Function {
                    unit: u,
                    name: None,
                    frame_base: None,
                    scope: Scope {
                        ranges: Vec::new(),
                        function: true,
                        variables: Vec::new(),
                        children: Vec::new(),
                    },
                };
                let place = self.place_of(&owner, variable, pc, machine, &mut frame_base);
                return Some((variable.ty, place));
            }
        }
        None
    }

    fn value_of(
        &self,
        function: &Function,
        variable: &VariableDie,
        pc: u64,
        machine: &mut dyn Machine,
        frame_base: &mut Option<Result<u64, String>>,
    ) -> SourceValue {
        let place = self.place_of(function, variable, pc, machine, frame_base);
        self.value(variable.name.clone(), variable.ty, place, machine)
    }

    fn place_of(
        &self,
        function: &Function,
        variable: &VariableDie,
        pc: u64,
        machine: &mut dyn Machine,
        frame_base: &mut Option<Result<u64, String>>,
    ) -> Result<Place, String> {
        let unit = &self.units[function.unit];
        let size = variable.ty.map_or(0, |t| self.size_of(t));
        let expression = match &variable.location {
            None => return Err(location::optimized_out()),
            Some(AttributeValue::Exprloc(expression)) => expression.clone(),
            Some(value @ (AttributeValue::LocationListsRef(_) | AttributeValue::SecOffset(_))) => {
                let Ok(Some(mut entries)) = self.dwarf.attr_locations(unit, value.clone()) else {
                    return Err("an unreadable location list".to_string());
                };
                let mut found = None;
                while let Ok(Some(entry)) = entries.next() {
                    if (entry.range.begin..entry.range.end).contains(&pc) {
                        found = Some(entry.data);
                        break;
                    }
                }
                found.ok_or_else(location::optimized_out)?
            }
            Some(constant) => {
                // DW_AT_const_value: the value itself.
                return match constant {
                    AttributeValue::Block(block) => Ok(Place::Bytes(
                        block.to_slice().map(|b| b.into_owned()).unwrap_or_default(),
                    )),
                    other => {
                        let value = other
                            .udata_value()
                            .or(other.sdata_value().map(|s| s as u64))
                            .ok_or_else(location::optimized_out)?;
                        Ok(Place::Bytes(
                            value.to_le_bytes()[..size.clamp(1, 8) as usize].to_vec(),
                        ))
                    }
                };
            }
        };
        let encoding = unit.encoding();
        let base_expression = function.frame_base.clone();
        let mut base = |machine: &mut dyn Machine| -> Result<u64, String> {
            if let Some(known) = frame_base {
                return known.clone();
            }
            let computed = match &base_expression {
                None => Err("the function has no frame base".to_string()),
                Some(expression) => {
                    let mut no_base =
                        |_: &mut dyn Machine| Err("a frame base within a frame base".to_string());
                    match location::evaluate(expression, encoding, machine, &mut no_base, 4)? {
                        Place::Bytes(bytes) => Ok(location::le_unsigned(&bytes) as u64),
                        Place::Memory(address) => Ok(address),
                    }
                }
            };
            *frame_base = Some(computed.clone());
            computed
        };
        location::evaluate(&expression, encoding, machine, &mut base, size)
    }

    /// Evaluates what a user typed (hover, watch, the debug console).
    pub fn evaluate(
        &self,
        pc: u64,
        inline_depth: usize,
        text: &str,
        machine: &mut dyn Machine,
    ) -> Result<SourceValue, String> {
        let expression = path::parse(text)?;
        let name = text.trim().to_string();
        let path = match expression {
            path::Expr::Place(path) => path,
            computed => {
                let (value, type_name) = self.number(pc, inline_depth, &computed, machine)?.text();
                return Ok(SourceValue {
                    name,
                    value,
                    type_name: type_name.to_string(),
                    children: None,
                    address: None,
                });
            }
        };
        // A variable without a location here is shown as such, as in its
        // scope, rather than failing.
        if let path::Path::Name(variable) = &path
            && let Some((ty, place)) = self.lookup(pc, inline_depth, variable, machine)
        {
            return Ok(self.value(name, ty, place, machine));
        }
        let (ty, place) = self.evaluate_path(pc, inline_depth, &path, machine)?;
        Ok(self.value(name, ty, Ok(place), machine))
    }

    /// Whether a breakpoint's condition holds: what it computes is not
    /// zero (or false, or a null pointer).
    pub fn condition_holds(
        &self,
        pc: u64,
        inline_depth: usize,
        text: &str,
        machine: &mut dyn Machine,
    ) -> Result<bool, String> {
        let expression = path::parse(text)?;
        Ok(self
            .number(pc, inline_depth, &expression, machine)?
            .truthy())
    }
}
