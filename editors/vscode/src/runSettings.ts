// The `wasmlens.run.*` settings as the server's editor layer under
// `wasmlens.toml` `[run]` (README, "wasmlens.toml"). Paths are made
// absolute here, where the workspace folder is known.

import * as path from "node:path";

export interface RunSettingValues {
  fuel?: number | null;
  timeout?: string | null;
  maxMemory?: string | null;
  dirs?: { host: string; guest?: string; readOnly?: boolean }[];
  env?: Record<string, string>;
  allowNet?: boolean | null;
}

export interface EditorRun {
  fuel?: number;
  timeout?: string;
  maxMemory?: string;
  dirs: { host: string; guest?: string; readOnly: boolean }[];
  env: Record<string, string>;
  allowNet?: boolean;
}

/** The settings for the server: unset values left out, so the server's
 * defaults (and the toml) decide. */
export function editorRun(values: RunSettingValues, folder: string | undefined): EditorRun {
  const run: EditorRun = { dirs: [], env: { ...(values.env ?? {}) } };
  if (typeof values.fuel === "number") run.fuel = values.fuel;
  if (values.timeout) run.timeout = values.timeout;
  if (values.maxMemory) run.maxMemory = values.maxMemory;
  if (typeof values.allowNet === "boolean") run.allowNet = values.allowNet;
  for (const dir of values.dirs ?? []) {
    let host = dir.host;
    if (folder !== undefined) {
      host = host.replace(/\$\{workspaceFolder\}/g, folder);
      if (!path.isAbsolute(host)) host = path.join(folder, host);
    }
    run.dirs.push({ host, guest: dir.guest ?? dir.host, readOnly: dir.readOnly ?? false });
  }
  return run;
}
