//! WAVE (the value syntax of `wasmtime run --invoke`): calls parsed and
//! type-checked against an export, results printed.

use wasmtime::component::Val;
use wasmtime::component::types::{ComponentFunc, Type};
use wasmtime::component::wasm_wave;
use wasmtime::component::wasm_wave::untyped::UntypedFuncCall;

use crate::exports::wit_type;

/// A call as written: `name(args…)`, where the name may be qualified by an
/// interface (`iface.f`, `ns:pkg/iface@1.0.0.f`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallText {
    /// The interface part, if any (`iface` or `ns:pkg/iface@1.0.0`).
    pub interface: Option<String>,
    pub function: String,
    /// `(args…)`, parentheses included.
    pub args: String,
}

impl CallText {
    pub fn parse(text: &str) -> Result<CallText, String> {
        let text = text.trim();
        let Some(open) = text.find('(') else {
            return Err(format!(
                "`{text}` is not a call; write it as in `wasmtime run --invoke`, e.g. `add(1, 2)` or `greet(\"world\")`"
            ));
        };
        if !text.ends_with(')') {
            return Err(format!("`{text}` does not end with `)`"));
        }
        let name = text[..open].trim();
        if name.is_empty() {
            return Err(format!("`{text}` names no function"));
        }
        let (interface, function) = split_function(name);
        Ok(CallText {
            interface,
            function,
            args: text[open..].to_string(),
        })
    }

    pub fn name(&self) -> String {
        match &self.interface {
            Some(interface) => format!("{interface}.{}", self.function),
            None => self.function.clone(),
        }
    }
}

/// A function's name as written in a call or a mock: its interface (if
/// any) and the function. The function is after the last `.`, unless the
/// version is written after it (`ns:pkg/iface.f@1.0.0`).
pub fn split_function(name: &str) -> (Option<String>, String) {
    let (package, rest) = match name.rsplit_once('/') {
        Some((package, rest)) => (Some(package), rest),
        None => (None, name),
    };
    if let Some((before, version)) = rest.split_once('@')
        && let Some((interface, function)) = before.rsplit_once('.')
    {
        let package = package.map(|p| format!("{p}/")).unwrap_or_default();
        return (
            Some(format!("{package}{interface}@{version}")),
            function.to_string(),
        );
    }
    match name.rsplit_once('.') {
        Some((interface, function)) => (Some(interface.to_string()), function.to_string()),
        None => (None, name.to_string()),
    }
}

/// The arguments of `call` as values of `func`'s parameter types, or an
/// error naming the parameter and its WIT type. Trailing `option`
/// parameters may be left out.
pub fn arguments(call: &CallText, func: &ComponentFunc) -> Result<Vec<Val>, String> {
    let source = format!("f{}", call.args);
    let parsed = UntypedFuncCall::parse(&source).map_err(|e| {
        format!(
            "cannot read the arguments `{}`: {}",
            call.args,
            strip_span(&e.to_string())
        )
    })?;
    let params: Vec<(String, Type)> = func.params().map(|(n, t)| (n.to_string(), t)).collect();
    let nodes: Vec<_> = match parsed.params_node() {
        Some(node) => node
            .as_tuple()
            .map_err(|e| format!("cannot read the arguments `{}`: {e}", call.args))?
            .collect(),
        None => Vec::new(),
    };
    if nodes.len() > params.len() {
        return Err(format!(
            "`{}` takes {} argument(s) ({}), but {} were given",
            call.name(),
            params.len(),
            signature(&params),
            nodes.len()
        ));
    }
    let mut values = Vec::with_capacity(params.len());
    for (i, (name, ty)) in params.iter().enumerate() {
        let value = match nodes.get(i) {
            Some(node) => node.to_wasm_value::<Val>(ty, &source).map_err(|e| {
                let span = node.span();
                format!(
                    "argument {} `{name}` of `{}` must be a `{}`, but `{}` is not one ({})",
                    i + 1,
                    call.name(),
                    wit_type(ty),
                    &source[span.start..span.end],
                    strip_span(&e.to_string())
                )
            })?,
            None if matches!(ty, Type::Option(_)) => Val::Option(None),
            None => {
                return Err(format!(
                    "argument {} `{name}: {}` of `{}` is missing ({})",
                    i + 1,
                    wit_type(ty),
                    call.name(),
                    signature(&params)
                ));
            }
        };
        values.push(value);
    }
    Ok(values)
}

fn signature(params: &[(String, Type)]) -> String {
    let list: Vec<String> = params
        .iter()
        .map(|(n, t)| format!("{n}: {}", wit_type(t)))
        .collect();
    format!("func({})", list.join(", "))
}

