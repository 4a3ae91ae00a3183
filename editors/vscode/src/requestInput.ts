// The input box of ▶ Request: one line, `METHOD PATH`, then headers after
// `;`, then the body after ` | `:
//
//   GET /
//   POST /items; content-type: application/json | {"name": "x"}
//
// Parsed here into what `wasmlens.request` takes; no vscode import.

/** What the box starts with the first time. */
export const FIRST_REQUEST = "GET /";

export interface RequestFields {
  method: string;
  path: string;
  headers: [string, string][];
  body?: string;
}

/** The request the line describes, or why it does not describe one. */
export function parseRequest(line: string): RequestFields | string {
  const bar = line.indexOf(" | ");
  const head = bar < 0 ? line : line.slice(0, bar);
  const body = bar < 0 ? undefined : line.slice(bar + 3);
  const [requestLine, ...headerParts] = head.split(";");
  const words = requestLine
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  if (words.length === 0) return "write a method and a path, e.g. GET /";
  const [method, path = "/", ...extra] = words;
  if (!/^[A-Za-z-]+$/.test(method)) return `\`${method}\` is not an HTTP method (GET, POST, PUT, DELETE, …)`;
  if (!path.startsWith("/")) return `the path \`${path}\` must start with /`;
  if (extra.length > 0) return `unexpected \`${extra.join(" ")}\`: headers come after \`;\`, the body after \` | \``;
  const headers: [string, string][] = [];
  for (const part of headerParts) {
    if (part.trim() === "") continue;
    const colon = part.indexOf(":");
    if (colon <= 0) return `the header \`${part.trim()}\` is not \`name: value\``;
    headers.push([part.slice(0, colon).trim(), part.slice(colon + 1).trim()]);
  }
  return { method: method.toUpperCase(), path, headers, ...(body === undefined ? {} : { body }) };
}

/** The problem to show under the box, if any. */
export function requestProblem(line: string): string | undefined {
  const parsed = parseRequest(line);
  return typeof parsed === "string" ? parsed : undefined;
}
