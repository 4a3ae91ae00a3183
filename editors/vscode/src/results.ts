// How a lens command's answer reads: a line for the output channel and a
// short text for the end of the export's line. The answer is the server's
// (README, "Lens commands, for any client").

export interface LensAnswer {
  ok: boolean;
  kind?: string;
  result?: string | null;
  results?: string[];
  durationMs?: number;
  compileMs?: number;
  exitCode?: number;
  text?: string;
  error?: string;
  limit?: string;
  backtrace?: string[] | string;
  /** Zero-based, as LSP positions. */
  location?: { uri: string; line: number; character: number } | null;
  stale?: boolean;
  tree?: string;
  command?: string;
}

/** `0.31 ms`, `12 ms`, `1.4 s`. */
export function duration(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return "";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The WAVE value(s) of a successful invoke. */
export function waveResult(answer: LensAnswer): string {
  if (answer.result !== undefined && answer.result !== null) return answer.result;
  if (answer.results && answer.results.length > 0) return answer.results.join(", ");
  return "()";
}

/** The closing line of a run in the output channel. */
export function summaryLine(command: string, answer: LensAnswer): string {
  const timing = [
    answer.durationMs !== undefined ? `in ${duration(answer.durationMs)}` : "",
    answer.compileMs ? `compiled in ${duration(answer.compileMs)}` : "",
  ]
    .filter((t) => t !== "")
    .join(", ");
  const when = timing ? ` (${timing})` : "";
  const stale = answer.stale ? " [stale build: the component is older than its WIT]" : "";
  if (!answer.ok) {
    const limit = answer.limit ? ` [${answer.limit} limit]` : "";
    const where = answer.location
      ? ` at ${decodeURIComponent(answer.location.uri.replace(/^file:\/\//, ""))}:${answer.location.line + 1}`
      : "";
    return `✗ ${answer.error ?? "failed"}${limit}${where}${when}${stale}`;
  }
  switch (command) {
    case "wasmlens.run":
      return `✓ exited with ${answer.exitCode ?? 0}${when}${stale}`;
    case "wasmlens.build":
      return `✓ built${answer.command ? ` (${answer.command})` : ""}${when}`;
    default:
      return `→ ${waveResult(answer)}${when}${stale}`;
  }
}

/** The text shown after the export's line; short, one line. */
export function inlineText(command: string, answer: LensAnswer): string {
  const oneLine = (text: string, max: number) => {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  };
  if (!answer.ok) {
    return `✗ ${oneLine(answer.limit ? `${answer.limit} limit hit` : (answer.error ?? "failed"), 80)}`;
  }
  const took = answer.durationMs !== undefined ? ` · ${duration(answer.durationMs)}` : "";
  if (command === "wasmlens.run") return `✓ exit ${answer.exitCode ?? 0}${took}`;
  if (command === "wasmlens.build") return `✓ built${took}`;
  return `→ ${oneLine(waveResult(answer), 80)}${took}`;
}

/** The backtrace as lines, whichever shape the server sent. */
export function backtraceLines(answer: LensAnswer): string[] {
  if (!answer.backtrace) return [];
  return Array.isArray(answer.backtrace) ? answer.backtrace : answer.backtrace.split("\n");
}
