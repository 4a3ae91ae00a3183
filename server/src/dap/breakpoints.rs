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
            .map(|b| {
                let options = BreakpointOptions {
                    condition: non_empty(b.condition),
                    hit_condition: non_empty(b.hit_condition),
                    log_message: non_empty(b.log_message),
                };
                (b.line, options)
            })
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
            .map(|b| {
                let options = BreakpointOptions {
                    condition: non_empty(b.condition),
                    hit_condition: non_empty(b.hit_condition),
                    log_message: None,
                };
                (b.name, options)
            })
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

/// VS Code sends an emptied condition field as `""`.
fn non_empty(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
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