fn strip_span(message: &str) -> String {
    match message.rfind(" at ") {
        Some(i)
            if message[i + 4..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.') =>
        {
            message[..i].to_string()
        }
        _ => message.to_string(),
    }
}

/// A value in WAVE, as `wasmtime run --invoke` prints it. Resources, which
/// WAVE cannot write, are shown as handles (`own<resource>` / `borrow<…>`).
pub fn render(value: &Val) -> String {
    // wasm-wave panics (rather than failing) on a resource, so values that
    // hold one are written here, the rest by wasm-wave.
    if !holds_resource(value) {
        return wasm_wave::to_string(value).unwrap_or_else(|e| format!("<{e}>"));
    }
    let list = |values: &[Val]| values.iter().map(render).collect::<Vec<_>>().join(", ");
    match value {
        Val::Resource(resource) => {
            if resource.owned() {
                "own<resource>".to_string()
            } else {
                "borrow<resource>".to_string()
            }
        }
        Val::List(values) => format!("[{}]", list(values)),
        Val::Tuple(values) => format!("({})", list(values)),
        Val::Record(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .filter(|(_, v)| !matches!(v, Val::Option(None)))
                .map(|(name, v)| format!("{name}: {}", render(v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Val::Variant(case, Some(payload)) => format!("{case}({})", render(payload)),
        Val::Option(Some(payload)) => format!("some({})", render(payload)),
        Val::Result(Ok(Some(payload))) => format!("ok({})", render(payload)),
        Val::Result(Err(Some(payload))) => format!("err({})", render(payload)),
        other => format!("{other:?}"),
    }
}

fn holds_resource(value: &Val) -> bool {
    match value {
        Val::Resource(_) => true,
        Val::List(values) | Val::Tuple(values) => values.iter().any(holds_resource),
        Val::Record(fields) => fields.iter().any(|(_, v)| holds_resource(v)),
        Val::Variant(_, Some(payload)) | Val::Option(Some(payload)) => holds_resource(payload),
        Val::Result(Ok(Some(payload)) | Err(Some(payload))) => holds_resource(payload),
        _ => false,
    }
}

/// A WAVE value of type `ty` for a prompt to start from: zeros, empty
/// strings and lists, `none`, the first case. Types WAVE cannot write
/// (resources, futures, streams) appear as their WIT type in `<…>`.
pub fn placeholder(ty: &Type) -> String {
    let join = |values: Vec<String>| values.join(", ");
    match ty {
        Type::Bool => "false".into(),
        Type::S8
        | Type::U8
        | Type::S16
        | Type::U16
        | Type::S32
        | Type::U32
        | Type::S64
        | Type::U64 => "0".into(),
        Type::Float32 | Type::Float64 => "0.0".into(),
        Type::Char => "'a'".into(),
        Type::String => "\"\"".into(),
        Type::List(_) | Type::Map(_) => "[]".into(),
        Type::FixedLengthList(list) => format!(
            "[{}]",
            join(vec![placeholder(&list.ty()); list.len() as usize])
        ),
        Type::Option(_) => "none".into(),
        Type::Tuple(tuple) => format!(
            "({})",
            join(tuple.types().map(|t| placeholder(&t)).collect())
        ),
        Type::Result(result) => match result.ok() {
            Some(ok) => format!("ok({})", placeholder(&ok)),
            None => "ok".into(),
        },
        Type::Record(record) => format!(
            "{{{}}}",
            join(
                record
                    .fields()
                    .map(|f| format!("{}: {}", f.name, placeholder(&f.ty)))
                    .collect()
            )
        ),
        Type::Variant(variant) => match variant.cases().next() {
            Some(case) => match case.ty {
                Some(ty) => format!("{}({})", case.name, placeholder(&ty)),
                None => case.name.to_string(),
            },
            None => "<variant>".into(),
        },
        Type::Enum(e) => e.names().next().unwrap_or("<enum>").to_string(),
        Type::Flags(_) => "{}".into(),
        other => format!("<{}>", wit_type(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::split_function;

    #[test]
    fn function_names_split_with_the_version_on_either_side() {
        let cases = [
            ("add", (None, "add")),
            ("math.scale", (Some("math"), "scale")),
            ("ns:pkg/iface.f", (Some("ns:pkg/iface"), "f")),
            ("ns:pkg/iface@0.1.0.f", (Some("ns:pkg/iface@0.1.0"), "f")),
            ("ns:pkg/iface.f@0.1.0", (Some("ns:pkg/iface@0.1.0"), "f")),
            (
                "ns:pkg/iface.f@0.2.0-rc.1",
                (Some("ns:pkg/iface@0.2.0-rc.1"), "f"),
            ),
        ];
        for (name, (interface, function)) in cases {
            assert_eq!(
                split_function(name),
                (interface.map(String::from), function.to_string()),
                "{name}"
            );
        }
    }
}
