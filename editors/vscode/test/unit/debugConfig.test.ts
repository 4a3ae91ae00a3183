import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

import { adapterCommand, DEBUG_TYPE, type DebugLensHost, debugFromLens, resolveLaunch, UNTRUSTED } from "../../src/debugConfig";
import type { DebugConfigAnswer, LaunchConfiguration, LensCommandArgument, LensData } from "../../src/protocol";

const add: LensData = { kind: "debug", uri: "file:///p/wit/calc.wit", world: "example:calc/calc", export: "add", stale: false };
const hello: LensData = { kind: "debug", uri: "file:///p/wit/calc.wit", world: "example:calc/hello", stale: false };

function configuration(invoke?: string): LaunchConfiguration {
  return {
    type: "wasmlens",
    request: "launch",
    name: invoke ? `Debug ${invoke} (calc)` : "Debug hello",
    component: "/p/build/calc.wasm",
    ...(invoke ? { invoke } : {}),
    args: [],
    env: {},
    dirs: [],
    allowNet: false,
    stopOnEntry: false,
    cwd: "/p",
  };
}

/** A server that answers a template for an export without arguments and a
 * launch configuration otherwise, and a user who types `typed`; records
 * what happened. */
function fakeHost(typed: string | undefined, hint?: string) {
  const requests: LensCommandArgument[] = [];
  const asked: string[] = [];
  const informed: string[] = [];
  const started: LaunchConfiguration[] = [];
  const host: DebugLensHost = {
    request: async (argument) => {
      requests.push(argument);
      if (argument.export && argument.arguments === undefined) {
        return { kind: "template", export: argument.export, template: "(0, 0)", component: "/p/build/calc.wasm" };
      }
      const invoke = argument.export ? `${argument.export}${argument.arguments}` : undefined;
      const answer: DebugConfigAnswer = {
        kind: "debugConfig",
        configuration: configuration(invoke),
        stale: false,
        ...(hint ? { hint } : {}),
      };
      return answer;
    },
    askArguments: async (template) => {
      asked.push(template);
      return typed;
    },
    inform: (message) => informed.push(message),
    start: async (launch) => started.push(launch),
  };
  return { host, requests, asked, informed, started };
}

describe("debugFromLens", () => {
  it("asks an export's arguments with the template, then starts the call", async () => {
    const fake = fakeHost("(20, 22)");
    const answer = await debugFromLens(add, fake.host);
    expect(fake.asked).toEqual(["(0, 0)"]);
    expect(fake.requests).toEqual([{ ...add }, { ...add, arguments: "(20, 22)" }]);
    expect(fake.started).toEqual([configuration("add(20, 22)")]);
    expect(answer?.configuration.invoke).toBe("add(20, 22)");
    expect(fake.informed).toEqual([]);
  });

  it("starts nothing when the question is dismissed", async () => {
    const fake = fakeHost(undefined);
    expect(await debugFromLens(add, fake.host)).toBeUndefined();
    expect(fake.requests).toHaveLength(1);
    expect(fake.started).toEqual([]);
  });

  it("debugs a command world at once, without a question", async () => {
    const fake = fakeHost("never asked");
    await debugFromLens(hello, fake.host);
    expect(fake.asked).toEqual([]);
    expect(fake.requests).toEqual([{ ...hello }]);
    expect(fake.started).toEqual([configuration()]);
  });

  it("shows the hint, and still starts", async () => {
    const hint = "/p/build/calc.wasm has no debug info: it debugs by instruction only";
    const fake = fakeHost("(1, 2)", hint);
    await debugFromLens(add, fake.host);
    expect(fake.informed).toEqual([`wasmlens: ${hint}`]);
    expect(fake.started).toHaveLength(1);
  });

  it("fails with a message on an answer that is no launch configuration", async () => {
    const answers: [unknown, string][] = [
      [{ kind: "invoke", ok: true }, "`invoke`"],
      [null, "nothing"],
      [{ configuration: {} }, "a value without a `kind`"],
      [{ kind: "debugConfig" }, "`debugConfig`"],
    ];
    for (const [answer, named] of answers) {
      const fake = fakeHost("(1, 2)");
      fake.host.request = async () => answer;
      await expect(debugFromLens(hello, fake.host)).rejects.toThrow(
        `wasmlens.debugConfig answered ${named}, not a launch configuration; the server and the extension are of different versions: update both.`,
      );
      expect(fake.started).toEqual([]);
    }
  });

  it("passes the server's failure on", async () => {
    const fake = fakeHost("(1, 2)");
    fake.host.request = async () => {
      throw new Error("no component for example:calc/calc: build it first");
    };
    await expect(debugFromLens(add, fake.host)).rejects.toThrow("no component for example:calc/calc");
    expect(fake.started).toEqual([]);
  });
});

