// How a lens command's answer reads: a line for the output channel and a
// short text for the end of the export's line. The answer is the server's
// (protocol.ts); its `kind` says what ran.

import type { ExecutionAnswer, RequestAnswer, RunAnswer } from "./protocol";

/** `0.31 ms`, `12 ms`, `1.4 s`. */
export function duration(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return "";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The WAVE value(s) of a successful invoke. */
export function waveResult(answer: ExecutionAnswer | RequestAnswer): string {
  if (answer.kind === "request") return `${answer.status ?? "?"}`;
  if (answer.result !== undefined) return answer.result;
  if (answer.results && answer.results.length > 0) return answer.results.join(", ");
  return "()";
}

/** The closing line of a run in the output channel. */
export function summaryLine(answer: RunAnswer): string {
  const compileMs = answer.kind === "build" ? 0 : answer.compileMs;
  const timing = [
    answer.durationMs !== undefined ? `in ${duration(answer.durationMs)}` : "",
    compileMs ? `compiled in ${duration(compileMs)}` : "",
  ]
    .filter((t) => t !== "")
    .join(", ");
  const when = timing ? ` (${timing})` : "";
  if (answer.kind === "build") {
    return answer.ok ? `✓ built (${answer.command})${when}` : `✗ the build exited with ${answer.exitCode} (${answer.command})${when}`;
  }
  const stale = answer.stale ? " [stale build: the component is older than its WIT]" : "";
  if (!answer.ok) {
    const limit = answer.limit ? ` [${answer.limit} limit]` : "";
    const where = answer.location
      ? ` at ${decodeURIComponent(answer.location.uri.replace(/^file:\/\//, ""))}:${answer.location.line + 1}`
      : "";
    return `✗ ${answer.error ?? `exited with ${answer.exitCode ?? "an error"}`}${limit}${where}${when}${stale}`;
  }
  if (answer.kind === "run") return `✓ exited with ${answer.exitCode ?? 0}${when}${stale}`;
  if (answer.kind === "request") return `← ${answer.status ?? "?"}${when}${stale}`;
  return `→ ${waveResult(answer)}${when}${stale}`;
}

/** The text shown after the export's line; short, one line. */
export function inlineText(answer: RunAnswer): string {
  const oneLine = (text: string, max: number) => {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  };
  const took = answer.durationMs !== undefined ? ` · ${duration(answer.durationMs)}` : "";
  if (answer.kind === "build") return answer.ok ? `✓ built${took}` : `✗ build exit ${answer.exitCode}`;
  if (!answer.ok) {
    const why = answer.limit ? `${answer.limit} limit hit` : (answer.error ?? `exit ${answer.exitCode ?? "?"}`);
    return `✗ ${oneLine(why, 80)}`;
  }
  if (answer.kind === "run") return `✓ exit ${answer.exitCode ?? 0}${took}`;
  if (answer.kind === "request") return `← ${answer.status ?? "?"} ${oneLine(answer.body ?? "", 60)}${took}`;
  return `→ ${oneLine(waveResult(answer), 80)}${took}`;
}

/** The wasm backtrace of a failed run, innermost frame first. */
export function backtraceLines(answer: RunAnswer): string[] {
  return answer.kind === "build" ? [] : (answer.backtrace ?? []);
}
