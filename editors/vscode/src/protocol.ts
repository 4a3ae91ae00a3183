// wasmlens' extensions to the protocol, as the server sends and accepts
// them (README, "Lens commands, for any client"; the server's
// `server/src/lsp/ext.rs`). Types only, no vscode import.
//
// scripts/check-protocol.mjs type-checks the server's snapshots of each
// answer against these types (test/contract), so a field the server adds,
// drops or renames fails `scripts/test.sh` until this file follows.

/** The commands a lens runs; each takes one {@link LensCommandArgument}. */
export const RUN = "wasmlens.run";
export const INVOKE = "wasmlens.invoke";
export const TRACE = "wasmlens.trace";
export const BUILD = "wasmlens.build";
/** ⏵ Debug: answers a {@link TemplateAnswer} or a {@link DebugConfigAnswer};
 * the client starts the session (`wasmlens dap`). */
export const DEBUG_CONFIG = "wasmlens.debugConfig";
/** ▶ Request and Trace Request: an HTTP request to a world that exports
 * `wasi:http/incoming-handler`; answers a {@link RequestAnswer}. */
export const REQUEST = "wasmlens.request";
export const LENS_COMMANDS: readonly string[] = [RUN, INVOKE, TRACE, BUILD, DEBUG_CONFIG, REQUEST];
/** A component's WIT: takes {@link ExportsArgument}, answers {@link ExportsAnswer}. */
export const EXPORTS = "wasmlens.exports";
/** Notification: {@link OutputParams}. */
export const OUTPUT = "wasmlens/output";
/** Request: {@link DebugParams}, answers `"ok"`. */
export const DEBUG = "wasmlens/debug";

export type LensKind = "run" | "invoke" | "trace" | "build" | "debug" | "request" | "traceRequest" | "missing";

/** What a lens is about: its `data`, and its command's argument. */
export interface LensData {
  kind: LensKind;
  /** The WIT file the lens is in. */
  uri: string;
  /** `ns:pkg/world`. */
  world: string;
  /** The function as a call names it (`add`, `ns:pkg/iface@1.0.0.f`). */
  export?: string;
  /** The lens is about a component older than its WIT. */
  stale: boolean;
  /** For a `missing` lens: the explanation. */
  note?: string;
}

/** The argument of a lens command: the lens' data, plus what the user typed. */
export interface LensCommandArgument extends LensData {
  /** Invoke, trace and debug of an export: WAVE arguments such as
   * `(1, "x")`; without them the answer is a {@link TemplateAnswer}. */
  arguments?: string;
  /** Run, and debug of a command: the program's arguments (its name comes
   * first on its own). */
  args?: string[];
  /** Request: `GET` (the default), `POST`, … */
  method?: string;
  /** Request: path and query, `/` by default. */
  path?: string;
  /** Request: `[name, value]` pairs. */
  headers?: [string, string][];
  /** Request: the body, as text. */
  body?: string;
}

/** Invoke, trace or debug of an export without `arguments`: a WAVE
 * template to pre-fill a prompt. */
export interface TemplateAnswer {
  kind: "template";
  export: string;
  /** `(0, "")`: one placeholder per parameter. */
  template: string;
  /** The component's path. */
  component: string;
}

export type LimitName = "fuel" | "timeout" | "memory" | "instances" | "tables" | "cancelled";

/** A place in a source file, zero-based as LSP positions. */
export interface SourceLocation {
  uri: string;
  line: number;
  character: number;
}

/** One call of a trace: the export at the root, the imports it made below. */
export interface TracedCall {
  direction: "export" | "import";
  interface: string | null;
  function: string;
  arguments: { name: string; value: string }[];
  /** The result in WAVE; null when the call did not return. */
  result: string | null;
  startMs: number;
  /** Null when the call did not return. */
  durationMs: number | null;
  calls: TracedCall[];
}

