//! `scopes`, `variables` and `evaluate`: a frame's values by scope —
//! Locals and Statics from DWARF first, then the Wasm locals, Operand stack
//! and Globals every frame has — children on demand, and what the user
//! types (hover, watch, the debug console).
//!
//! Variables references index a table of the current stop, cleared when
//! the guest runs: a reference from an earlier stop is refused, never
//! misread.

use serde_json::{Value, json};
use wasmlens_runtime::debug::{ScopeKind, Variable as SessionVariable};

use super::adapter::{Adapter, Reference, parse};
use super::protocol::*;

impl Adapter {
    pub(super) fn scopes(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: ScopesArguments = parse(arguments)?;
        let frame = self.frame(arguments.frame_id)?;
        let (wasm_frame, inline_depth) = (frame.wasm_frame, frame.inline_depth);
        // Source scopes where the frame has source: code without DWARF has
        // only its wasm values.
        let mut kinds = Vec::new();
        if frame.source.is_some() {
            kinds.push((ScopeKind::Locals { inline_depth }, "Locals", Some("locals")));
            kinds.push((ScopeKind::Statics, "Statics", None));
        }
        let wasm_hint = (frame.source.is_none()).then_some("locals");
        kinds.push((ScopeKind::WasmLocals, "Wasm locals", wasm_hint));
        kinds.push((ScopeKind::OperandStack, "Operand stack", None));
        kinds.push((ScopeKind::Globals, "Globals", None));
        let scopes: Vec<Scope> = kinds
            .into_iter()
            .map(|(kind, name, hint)| Scope {
                name: name.to_string(),
                variables_reference: self.reference(Reference::Scope { wasm_frame, kind }),
                // The wasm scopes are there for when source fails.
                expensive: false,
                presentation_hint: hint,
            })
            .collect();
        Ok(json!({ "scopes": scopes }))
    }

    pub(super) fn variables(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: VariablesArguments = parse(arguments)?;
        let session = self.stopped_session()?;
        let index = usize::try_from(arguments.variables_reference - 1).unwrap_or(usize::MAX);
        let (listed, parent, source) = match self.references.get(index) {
            Some(Reference::Scope { wasm_frame, kind }) => {
                let source = matches!(kind, ScopeKind::Locals { .. } | ScopeKind::Statics);
                (session.variables(*wasm_frame, *kind)?, None, source)
            }
            Some(Reference::Children { of, parent }) => {
                (session.children(of)?, parent.clone(), true)
            }
            None => {
                return Err(format!(
                    "no variables reference {}: the program ran since it was given",
                    arguments.variables_reference
                ));
            }
        };
        let variables: Vec<Variable> = listed
            .into_iter()
            .map(|v| {
                let evaluate_name = if source {
                    Some(child_expression(parent.as_deref(), &v.name))
                } else {
                    Some(v.name.clone())
                };
                self.variable(v, evaluate_name)
            })
            .collect();
        Ok(json!({ "variables": variables }))
    }

    pub(super) fn evaluate(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: EvaluateArguments = parse(arguments)?;
        let frame = self.frame(arguments.frame_id.unwrap_or(0))?;
        let (wasm_frame, inline_depth) = (frame.wasm_frame, frame.inline_depth);
        let session = self.stopped_session()?;
        let expression = arguments.expression.trim().to_string();
        let value = session.evaluate(wasm_frame, inline_depth, &expression)?;
        let shown = self.variable(value, Some(expression));
        Ok(json!({
            "result": shown.value,
            "type": shown.type_name,
            "variablesReference": shown.variables_reference,
            "memoryReference": shown.memory_reference,
        }))
    }

    fn reference(&mut self, reference: Reference) -> i64 {
        self.references.push(reference);
        self.references.len() as i64
    }

    /// A session value as DAP shows it, its children given a reference.
    fn variable(&mut self, value: SessionVariable, evaluate_name: Option<String>) -> Variable {
        let variables_reference = match value.children {
            Some(of) => self.reference(Reference::Children {
                of,
                parent: evaluate_name.clone(),
            }),
            None => 0,
        };
        Variable {
            name: value.name,
            value: value.value,
            type_name: value.type_name,
            variables_reference,
            memory_reference: value.address.map(|a| format!("{a:#x}")),
            evaluate_name,
        }
    }
}

/// How a child is written from its parent: `parent[2]`, `*parent`,
/// `parent.member` (`.` reads through pointers too).
fn child_expression(parent: Option<&str>, child: &str) -> String {
    let Some(parent) = parent else {
        return child.to_string();
    };
    // `*p` binds looser than `.` and `[]`.
    let parent = if parent.starts_with('*') {
        format!("({parent})")
    } else {
        parent.to_string()
    };
    if child.starts_with('[') {
        format!("{parent}{child}")
    } else if child == "*" {
        format!("*{parent}")
    } else {
        format!("{parent}.{child}")
    }
}

#[cfg(test)]
mod tests {
    use super::child_expression;

    #[test]
    fn children_are_written_from_their_parent() {
        let cases = [
            (None, "square", "square"),
            (Some("square"), "origin", "square.origin"),
            (Some("square.origin"), "x", "square.origin.x"),
            (Some("*pointer"), "id", "(*pointer).id"),
            (Some("numbers"), "[2]", "numbers[2]"),
            (Some("message"), "*", "*message"),
            (Some("some"), "0", "some.0"),
        ];
        for (parent, child, expected) in cases {
            assert_eq!(child_expression(parent, child), expected);
        }
    }
}