describe("resolveLaunch", () => {
  const launch = { type: "wasmlens", request: "launch", name: "Debug add", component: "build/calc.wasm", invoke: "add(1, 2)" };

  it("defaults cwd to the workspace folder, and keeps a given one", () => {
    expect(resolveLaunch(launch, "/p", true)).toEqual({ kind: "start", configuration: { ...launch, cwd: "/p" } });
    const elsewhere = { ...launch, cwd: "/q" };
    expect(resolveLaunch(elsewhere, "/p", true)).toEqual({ kind: "start", configuration: elsewhere });
    expect(resolveLaunch(launch, undefined, true)).toEqual({ kind: "start", configuration: launch });
  });

  it("opens launch.json when F5 finds no configuration", () => {
    expect(resolveLaunch({}, "/p", true)).toEqual({ kind: "openLaunchJson" });
  });

  it("refuses without a component, saying what to put there", () => {
    for (const component of [undefined, "", "  ", 7]) {
      const decision = resolveLaunch({ ...launch, component }, "/p", true);
      expect(decision).toEqual({
        kind: "refuse",
        message:
          'wasmlens: the launch configuration "Debug add" has no `component`: the .wasm to debug, such as "$' +
          '{workspaceFolder}/build/app.wasm". Or click ⏵ Debug above an export or a command world in its WIT.',
      });
    }
  });

  it("refuses in an untrusted workspace", () => {
    expect(resolveLaunch(launch, "/p", false)).toEqual({ kind: "refuse", message: UNTRUSTED });
  });
});

describe("adapterCommand", () => {
  const found = { ok: true as const, path: "/usr/bin/wasmlens", source: "path" as const, description: "wasmlens on PATH" };

  it("starts the language server's binary with `dap`", () => {
    expect(adapterCommand(true, found)).toEqual({ ok: true, command: "/usr/bin/wasmlens", args: ["dap"] });
  });

  it("refuses in an untrusted workspace, and without a server says why", () => {
    expect(adapterCommand(false, found)).toEqual({ ok: false, message: UNTRUSTED });
    expect(adapterCommand(true, { ok: false, message: "No wasmlens server found." })).toEqual({
      ok: false,
      message: "wasmlens: no debug adapter to start. No wasmlens server found.",
    });
  });
});

describe("package.json's debugger", () => {
  const manifest = JSON.parse(readFileSync(resolve(__dirname, "../../package.json"), "utf8"));
  const [debuggerEntry] = manifest.contributes.debuggers;

  /** The fields of an interface in src/protocol.ts, read by the compiler. */
  function fieldsOf(name: string): string[] {
    const file = resolve(__dirname, "../../src/protocol.ts");
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022);
    const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
    if (!declaration) throw new Error(`no interface ${name} in src/protocol.ts`);
    return declaration.members.map((m) => (m.name as ts.Identifier).text);
  }

  it("describes every field of LaunchConfiguration, and only those", () => {
    // VS Code itself describes type, request and name.
    const fields = fieldsOf("LaunchConfiguration").filter((f) => !["type", "request", "name"].includes(f));
    const launch = debuggerEntry.configurationAttributes.launch;
    expect(Object.keys(launch.properties).sort()).toEqual(fields.sort());
    expect(launch.required).toEqual(["component"]);
    expect(Object.keys(launch.properties.dirs.items.properties).sort()).toEqual(fieldsOf("LaunchDir").sort());
  });

  it("has the type the extension registers, and activates for it", () => {
    expect(debuggerEntry.type).toBe(DEBUG_TYPE);
    expect(manifest.activationEvents).toContain(`onDebugResolve:${DEBUG_TYPE}`);
    for (const initial of debuggerEntry.initialConfigurations) expect(initial.type).toBe(DEBUG_TYPE);
  });
});