/** A run, invoke or trace that happened, whether the guest succeeded or not. */
export interface ExecutionAnswer {
  kind: "run" | "invoke" | "trace";
  /** The id this run's `wasmlens/output` notifications carry. */
  runId: string;
  /** The component's path. */
  component: string;
  /** The component is older than its WIT. */
  stale: boolean;
  /** Time spent compiling before the run (0 when cached). */
  compileMs: number;
  /** The guest wrote more than is kept; the rest was dropped. */
  outputTruncated: boolean;
  ok: boolean;
  /** What to show: the result line, the trace tree, or the failure. */
  text: string;
  /** Invoke, trace: every result in WAVE. */
  results?: string[];
  /** Invoke, trace: the results as one WAVE value (a tuple when several). */
  result?: string;
  /** Run: the program's exit code. */
  exitCode?: number;
  durationMs?: number;
  /** Trace: the export's call with the imports it made, nested. */
  trace?: TracedCall;
  /** Trace: the same as readable lines. */
  tree?: string;
  /** Trace: calls beyond the recording limit. */
  droppedCalls?: number;
  /** Failed: why. */
  error?: string;
  /** Failed on a limit: which one. */
  limit?: LimitName;
  /** Failed: the wasm frames, innermost first. */
  backtrace?: string[];
  /** Failed: the source line of the innermost frame that has one. */
  location?: SourceLocation;
}

/** A build command that ran (`ok` is its exit code being 0). */
export interface BuildAnswer {
  kind: "build";
  runId: string;
  ok: boolean;
  exitCode: number;
  command: string;
  durationMs: number;
  text: string;
}

/** A request that was handled, or whose handler failed (`ok` is whether
 * the handler answered, whatever the status). */
export interface RequestAnswer extends Omit<ExecutionAnswer, "kind"> {
  kind: "request";
  /** `GET /path`. */
  request: string;
  status?: number;
  /** `[name, value]` pairs, in the order the handler set them. */
  headers: [string, string][];
  /** The body as text; one that is not UTF-8 as its size and a hex preview. */
  body?: string;
  bodyBytes?: number;
  /** Whether `body` is the body itself or its description. */
  bodyIsText?: boolean;
}

/** What a lens command answers once it has run something. */
export type RunAnswer = ExecutionAnswer | BuildAnswer | RequestAnswer;

/** A directory a debugged component may open. */
export interface LaunchDir {
  /** Absolute, or relative to the configuration's `cwd`. */
  host: string;
  /** Where the component sees it (default: the host path). */
  guest?: string;
  readOnly?: boolean;
}

/** A `wasmlens` launch configuration, as launch.json holds it and
 * `wasmlens dap` takes it (package.json `contributes.debuggers` describes
 * each field to the user). */
export interface LaunchConfiguration {
  type: "wasmlens";
  request: "launch";
  name: string;
  /** The `.wasm` (or `.wat`) to debug, relative to `cwd`. */
  component: string;
  /** A WAVE call such as `add(1, 2)`; without it the component runs as a
   * `wasi:cli/run` command. */
  invoke?: string;
  /** A command's arguments (its name comes first on its own). */
  args?: string[];
  env?: Record<string, string>;
  dirs?: LaunchDir[];
  allowNet?: boolean;
  /** Stop before the first instruction. */
  stopOnEntry?: boolean;
  /** What relative paths are relative to. */
  cwd?: string;
}

/** ⏵ Debug, once it knows what to call: the session to start. */
export interface DebugConfigAnswer {
  kind: "debugConfig";
  /** Filled in full: the component's absolute path, the call or the
   * command's arguments, and the grants of `[run]`. */
  configuration: LaunchConfiguration;
  /** The component is older than its WIT. */
  stale: boolean;
  /** What the user should know first: no debug info, a stale build,
   * grants withheld. */
  hint?: string;
}

/** Anything a lens command answers. */
export type LensAnswer = TemplateAnswer | RunAnswer | DebugConfigAnswer;

/** The argument of `wasmlens.exports`. */
export interface ExportsArgument {
  /** A `.wasm` or `.wat` component. */
  uri: string;
}

/** The answer of `wasmlens.exports`. */
export interface ExportsAnswer {
  path: string;
  /** The component's WIT, as `wasm-tools component wit` prints it. */
  wit: string;
}

/** `wasmlens/output`: a piece of a run's or build's output, sent before
 * the command's answer. */
export interface OutputParams {
  /** The run this output belongs to; the answer carries the same id. */
  runId: string;
  stream: "stdout" | "stderr";
  text: string;
}

/** `wasmlens/debug`: wait, then fail the way a bug would, on demand. */
export interface DebugParams {
  /** Panic inside the request's work. */
  panic?: boolean;
  /** Wait this long first (at most a minute). */
  sleepMs?: number;
}
