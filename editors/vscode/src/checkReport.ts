// `wasmlens check --format json` (format version 1) as diagnostics per
// file, with positions in UTF-16 code units as VS Code counts them (the
// report's columns count Unicode scalar values; its offsets are bytes).

import * as path from "node:path";

export interface CheckReport {
  version: number;
  diagnostics: {
    path: string;
    severity: "error" | "warning" | "info" | "hint" | string;
    code: string;
    message: string;
    range: { start: { offset: number }; end: { offset: number } };
  }[];
  summary: { errors: number; warnings: number; files: number };
}

export interface Finding {
  file: string;
  severity: string;
  code: string;
  message: string;
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** Line and UTF-16 character of byte `offset` in `text`. */
export function positionOfByte(text: string, offset: number): { line: number; character: number } {
  const bytes = Buffer.from(text, "utf8");
  const before = bytes.subarray(0, Math.min(offset, bytes.length)).toString("utf8");
  const lines = before.split("\n");
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/**
 * The findings of `report`, made by `check` run in `folder`. `read` gives
 * a file's text (to place byte offsets); an unreadable file's findings sit
 * at its start.
 */
export function findings(report: CheckReport, folder: string, read: (file: string) => string | undefined): Finding[] {
  if (report.version !== 1) {
    throw new Error(
      `wasmlens check printed report version ${report.version}; this extension reads version 1. Update the extension or the server.`,
    );
  }
  const texts = new Map<string, string | undefined>();
  return report.diagnostics.map((d) => {
    const file = path.resolve(folder, d.path);
    if (!texts.has(file)) texts.set(file, read(file));
    const text = texts.get(file);
    const at = (offset: number) => (text === undefined ? { line: 0, character: 0 } : positionOfByte(text, offset));
    return {
      file,
      severity: d.severity,
      code: d.code,
      message: d.message,
      start: at(d.range.start.offset),
      end: at(d.range.end.offset),
    };
  });
}
