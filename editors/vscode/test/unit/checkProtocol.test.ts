// scripts/check-protocol.mjs on snapshots made here: what the server may
// send in the future, checked against src/protocol.ts as scripts/test.sh
// checks the real snapshots.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const script = resolve(__dirname, "../../scripts/check-protocol.mjs");
const scratch = mkdtempSync(join(tmpdir(), "wasmlens-protocol-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const build = {
  kind: "build",
  runId: "6",
  ok: true,
  exitCode: 0,
  command: "make",
  durationMs: 120.5,
  text: "`make` exited with 0 after 121 ms",
};
const output = { runId: "6", stream: "stderr", text: "warning: unused\n" };
/** As the server answers ⏵ Debug (server/src/lsp/ext.rs, DebugConfigAnswer). */
const debugConfig = {
  kind: "debugConfig",
  configuration: {
    type: "wasmlens",
    request: "launch",
    name: "Debug add(20, 22) (example:calc/calc)",
    component: "/workspace/build/calc.wasm",
    invoke: "add(20, 22)",
    args: [],
    env: { LANG: "C" },
    dirs: [{ host: "/workspace/data", guest: "/data", readOnly: true }],
    allowNet: false,
    stopOnEntry: false,
    cwd: "/workspace",
  },
  stale: false,
};

/** Writes `snapshots` (name → value) as insta files, runs the script on
 * them; returns its exit code, its messages and the file it wrote. */
function check(name: string, snapshots: Record<string, unknown>) {
  const folder = join(scratch, name);
  mkdirSync(folder, { recursive: true });
  for (const [snapshot, value] of Object.entries(snapshots)) {
    const header = "---\nsource: tests/tests/e2e/lens_protocol.rs\nexpression: answer\n---\n";
    writeFileSync(join(folder, `e2e__lens_protocol__${snapshot}.snap`), `${header}${JSON.stringify(value, null, 2)}\n`);
  }
  const out = join(folder, "answers.generated.ts");
  const run = spawnSync(process.execPath, [script, folder, out], { encoding: "utf8" });
  return { status: run.status, messages: `${run.stdout}${run.stderr}`, out };
}

/** The type errors of `file`, as tsc reports them. */
function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("the protocol contract check", () => {
  it("accepts answers that match the types", () => {
    const { status, out } = check("good", { BuildAnswer: build, "OutputParams-stderr": output });
    expect(status).toBe(0);
    expect(typeErrors(out)).toEqual([]);
  });

  it("accepts a debug lens' launch configuration, with a hint or without", () => {
    const hint = "/workspace/build/calc.wasm has no debug info: it debugs by instruction only";
    const { status, out } = check("debug", {
      "LensAnswer-debugConfig": debugConfig,
      "LensAnswer-debugConfig-hint": { ...debugConfig, hint },
    });
    expect(status).toBe(0);
    expect(typeErrors(out)).toEqual([]);
    const { out: wrong } = check("debug-wrong", {
      "LensAnswer-debugConfig": { ...debugConfig, configuration: { ...debugConfig.configuration, type: "lldb" } },
    });
    expect(typeErrors(wrong).join("\n")).toMatch(/"lldb"/);
  });

  it("fails on a field the server sends that the types lack", () => {
    const { status, out } = check("extra", { BuildAnswer: { ...build, cacheHit: true } });
    expect(status).toBe(0);
    expect(typeErrors(out).join("\n")).toMatch(/'"cacheHit"' does not exist in type 'BuildAnswer'/);
  });

  it("fails on a required field the server leaves out", () => {
    const { text: _, ...withoutText } = build;
    const { out } = check("missing", { BuildAnswer: withoutText });
    expect(typeErrors(out).join("\n")).toMatch(/Property 'text' is missing/);
  });

  it("fails on a value of another type", () => {
    const { out } = check("other", { OutputParams: { ...output, stream: "stdin" } });
    expect(typeErrors(out).join("\n")).toMatch(/"stdin"/);
  });

  it("fails loudly without snapshots, and on a name that is no type", () => {
    const none = check("none", {});
    expect(none.status).toBe(1);
    expect(none.messages).toMatch(/no e2e__lens_protocol__\*\.snap in/);
    const badName = check("bad-name", { "build-answer": build });
    expect(badName.status).toBe(1);
    expect(badName.messages).toMatch(/`build` is not a type name/);
  });
});
