//! `stackTrace`: the stop's frames (inlined functions as frames of their
//! own), sources mapped to files on this machine, frames without source
//! shown subtle.

use serde_json::{Value, json};
use wasmlens_runtime::debug::FrameView;
use wasmlens_runtime::debug::symbols::SourceLine;

use super::adapter::{Adapter, source_out};
use super::protocol::*;
use crate::lenses::source_map::source_file;

impl Adapter {
    pub(super) fn stack_trace(&mut self) -> Result<Value, String> {
        let session = self.stopped_session()?;
        self.frames = session.stack()?;
        let frames: Vec<StackFrame> = self
            .frames
            .iter()
            .enumerate()
            .map(|(i, frame)| {
                let source = frame.source.as_ref().map(|line| self.source_of(line));
                StackFrame {
                    id: i as i64,
                    name: frame.name.clone(),
                    line: frame.source.as_ref().map_or(0, |l| l.line),
                    column: frame.source.as_ref().map_or(0, |l| l.column.max(1)),
                    presentation_hint: source.is_none().then_some("subtle"),
                    source,
                    instruction_pointer_reference: format!("{:#x}", frame.address),
                }
            })
            .collect();
        Ok(json!({"stackFrames": frames, "totalFrames": frames.len()}))
    }

    /// A DWARF path as a file on this machine (as the trap mapping finds
    /// it), or deemphasized when there is none.
    pub(super) fn source_of(&self, line: &SourceLine) -> SourceOut {
        let recorded = line.file.to_string_lossy();
        match source_file(&recorded, &self.cwd) {
            Some(local) => source_out(&local),
            None => SourceOut {
                presentation_hint: Some("deemphasize"),
                ..source_out(&line.file)
            },
        }
    }

    /// A frame id of the current stop (the stack is read if the client
    /// has not asked for it: an `evaluate` may come first).
    pub(super) fn frame(&mut self, frame_id: i64) -> Result<&FrameView, String> {
        if self.frames.is_empty() {
            self.frames = self.stopped_session()?.stack()?;
        }
        self.frames
            .get(usize::try_from(frame_id).unwrap_or(usize::MAX))
            .ok_or_else(|| format!("no frame {frame_id}; ask for the stack first"))
    }
}
