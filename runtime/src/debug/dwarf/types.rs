//! The types of source variables, read from DWARF DIEs on demand: C's
//! base types, pointers, arrays, structs, unions and enums, and the shapes
//! rustc gives Rust's (structs, enums with a variant part, references).
//! Typedefs and qualifiers are kept as names around the type they name.

use gimli::{AttributeValue, UnitOffset, constants};

use super::{Index, Reader};

/// A type DIE: its unit (an index into [`Index::units`]) and offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypeRef {
    pub unit: usize,
    pub offset: UnitOffset<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Signed,
    Unsigned,
    SignedChar,
    UnsignedChar,
    /// Rust's `char`: a Unicode scalar value.
    Utf,
    Bool,
    Float,
    Other,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub name: Option<String>,
    pub offset: u64,
    pub ty: Option<TypeRef>,
}

/// A Rust enum's variants (DW_TAG_variant_part): the discriminant member
/// and, per variant, the value that selects it (none: the default).
#[derive(Debug, Clone)]
pub struct Variants {
    pub discriminant: Option<Member>,
    pub variants: Vec<(Option<u64>, Member)>,
}

#[derive(Debug, Clone)]
pub enum Type {
    Base {
        name: String,
        encoding: Encoding,
        size: u64,
    },
    /// Pointers and references; `target` is none for `void *`.
    Pointer {
        name: Option<String>,
        target: Option<TypeRef>,
    },
    Struct {
        name: Option<String>,
        union: bool,
        size: u64,
        members: Vec<Member>,
        variants: Option<Variants>,
    },
    Array {
        element: Option<TypeRef>,
        /// Element counts per dimension, outermost first; none when unknown.
        counts: Vec<Option<u64>>,
    },
    Enum {
        name: Option<String>,
        size: u64,
        enumerators: Vec<(String, i64)>,
    },
    /// A typedef, `const` or `volatile` around `target`.
    Alias {
        /// The typedef's name, or the qualifier (`const`).
        name: String,
        qualifier: bool,
        target: Option<TypeRef>,
    },
    Function,
    Unknown(String),
}

impl Index {
    /// The type at `ty` (parsed once per session and cached).
    pub fn ty(&self, ty: TypeRef) -> std::sync::Arc<Type> {
        if let Some(found) = crate::debug::dwarf::lock(&self.types).get(&ty) {
            return found.clone();
        }
        let parsed = std::sync::Arc::new(
            self.parse_type(ty)
                .unwrap_or_else(|e| Type::Unknown(format!("unreadable type: {e}"))),
        );
        crate::debug::dwarf::lock(&self.types).insert(ty, parsed.clone());
        parsed
    }

    /// The type with aliases and qualifiers looked through.
    pub fn resolved(&self, mut ty: TypeRef) -> (TypeRef, std::sync::Arc<Type>) {
        for _ in 0..32 {
            let found = self.ty(ty);
            match &*found {
                Type::Alias {
                    target: Some(target),
                    ..
                } => ty = *target,
                _ => return (ty, found),
            }
        }
        (
            ty,
            std::sync::Arc::new(Type::Unknown("a cycle of typedefs".into())),
        )
    }

    /// The size of a value of this type in bytes.
    pub fn size_of(&self, ty: TypeRef) -> u64 {
        match &*self.resolved(ty).1 {
            Type::Base { size, .. } | Type::Struct { size, .. } | Type::Enum { size, .. } => *size,
            Type::Pointer { .. } => 4,
            Type::Array { element, counts } => {
                let element = element.map_or(0, |e| self.size_of(e));
                counts
                    .iter()
                    .fold(element, |size, count| size * count.unwrap_or(0))
            }
            Type::Alias { .. } | Type::Function | Type::Unknown(_) => 0,
        }
    }

    /// The name a debugger shows for the type.
    pub fn type_name(&self, ty: Option<TypeRef>) -> String {
        let Some(ty) = ty else {
            return "void".to_string();
        };
        match &*self.ty(ty) {
            Type::Base { name, .. } => name.clone(),
            Type::Pointer {
                name: Some(name), ..
            } => name.clone(),
            Type::Pointer { name: None, target } => {
                let target = self.type_name(*target);
                // `char **`, as C writes it.
                if target.ends_with('*') {
                    format!("{target}*")
                } else {
                    format!("{target} *")
                }
            }
            Type::Struct { name, union, .. } => name
                .clone()
                .unwrap_or_else(|| if *union { "union" } else { "struct" }.to_string()),
            Type::Array { element, counts } => {
                let mut name = self.type_name(*element);
                for count in counts {
                    match count {
                        Some(n) => name.push_str(&format!("[{n}]")),
                        None => name.push_str("[]"),
                    }
                }
                name
            }
            Type::Enum { name, .. } => name.clone().unwrap_or_else(|| "enum".to_string()),
            Type::Alias {
                name,
                qualifier: true,
                target,
            } => format!("{name} {}", self.type_name(*target)),
            Type::Alias { name, .. } => name.clone(),
            Type::Function => "function".to_string(),
            Type::Unknown(name) => name.clone(),
        }
    }

