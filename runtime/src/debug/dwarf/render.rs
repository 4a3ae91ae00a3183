//! What a value looks like in a debugger: its one-line text and its
//! children, from its type and its bytes. C shows as LLDB shows it
//! (`0x00000e10 "wasmlens"`, `{x: 1, y: -2}`, `BLUE`, `'S'`); Rust's
//! standard shapes as Rust prints them (`"owned"`, `[1, 2, 3]`, `Some(42)`,
//! `Circle { radius: 2 }`).

use super::location::{Place, le_unsigned};
use super::types::{Encoding, Member, Type, TypeRef};
use super::{Index, Machine};

/// A value ready to show.
#[derive(Debug, Clone)]
pub struct SourceValue {
    pub name: String,
    pub value: String,
    pub type_name: String,
    /// Set when it has children (members, elements, a pointee).
    pub children: Option<Expansion>,
    /// Where it is in linear memory, if it is there.
    pub address: Option<u64>,
}

/// What [`Index::children`] needs to list a value's children later.
#[derive(Debug, Clone)]
pub struct Expansion {
    ty: TypeRef,
    place: Place,
}

/// Elements shown inline in a summary; the rest are children only.
const SUMMARY_ELEMENTS: u64 = 16;
/// Children listed for a long sequence.
const MAX_CHILDREN: u64 = 10_000;
/// Bytes read for a C string or a Rust `str`.
const MAX_STRING: u64 = 4096;
const SUMMARY_CHARS: usize = 200;

/// How a value of a type is taken apart.
pub(super) enum Shape {
    /// Shown by its own text: numbers, enums, functions.
    Scalar,
    Pointer {
        target: Option<TypeRef>,
        address: u64,
        /// A Rust reference: shown as what it points to.
        reference: bool,
    },
    Record {
        /// Offsets are relative to the value's place.
        members: Vec<Member>,
        /// A Rust enum's active variant.
        variant: Option<String>,
    },
    Sequence {
        element: Option<TypeRef>,
        first: Place,
        len: u64,
        /// Shown as a string: a Rust `str`/`String`, a C `char[]`.
        text: bool,
    },
}

impl Index {
    /// A named value of type `ty` at `place` (or why it cannot be read).
    pub fn value(
        &self,
        name: String,
        ty: Option<TypeRef>,
        place: Result<Place, String>,
        machine: &mut dyn Machine,
    ) -> SourceValue {
        let type_name = self.type_name(ty);
        let (Some(ty), Ok(place)) = (ty, place.clone()) else {
            return SourceValue {
                name,
                value: place.err().unwrap_or_else(|| "<no type>".to_string()),
                type_name,
                children: None,
                address: None,
            };
        };
        let value = match self.summary(ty, &place, machine, 0) {
            Ok(text) => text,
            Err(e) => format!("<{e}>"),
        };
        let children = self.has_children(ty, &place, machine).then(|| Expansion {
            ty,
            place: place.clone(),
        });
        SourceValue {
            name,
            value,
            type_name,
            children,
            address: match place {
                Place::Memory(address) => Some(address),
                Place::Bytes(_) => None,
            },
        }
    }

    /// The members, elements or pointee of an expandable value.
    pub fn children(&self, expansion: &Expansion, machine: &mut dyn Machine) -> Vec<SourceValue> {
        let (ty, place) = (expansion.ty, &expansion.place);
        let rust = self.rust[ty.unit];
        match self.shape(ty, place, machine) {
            Ok(Shape::Record { members, .. }) => members
                .iter()
                .map(|member| {
                    let name = match member.name.as_deref() {
                        // A Rust tuple field is `__0` in DWARF, `0` in Rust.
                        Some(name) if rust && is_tuple_field(name) => name[2..].to_string(),
                        Some(name) => name.to_string(),
                        None => "<anonymous>".to_string(),
                    };
                    self.value(name, member.ty, Ok(at(place, member.offset)), machine)
                })
                .collect(),
            Ok(Shape::Sequence {
                element,
                first,
                len,
                ..
            }) => {
                let size = element.map_or(0, |e| self.size_of(e));
                (0..len.min(MAX_CHILDREN))
                    .map(|i| {
                        self.value(format!("[{i}]"), element, Ok(at(&first, i * size)), machine)
                    })
                    .collect()
            }
            Ok(Shape::Pointer {
                target: Some(target),
                address,
                ..
            }) if address != 0 => {
                let pointee = Place::Memory(address);
                // A pointer to a record opens onto its members, as LLDB's.
                if matches!(
                    self.shape(target, &pointee, machine),
                    Ok(Shape::Record { .. })
                ) {
                    return self.children(
                        &Expansion {
                            ty: target,
                            place: pointee,
                        },
                        machine,
                    );
                }
                vec![self.value("*".to_string(), Some(target), Ok(pointee), machine)]
            }
            Ok(_) => Vec::new(),
            Err(e) => vec![SourceValue {
                name: "<error>".to_string(),
                value: e,
                type_name: String::new(),
                children: None,
                address: None,
            }],
        }
    }

