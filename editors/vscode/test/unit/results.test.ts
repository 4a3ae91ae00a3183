import { describe, expect, it } from "vitest";

import { type CheckReport, findings, positionOfByte } from "../../src/checkReport";
import type { BuildAnswer, ExecutionAnswer, RunAnswer } from "../../src/protocol";
import { backtraceLines, duration, inlineText, summaryLine } from "../../src/results";
import { editorRun } from "../../src/runSettings";

/** An answer as the server sends it, with the fields a case is about. */
function executed(fields: Partial<ExecutionAnswer>): ExecutionAnswer {
  return {
    kind: "invoke",
    runId: "1",
    component: "/p/calc.wasm",
    stale: false,
    compileMs: 0,
    outputTruncated: false,
    ok: true,
    text: "",
    ...fields,
  };
}

function built(fields: Partial<BuildAnswer>): BuildAnswer {
  return { kind: "build", runId: "1", ok: true, exitCode: 0, command: "make", durationMs: 1200, text: "", ...fields };
}

describe("answers as text", () => {
  const cases: [string, RunAnswer, string, string][] = [
    [
      "an invoke",
      executed({ result: "42", results: ["42"], durationMs: 0.31, compileMs: 7.4 }),
      "→ 42 (in 0.31 ms, compiled in 7.4 ms)",
      "→ 42 · 0.31 ms",
    ],
    [
      "a stale invoke with several results",
      executed({ results: ["1", '"x"'], durationMs: 2, stale: true }),
      '→ 1, "x" (in 2.0 ms) [stale build: the component is older than its WIT]',
      '→ 1, "x" · 2.0 ms',
    ],
    ["a run", executed({ kind: "run", exitCode: 0, durationMs: 1500 }), "✓ exited with 0 (in 1.5 s)", "✓ exit 0 · 1.5 s"],
    [
      "a run that exits with an error code",
      executed({ kind: "run", ok: false, exitCode: 3, durationMs: 15 }),
      "✗ exited with 3 (in 15.0 ms)",
      "✗ exit 3",
    ],
    [
      "a limit",
      executed({ ok: false, error: "ran out of fuel", limit: "fuel", durationMs: 120 }),
      "✗ ran out of fuel [fuel limit] (in 120 ms)",
      "✗ fuel limit hit",
    ],
    [
      "a trap with a source line",
      executed({ ok: false, error: "unreachable", location: { uri: "file:///p/greet%20me.c", line: 10, character: 2 } }),
      "✗ unreachable at /p/greet me.c:11",
      "✗ unreachable",
    ],
    ["a build", built({}), "✓ built (make) (in 1.2 s)", "✓ built · 1.2 s"],
    ["a failed build", built({ ok: false, exitCode: 2 }), "✗ the build exited with 2 (make) (in 1.2 s)", "✗ build exit 2"],
  ];
  for (const [name, answer, summary, inline] of cases) {
    it(name, () => {
      expect(summaryLine(answer)).toBe(summary);
      expect(inlineText(answer)).toBe(inline);
    });
  }

  it("durations are short", () => {
    expect([0.004, 0.5, 12.34, 250.4, 12_345].map(duration)).toEqual(["0.00 ms", "0.50 ms", "12.3 ms", "250 ms", "12.3 s"]);
  });

  it("long results are cut on the line, not in the channel", () => {
    const long = `[${"1, ".repeat(100)}1]`;
    const answer = executed({ result: long });
    expect(inlineText(answer).length).toBeLessThanOrEqual(82);
    expect(summaryLine(answer)).toContain(long);
  });

  it("a failure's backtrace is listed, a build has none", () => {
    expect(backtraceLines(executed({ ok: false, error: "trap", backtrace: ["0: f", "1: g"] }))).toEqual(["0: f", "1: g"]);
    expect(backtraceLines(built({ ok: false }))).toEqual([]);
  });
});

describe("check reports", () => {
  it("byte offsets become UTF-16 positions", () => {
    const text = "// é😀\nworld w { x }\n";
    expect(positionOfByte(text, 0)).toEqual({ line: 0, character: 0 });
    // "// é😀" is 3 + 2 + 4 bytes; in UTF-16, 3 + 1 + 2 units.
    expect(positionOfByte(text, 9)).toEqual({ line: 0, character: 6 });
    expect(positionOfByte(text, 10 + 6)).toEqual({ line: 1, character: 6 });
  });

  it("findings are placed in their files", () => {
    const report: CheckReport = {
      version: 1,
      diagnostics: [
        {
          path: "wit/api.wit",
          severity: "error",
          code: "unknown-name",
          message: "name `nope` does not exist",
          range: { start: { offset: 7 }, end: { offset: 11 } },
        },
      ],
      summary: { errors: 1, warnings: 0, files: 1 },
    };
    const texts: Record<string, string> = { "/ws/wit/api.wit": "a\nbcde nope;\n" };
    expect(findings(report, "/ws", (f) => texts[f])).toEqual([
      {
        file: "/ws/wit/api.wit",
        severity: "error",
        code: "unknown-name",
        message: "name `nope` does not exist",
        start: { line: 1, character: 5 },
        end: { line: 1, character: 9 },
      },
    ]);
  });

  it("another report version is refused with a next step", () => {
    expect(() => findings({ version: 2, diagnostics: [], summary: { errors: 0, warnings: 0, files: 0 } }, "/", () => "")).toThrow(
      /Update the extension/,
    );
  });
});

describe("run settings for the server", () => {
  it("leaves unset values out and makes dirs absolute", () => {
    expect(
      editorRun(
        {
          fuel: null,
          timeout: "2s",
          maxMemory: "",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: VS Code's own ${workspaceFolder} variable, which the setting may hold
          dirs: [{ host: "${workspaceFolder}/data", guest: "/data" }, { host: "out", readOnly: true }, { host: "/abs" }],
          env: { A: "1" },
          allowNet: null,
        },
        "/ws",
      ),
    ).toEqual({
      timeout: "2s",
      dirs: [
        { host: "/ws/data", guest: "/data", readOnly: false },
        { host: "/ws/out", guest: "out", readOnly: true },
        { host: "/abs", guest: "/abs", readOnly: false },
      ],
      env: { A: "1" },
    });
  });

  it("keeps an explicit false", () => {
    expect(editorRun({ allowNet: false, fuel: 10 }, undefined)).toEqual({ allowNet: false, fuel: 10, dirs: [], env: {} });
  });
});