    fn parse_type(&self, ty: TypeRef) -> gimli::Result<Type> {
        let unit = &self.units[ty.unit];
        let entry = unit.entry(ty.offset)?;
        let name = self.name_of(ty.unit, &entry);
        let size = entry
            .attr_value(constants::DW_AT_byte_size)
            .and_then(|v| v.udata_value())
            .unwrap_or(0);
        let target = type_attr(ty.unit, &entry);
        Ok(match entry.tag() {
            constants::DW_TAG_base_type => {
                let encoding = match entry.attr_value(constants::DW_AT_encoding) {
                    Some(AttributeValue::Encoding(e)) => match e {
                        constants::DW_ATE_signed => Encoding::Signed,
                        constants::DW_ATE_unsigned => Encoding::Unsigned,
                        constants::DW_ATE_signed_char => Encoding::SignedChar,
                        constants::DW_ATE_unsigned_char => Encoding::UnsignedChar,
                        constants::DW_ATE_UTF => Encoding::Utf,
                        constants::DW_ATE_boolean => Encoding::Bool,
                        constants::DW_ATE_float => Encoding::Float,
                        _ => Encoding::Other,
                    },
                    _ => Encoding::Other,
                };
                Type::Base {
                    name: name.unwrap_or_else(|| "?".to_string()),
                    encoding,
                    size,
                }
            }
            constants::DW_TAG_pointer_type
            | constants::DW_TAG_reference_type
            | constants::DW_TAG_rvalue_reference_type => Type::Pointer { name, target },
            constants::DW_TAG_structure_type
            | constants::DW_TAG_class_type
            | constants::DW_TAG_union_type => {
                let (members, variants) = self.members(ty)?;
                Type::Struct {
                    name,
                    union: entry.tag() == constants::DW_TAG_union_type,
                    size,
                    members,
                    variants,
                }
            }
            constants::DW_TAG_array_type => Type::Array {
                element: target,
                counts: self.array_counts(ty)?,
            },
            constants::DW_TAG_enumeration_type => Type::Enum {
                name,
                size: if size == 0 { 4 } else { size },
                enumerators: self.enumerators(ty)?,
            },
            constants::DW_TAG_typedef => Type::Alias {
                name: name.unwrap_or_else(|| "typedef".to_string()),
                qualifier: false,
                target,
            },
            constants::DW_TAG_const_type
            | constants::DW_TAG_volatile_type
            | constants::DW_TAG_restrict_type
            | constants::DW_TAG_atomic_type => Type::Alias {
                name: match entry.tag() {
                    constants::DW_TAG_const_type => "const",
                    constants::DW_TAG_volatile_type => "volatile",
                    constants::DW_TAG_restrict_type => "restrict",
                    _ => "_Atomic",
                }
                .to_string(),
                qualifier: true,
                target,
            },
            constants::DW_TAG_subroutine_type => Type::Function,
            tag => Type::Unknown(name.unwrap_or_else(|| {
                tag.static_string()
                    .unwrap_or("unknown type")
                    .trim_start_matches("DW_TAG_")
                    .to_string()
            })),
        })
    }