    fn has_children(&self, ty: TypeRef, place: &Place, machine: &mut dyn Machine) -> bool {
        match self.shape(ty, place, machine) {
            Ok(Shape::Record { members, .. }) => !members.is_empty(),
            Ok(Shape::Sequence { len, text, .. }) => len > 0 && !text,
            Ok(Shape::Pointer {
                target: Some(target),
                address,
                ..
            }) => address != 0 && !self.is_void_or_function(target),
            _ => false,
        }
    }

    fn is_void_or_function(&self, ty: TypeRef) -> bool {
        matches!(*self.resolved(ty).1, Type::Function | Type::Unknown(_))
    }

    /// How `ty` at `place` comes apart.
    pub(super) fn shape(
        &self,
        ty: TypeRef,
        place: &Place,
        machine: &mut dyn Machine,
    ) -> Result<Shape, String> {
        let (ty, resolved) = self.resolved(ty);
        match &*resolved {
            Type::Pointer { target, name } => Ok(Shape::Pointer {
                target: *target,
                address: self.read_uint(place, 0, 4, machine)?,
                reference: self.rust[ty.unit]
                    && name.as_deref().is_some_and(|n| n.starts_with('&')),
            }),
            Type::Array { element, counts } => {
                // C's `int m[2][3]` shows as its 6 elements in order.
                let len = counts.iter().map(|c| c.unwrap_or(0)).product();
                Ok(Shape::Sequence {
                    element: *element,
                    first: place.clone(),
                    len,
                    text: counts.len() == 1 && element.is_some_and(|e| self.is_char(e)),
                })
            }
            Type::Struct {
                name,
                members,
                variants,
                ..
            } => {
                if self.rust[ty.unit]
                    && let Some(shape) =
                        self.rust_shape(name.as_deref(), members, place, machine)?
                {
                    return Ok(shape);
                }
                if let Some(variants) = variants {
                    return self.variant_shape(variants, place, machine);
                }
                Ok(Shape::Record {
                    members: members.clone(),
                    variant: None,
                })
            }
            _ => Ok(Shape::Scalar),
        }
    }

    /// Rust's `&str`, `&[T]`, `String` and `Vec<T>`: their elements.
    fn rust_shape(
        &self,
        name: Option<&str>,
        members: &[Member],
        place: &Place,
        machine: &mut dyn Machine,
    ) -> Result<Option<Shape>, String> {
        let Some(name) = name else { return Ok(None) };
        let member = |wanted: &str| members.iter().find(|m| m.name.as_deref() == Some(wanted));
        if name.starts_with('&') || name.starts_with("*const [") || name.starts_with("*mut [") {
            // Fat pointers: `&str`, `&[T]`, `&mut [T]`.
            let (Some(data), Some(length)) = (member("data_ptr"), member("length")) else {
                return Ok(None);
            };
            let address = self.read_uint(place, data.offset, 4, machine)?;
            let len = self.read_uint(place, length.offset, 4, machine)?;
            let element = data.ty.and_then(|p| match &*self.resolved(p).1 {
                Type::Pointer { target, .. } => *target,
                _ => None,
            });
            return Ok(Some(Shape::Sequence {
                element,
                first: Place::Memory(address),
                len,
                text: name.ends_with("str"),
            }));
        }
        if name == "String"
            && let Some(vec) = member("vec")
            && let Some(vec_ty) = vec.ty
            && let Ok(Shape::Sequence {
                element,
                first,
                len,
                ..
            }) = self.shape(vec_ty, &at(place, vec.offset), machine)
        {
            return Ok(Some(Shape::Sequence {
                element,
                first,
                len,
                text: true,
            }));
        }
        if name.starts_with("Vec<") {
            let (Some(buf), Some(length)) = (member("buf"), member("len")) else {
                return Ok(None);
            };
            let Some((pointer_offset, element)) = buf.ty.and_then(|t| self.first_pointer(t, 0))
            else {
                return Ok(None);
            };
            let address = self.read_uint(place, buf.offset + pointer_offset, 4, machine)?;
            let len = self.read_uint(place, length.offset, 4, machine)?;
            return Ok(Some(Shape::Sequence {
                element,
                first: Place::Memory(address),
                len,
                text: false,
            }));
        }
        Ok(None)
    }

