//! `setBreakpoints`, `setFunctionBreakpoints`, `setExceptionBreakpoints`:
//! each replaces its kind, with conditions, hit counts and log messages,
//! and is remembered for a restart.

use serde_json::{Value, json};
use wasmlens_runtime::debug::{BreakpointOptions, BreakpointState};

use super::adapter::{Adapter, parse, source_out};
use super::protocol::*;

impl Adapter {
    pub(super) fn set_breakpoints(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: SetBreakpointsArguments = parse(arguments)?;
        let path = arguments
            .source
            .path
            .clone()
            .ok_or("setBreakpoints needs `source.path`")?;
        let answer = self.apply_breakpoints(arguments.clone())?;
        self.requested.by_file.insert(path, arguments);
        Ok(answer)
    }

    pub(super) fn apply_breakpoints(
        &mut self,
        arguments: SetBreakpointsArguments,
    ) -> Result<Value, String> {
        let path = arguments
            .source
            .path
            .ok_or("setBreakpoints needs `source.path`")?;
        let lines: Vec<(u32, BreakpointOptions)> = arguments
            .breakpoints
            .into_iter()
            .map(|b| (b.line, options(b.condition, b.hit_condition, b.log_message)))
            .collect();
        let session = self.session.as_ref().ok_or("launch first")?;
        let file = self.cwd.join(&path);
        let placed = session.set_breakpoints_with(&file, &lines);
        let source = source_out(&file);
        let breakpoints: Vec<Breakpoint> = placed
            .into_iter()
            .map(|b| breakpoint(b, Some(source.clone())))
            .collect();
        Ok(json!({ "breakpoints": breakpoints }))
    }

    pub(super) fn set_function_breakpoints(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: SetFunctionBreakpointsArguments = parse(arguments)?;
        let answer = self.apply_function_breakpoints(arguments.clone())?;
        self.requested.functions = Some(arguments);
        Ok(answer)
    }

    pub(super) fn apply_function_breakpoints(
        &mut self,
        arguments: SetFunctionBreakpointsArguments,
    ) -> Result<Value, String> {
        let names: Vec<(String, BreakpointOptions)> = arguments
            .breakpoints
            .into_iter()
            .map(|b| (b.name, options(b.condition, b.hit_condition, None)))
            .collect();
        let session = self.session.as_ref().ok_or("launch first")?;
        let breakpoints: Vec<Breakpoint> = session
            .set_function_breakpoints_with(&names)
            .into_iter()
            .map(|b| breakpoint(b, None))
            .collect();
        Ok(json!({ "breakpoints": breakpoints }))
    }

    pub(super) fn set_exception_breakpoints(&mut self, arguments: Value) -> Result<Value, String> {
        let arguments: SetExceptionBreakpointsArguments = parse(arguments)?;
        let answer = self.apply_exception_breakpoints(arguments.clone())?;
        self.requested.exceptions = Some(arguments);
        Ok(answer)
    }

    pub(super) fn apply_exception_breakpoints(
        &mut self,
        arguments: SetExceptionBreakpointsArguments,
    ) -> Result<Value, String> {
        let session = self.session.as_ref().ok_or("launch first")?;
        session.stop_on_traps(arguments.filters.iter().any(|f| f == "trap"));
        Ok(Value::Null)
    }
}

/// A breakpoint's options; VS Code sends an emptied field as `""`.
fn options(
    condition: Option<String>,
    hit_condition: Option<String>,
    log_message: Option<String>,
) -> BreakpointOptions {
    let non_empty = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
    BreakpointOptions {
        condition: non_empty(condition),
        hit_condition: non_empty(hit_condition),
        log_message: non_empty(log_message),
    }
}

fn breakpoint(placed: BreakpointState, source: Option<SourceOut>) -> Breakpoint {
    Breakpoint {
        id: placed.id,
        verified: placed.verified,
        line: placed.line,
        message: placed.message,
        source,
    }
}