    fn members(&self, ty: TypeRef) -> gimli::Result<(Vec<Member>, Option<Variants>)> {
        let unit = &self.units[ty.unit];
        let mut tree = unit.entries_tree(Some(ty.offset))?;
        let root = tree.root()?;
        let mut members = Vec::new();
        let mut variants = None;
        let mut children = root.children();
        while let Some(child) = children.next()? {
            match child.entry().tag() {
                // A C++ static member is not part of the value.
                constants::DW_TAG_member
                    if child
                        .entry()
                        .attr_value(constants::DW_AT_external)
                        .is_none() =>
                {
                    members.push(self.member(ty.unit, child.entry()));
                }
                constants::DW_TAG_inheritance => {
                    let mut base = self.member(ty.unit, child.entry());
                    base.name = Some(format!("<base {}>", self.type_name(base.ty)));
                    members.push(base);
                }
                constants::DW_TAG_variant_part => {
                    let discriminant_offset = match child.entry().attr_value(constants::DW_AT_discr)
                    {
                        Some(AttributeValue::UnitRef(offset)) => Some(offset),
                        _ => None,
                    };
                    let mut part = Variants {
                        discriminant: None,
                        variants: Vec::new(),
                    };
                    let mut inner = child.children();
                    while let Some(node) = inner.next()? {
                        let entry = node.entry();
                        match entry.tag() {
                            constants::DW_TAG_member
                                if Some(entry.offset()) == discriminant_offset =>
                            {
                                part.discriminant = Some(self.member(ty.unit, entry));
                            }
                            constants::DW_TAG_variant => {
                                let value = entry
                                    .attr_value(constants::DW_AT_discr_value)
                                    .and_then(|v| v.udata_value());
                                let mut fields = node.children();
                                while let Some(field) = fields.next()? {
                                    if field.entry().tag() == constants::DW_TAG_member {
                                        part.variants
                                            .push((value, self.member(ty.unit, field.entry())));
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    variants = Some(part);
                }
                _ => {}
            }
        }
        Ok((members, variants))
    }

    fn member(&self, unit: usize, entry: &gimli::DebuggingInformationEntry<Reader>) -> Member {
        let offset = match entry.attr_value(constants::DW_AT_data_member_location) {
            Some(AttributeValue::Exprloc(expression)) => {
                // Old producers: DW_OP_plus_uconst N.
                let mut ops = expression.operations(self.units[unit].encoding());
                match ops.next() {
                    Ok(Some(gimli::Operation::PlusConstant { value })) => value,
                    _ => 0,
                }
            }
            Some(value) => value.udata_value().unwrap_or(0),
            None => 0,
        };
        Member {
            name: self.name_of(unit, entry),
            offset,
            ty: type_attr(unit, entry),
        }
    }

    fn array_counts(&self, ty: TypeRef) -> gimli::Result<Vec<Option<u64>>> {
        let unit = &self.units[ty.unit];
        let mut tree = unit.entries_tree(Some(ty.offset))?;
        let root = tree.root()?;
        let mut counts = Vec::new();
        let mut children = root.children();
        while let Some(child) = children.next()? {
            let entry = child.entry();
            if entry.tag() != constants::DW_TAG_subrange_type {
                continue;
            }
            let count = entry
                .attr_value(constants::DW_AT_count)
                .and_then(|v| v.udata_value())
                .or_else(|| {
                    let upper = entry
                        .attr_value(constants::DW_AT_upper_bound)
                        .and_then(|v| v.udata_value().or(v.sdata_value().map(|s| s as u64)))?;
                    let lower = entry
                        .attr_value(constants::DW_AT_lower_bound)
                        .and_then(|v| v.udata_value())
                        .unwrap_or(0);
                    // -1 (all ones) is "unknown": a flexible array member.
                    (upper != u64::MAX && upper != u64::from(u32::MAX))
                        .then(|| upper.saturating_sub(lower) + 1)
                });
            counts.push(count);
        }
        if counts.is_empty() {
            counts.push(None);
        }
        Ok(counts)
    }

    fn enumerators(&self, ty: TypeRef) -> gimli::Result<Vec<(String, i64)>> {
        let unit = &self.units[ty.unit];
        let mut tree = unit.entries_tree(Some(ty.offset))?;
        let root = tree.root()?;
        let mut enumerators = Vec::new();
        let mut children = root.children();
        while let Some(child) = children.next()? {
            let entry = child.entry();
            if entry.tag() != constants::DW_TAG_enumerator {
                continue;
            }
            let value = match entry.attr_value(constants::DW_AT_const_value) {
                Some(AttributeValue::Sdata(v)) => v,
                Some(v) => v
                    .udata_value()
                    .map(|u| u as i64)
                    .or(v.sdata_value())
                    .unwrap_or(0),
                None => 0,
            };
            if let Some(name) = self.name_of(ty.unit, entry) {
                enumerators.push((name, value));
            }
        }
        Ok(enumerators)
    }
}

/// The DIE's DW_AT_type, when it is in the same unit (as C and Rust
/// producers write it).
pub fn type_attr(unit: usize, entry: &gimli::DebuggingInformationEntry<Reader>) -> Option<TypeRef> {
    match entry.attr_value(constants::DW_AT_type) {
        Some(AttributeValue::UnitRef(offset)) => Some(TypeRef { unit, offset }),
        _ => None,
    }
}