    /// The first pointer inside a struct (RawVec → Unique → NonNull →
    /// `*const T`): its offset and its target.
    fn first_pointer(&self, ty: TypeRef, depth: usize) -> Option<(u64, Option<TypeRef>)> {
        if depth > 8 {
            return None;
        }
        match &*self.resolved(ty).1 {
            Type::Pointer { target, .. } => Some((0, *target)),
            Type::Struct { members, .. } => members.iter().find_map(|m| {
                let (offset, target) = self.first_pointer(m.ty?, depth + 1)?;
                Some((m.offset + offset, target))
            }),
            _ => None,
        }
    }

    /// A Rust enum: the variant its discriminant selects.
    fn variant_shape(
        &self,
        variants: &super::types::Variants,
        place: &Place,
        machine: &mut dyn Machine,
    ) -> Result<Shape, String> {
        let discriminant = match &variants.discriminant {
            Some(member) => {
                let size = member.ty.map_or(4, |t| self.size_of(t));
                Some(self.read_uint(place, member.offset, size, machine)?)
            }
            None => None,
        };
        let chosen = variants
            .variants
            .iter()
            .find(|(value, _)| value.is_some() && *value == discriminant)
            .or_else(|| variants.variants.iter().find(|(value, _)| value.is_none()))
            .or(variants
                .variants
                .first()
                .filter(|_| variants.variants.len() == 1));
        let Some((_, variant)) = chosen else {
            return Err(format!(
                "no variant has discriminant {}",
                discriminant.map_or("?".to_string(), |d| d.to_string())
            ));
        };
        let fields = match variant.ty.map(|t| self.resolved(t).1) {
            Some(ty) => match &*ty {
                Type::Struct { members, .. } => members
                    .iter()
                    .map(|m| Member {
                        name: m.name.clone(),
                        offset: variant.offset + m.offset,
                        ty: m.ty,
                    })
                    .collect(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        Ok(Shape::Record {
            members: fields,
            variant: Some(variant.name.clone().unwrap_or_else(|| "?".to_string())),
        })
    }

    fn is_char(&self, ty: TypeRef) -> bool {
        matches!(
            &*self.resolved(ty).1,
            Type::Base {
                encoding: Encoding::SignedChar | Encoding::UnsignedChar,
                size: 1,
                ..
            }
        )
    }

    /// The one-line text of a value.
    pub(super) fn summary(
        &self,
        ty: TypeRef,
        place: &Place,
        machine: &mut dyn Machine,
        depth: usize,
    ) -> Result<String, String> {
        let (resolved_ty, resolved) = self.resolved(ty);
        let rust = self.rust[resolved_ty.unit];
        match self.shape(ty, place, machine)? {
            Shape::Scalar => self.scalar(&resolved, place, machine),
            Shape::Pointer {
                target,
                address,
                reference,
            } => {
                if address == 0 {
                    return Ok(if rust { "0x0" } else { "NULL" }.to_string());
                }
                let pointer = format!("{address:#010x}");
                match target {
                    Some(target) if reference && depth < 3 => {
                        self.summary(target, &Place::Memory(address), machine, depth + 1)
                    }
                    Some(target) if self.is_char(target) => {
                        let text = self.c_string(address, machine)?;
                        Ok(format!("{pointer} {text}"))
                    }
                    _ => Ok(pointer),
                }
            }
            Shape::Sequence {
                element,
                first,
                len,
                text,
            } => {
                if text {
                    let bytes = read(&first, 0, len.min(MAX_STRING), machine)?;
                    let mut text = if rust {
                        format!("{:?}", String::from_utf8_lossy(&bytes))
                    } else {
                        c_array_text(&bytes)
                    };
                    if len > MAX_STRING {
                        text.push('…');
                    }
                    return Ok(text);
                }
                let Some(element) = element else {
                    return Ok(format!("[{len} elements]"));
                };
                if depth >= 3 {
                    return Ok(format!("[{len} elements]"));
                }
                let size = self.size_of(element);
                let mut parts = Vec::new();
                for i in 0..len.min(SUMMARY_ELEMENTS) {
                    parts.push(
                        self.summary(element, &at(&first, i * size), machine, depth + 1)
                            .unwrap_or_else(|e| format!("<{e}>")),
                    );
                }
                if len > SUMMARY_ELEMENTS {
                    parts.push("…".to_string());
                }
                Ok(shorten(format!("[{}]", parts.join(", "))))
            }
            Shape::Record { members, variant } => {
                if depth >= 3 {
                    return Ok(variant.map_or("{…}".to_string(), |v| format!("{v}(…)")));
                }
                let tuple = members
                    .iter()
                    .all(|m| m.name.as_deref().is_some_and(is_tuple_field));
                let fields: Vec<String> = members
                    .iter()
                    .map(|m| {
                        let value =
                            m.ty.map(|t| {
                                self.summary(t, &at(place, m.offset), machine, depth + 1)
                                    .unwrap_or_else(|e| format!("<{e}>"))
                            })
                            .unwrap_or_default();
                        if tuple {
                            value
                        } else {
                            format!("{}: {value}", m.name.as_deref().unwrap_or("?"))
                        }
                    })
                    .collect();
                Ok(shorten(match variant {
                    Some(variant) if fields.is_empty() => variant,
                    Some(variant) if tuple => format!("{variant}({})", fields.join(", ")),
                    Some(variant) => format!("{variant} {{ {} }}", fields.join(", ")),
                    None => format!("{{{}}}", fields.join(", ")),
                }))
            }
        }
    }

    fn scalar(
        &self,
        ty: &Type,
        place: &Place,
        machine: &mut dyn Machine,
    ) -> Result<String, String> {
        match ty {
            Type::Base { encoding, size, .. } => {
                let bytes = read(place, 0, *size, machine)?;
                Ok(base_text(*encoding, &bytes))
            }
            Type::Enum {
                size, enumerators, ..
            } => {
                let bytes = read(place, 0, *size, machine)?;
                let value = sign_extend(&bytes);
                Ok(enumerators
                    .iter()
                    .find(|(_, v)| {
                        *v == value || (*v as u64 & mask(*size)) == (value as u64 & mask(*size))
                    })
                    .map_or_else(|| value.to_string(), |(name, _)| name.clone()))
            }
            Type::Function => Ok("function".to_string()),
            Type::Unknown(name) => Err(format!("cannot show a {name}")),
            _ => Err("cannot show this value".to_string()),
        }
    }

    fn c_string(&self, address: u64, machine: &mut dyn Machine) -> Result<String, String> {
        let mut bytes = Vec::new();
        let mut at = address;
        while (bytes.len() as u64) < MAX_STRING {
            // Near the end of memory, a byte at a time.
            let Ok(chunk) = machine.memory(at, 64).or_else(|_| machine.memory(at, 1)) else {
                break;
            };
            if chunk.is_empty() {
                break;
            }
            if let Some(end) = chunk.iter().position(|b| *b == 0) {
                bytes.extend_from_slice(&chunk[..end]);
                return Ok(c_text(&bytes));
            }
            at += chunk.len() as u64;
            bytes.extend(chunk);
        }
        Ok(format!("{}…", c_text(&bytes)))
    }

    pub(super) fn read_uint(
        &self,
        place: &Place,
        offset: u64,
        size: u64,
        machine: &mut dyn Machine,
    ) -> Result<u64, String> {
        let bytes = read(place, offset, size.min(8), machine)?;
        Ok(le_unsigned(&bytes) as u64)
    }
}

/// The place `offset` bytes into `place`.
pub(super) fn at(place: &Place, offset: u64) -> Place {
    match place {
        Place::Memory(address) => Place::Memory(address.wrapping_add(offset)),
        Place::Bytes(bytes) => {
            Place::Bytes(bytes.get(offset as usize..).unwrap_or_default().to_vec())
        }
    }
}

pub(super) fn read(
    place: &Place,
    offset: u64,
    len: u64,
    machine: &mut dyn Machine,
) -> Result<Vec<u8>, String> {
    match place {
        Place::Memory(address) => {
            let bytes = machine.memory(address.wrapping_add(offset), len as usize)?;
            if (bytes.len() as u64) < len {
                return Err(format!(
                    "address {:#x} is outside linear memory",
                    address + offset
                ));
            }
            Ok(bytes)
        }
        Place::Bytes(bytes) => bytes
            .get(offset as usize..(offset + len) as usize)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| "the value is only partly known".to_string()),
    }
}

fn mask(size: u64) -> u64 {
    if size >= 8 {
        u64::MAX
    } else {
        (1u64 << (size * 8)) - 1
    }
}

pub(super) fn sign_extend(bytes: &[u8]) -> i64 {
    let len = bytes.len().min(8);
    let raw = le_unsigned(&bytes[..len]) as u64;
    if len == 0 || len == 8 {
        return raw as i64;
    }
    let shift = 64 - 8 * len as u32;
    ((raw << shift) as i64) >> shift
}

fn base_text(encoding: Encoding, bytes: &[u8]) -> String {
    let unsigned = || le_unsigned(bytes);
    match encoding {
        Encoding::Signed if bytes.len() == 16 => (unsigned() as i128).to_string(),
        Encoding::Signed => sign_extend(bytes).to_string(),
        Encoding::Unsigned | Encoding::Other => unsigned().to_string(),
        Encoding::Bool => (unsigned() != 0).to_string(),
        Encoding::Float => match bytes.len() {
            4 => f32::from_le_bytes(bytes.try_into().expect("4 bytes")).to_string(),
            8 => f64::from_le_bytes(bytes.try_into().expect("8 bytes")).to_string(),
            _ => format!("<a {}-byte float>", bytes.len()),
        },
        Encoding::SignedChar | Encoding::UnsignedChar => {
            let byte = bytes.first().copied().unwrap_or(0);
            if byte.is_ascii_graphic() || byte == b' ' {
                format!("'{}'", byte as char)
            } else {
                format!("'\\x{byte:02x}'")
            }
        }
        Encoding::Utf => char::from_u32(unsigned() as u32)
            .map_or_else(|| format!("U+{:04X}", unsigned()), |c| format!("{c:?}")),
    }
}

fn shorten(mut text: String) -> String {
    if text.chars().count() > SUMMARY_CHARS {
        text = text.chars().take(SUMMARY_CHARS).collect();
        text.push('…');
    }
    text
}

pub(super) fn is_tuple_field(name: &str) -> bool {
    name.strip_prefix("__")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A C string as LLDB writes it: UTF-8 text as is, control characters
/// and bytes that are not UTF-8 escaped.
fn c_text(bytes: &[u8]) -> String {
    let mut text = String::from('"');
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => text.push_str("\\\""),
                '\\' => text.push_str("\\\\"),
                '\n' => text.push_str("\\n"),
                '\t' => text.push_str("\\t"),
                '\r' => text.push_str("\\r"),
                '\0' => text.push_str("\\0"),
                c if c.is_control() => text.push_str(&format!("\\x{:02x}", u32::from(c))),
                c => text.push(c),
            }
        }
        for b in chunk.invalid() {
            text.push_str(&format!("\\x{b:02x}"));
        }
    }
    text.push('"');
    text
}

/// A C char array: its bytes up to the trailing NULs (a string buffer
/// shows as its string; bytes after a NUL are shown too).
fn c_array_text(bytes: &[u8]) -> String {
    let end = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    c_text(&bytes[..end])
}
