// ⏵ Debug, the client's part: ask the server for a launch configuration
// (`wasmlens.debugConfig`, asking for arguments first when the server
// answers with a template, as Invoke does) and start it; check a
// launch.json configuration before VS Code starts it; and say which
// adapter to start (`wasmlens dap`, the language server's binary). No
// vscode import: lenses.ts and extension.ts hand in what VS Code does.

import type { DebugConfigAnswer, LaunchConfiguration, LensCommandArgument, LensData, TemplateAnswer } from "./protocol";
import type { ServerChoice } from "./serverPath";

/** The `type` of wasmlens launch configurations (package.json `contributes.debuggers`). */
export const DEBUG_TYPE = "wasmlens";

/** Said whenever debugging is refused for trust: a session runs the guest. */
export const UNTRUSTED =
  "wasmlens: debugging runs the component's code, so it needs a trusted workspace. Trust this folder (Workspaces: Manage Workspace Trust), then start again.";

/** What a ⏵ Debug click needs from the server and from VS Code. */
export interface DebugLensHost {
  /** `workspace/executeCommand` `wasmlens.debugConfig` with this argument. */
  request(argument: LensCommandArgument): Promise<unknown>;
  /** Asks for WAVE arguments, starting from `template` (or the last ones
   * typed); undefined when the user dismissed the question. */
  askArguments(template: string): Promise<string | undefined>;
  inform(message: string): void;
  /** Starts the session (VS Code reports its own failures). */
  start(configuration: LaunchConfiguration): Thenable<unknown>;
}

/**
 * A ⏵ Debug click: for an export the server first answers a template, so
 * the user is asked for arguments and the request goes again with them;
 * for a command world the first answer is the configuration. The answer's
 * hint (no debug info, a stale build) is shown before the session starts.
 * Undefined when the user dismissed the question. Throws, with a message
 * for the user, when the server fails or answers something else.
 */
export async function debugFromLens(data: LensData, host: DebugLensHost): Promise<DebugConfigAnswer | undefined> {
  let answer = await host.request({ ...data });
  if (isTemplate(answer)) {
    const typed = await host.askArguments(answer.template);
    if (typed === undefined) return undefined;
    answer = await host.request({ ...data, arguments: typed });
  }
  if (!isDebugConfig(answer)) {
    throw new Error(
      `wasmlens.debugConfig answered ${describe(answer)}, not a launch configuration; the server and the extension are of different versions: update both.`,
    );
  }
  if (answer.hint) host.inform(`wasmlens: ${answer.hint}`);
  await host.start(answer.configuration);
  return answer;
}

function isTemplate(answer: unknown): answer is TemplateAnswer {
  return kindOf(answer) === "template" && typeof (answer as TemplateAnswer).template === "string";
}

function isDebugConfig(answer: unknown): answer is DebugConfigAnswer {
  const configuration = (answer as DebugConfigAnswer | null)?.configuration;
  return kindOf(answer) === "debugConfig" && typeof configuration === "object" && configuration !== null;
}

function kindOf(answer: unknown): unknown {
  return typeof answer === "object" && answer !== null ? (answer as { kind?: unknown }).kind : undefined;
}

function describe(answer: unknown): string {
  const kind = kindOf(answer);
  if (typeof kind === "string") return `\`${kind}\``;
  return answer === null || answer === undefined ? "nothing" : "a value without a `kind`";
}

/** What to do with a configuration VS Code is about to start. */
export type LaunchDecision =
  | { kind: "start"; configuration: Record<string, unknown> }
  /** F5 without a launch.json: VS Code then opens one made from
   * package.json's `initialConfigurations`. */
  | { kind: "openLaunchJson" }
  | { kind: "refuse"; message: string };

/**
 * Checks a launch configuration before VS Code substitutes its variables:
 * refused in an untrusted workspace or without `component`; `cwd`
 * defaults to the workspace folder, so relative paths mean the same as
 * in the lens' configurations.
 */
export function resolveLaunch(configuration: Record<string, unknown>, folder: string | undefined, trusted: boolean): LaunchDecision {
  if (!trusted) return { kind: "refuse", message: UNTRUSTED };
  if (configuration.type === undefined && configuration.request === undefined && configuration.name === undefined) {
    return { kind: "openLaunchJson" };
  }
  const component = configuration.component;
  if (typeof component !== "string" || component.trim() === "") {
    const name = typeof configuration.name === "string" ? `"${configuration.name}" ` : "";
    return {
      kind: "refuse",
      message: `wasmlens: the launch configuration ${name}has no \`component\`: the .wasm to debug, such as "\${workspaceFolder}/build/app.wasm". Or click ⏵ Debug above an export or a command world in its WIT.`,
    };
  }
  const resolved = { ...configuration };
  if ((typeof resolved.cwd !== "string" || resolved.cwd === "") && folder !== undefined) resolved.cwd = folder;
  return { kind: "start", configuration: resolved };
}

/** The debug adapter's process: the language server's binary with `dap`. */
export type AdapterCommand = { ok: true; command: string; args: string[] } | { ok: false; message: string };

export function adapterCommand(trusted: boolean, choice: ServerChoice): AdapterCommand {
  if (!trusted) return { ok: false, message: UNTRUSTED };
  if (!choice.ok) return { ok: false, message: `wasmlens: no debug adapter to start. ${choice.message}` };
  return { ok: true, command: choice.path, args: ["dap"] };
}
