// Which `wasmlens` binary the extension starts, in rust-analyzer's order:
// the user's setting, a developer's environment override, `wasmlens` on
// PATH, then the binary bundled in a platform .vsix. Pure: the file system
// and environment come in as a probe, so the order is unit-tested.

import * as path from "node:path";

export type ServerSource = "setting" | "environment" | "path" | "bundled";

export const ENV_OVERRIDE = "WASMLENS_SERVER";

export type ServerChoice = { ok: true; path: string; source: ServerSource; description: string } | { ok: false; message: string };

export interface Probe {
  isExecutable(file: string): boolean;
  env: Record<string, string | undefined>;
  platform: string;
}

/** The binary's file name on this platform. */
export function binaryName(platform: string): string {
  return platform === "win32" ? "wasmlens.exe" : "wasmlens";
}

/**
 * The server to start. A setting or override that names a missing file is
 * an error, not a reason to quietly start another binary.
 */
export function resolveServer(setting: string | null | undefined, extensionPath: string, probe: Probe): ServerChoice {
  const name = binaryName(probe.platform);
  if (setting && setting.trim() !== "") {
    const file = expandHome(setting.trim(), probe.env);
    return probe.isExecutable(file)
      ? { ok: true, path: file, source: "setting", description: `wasmlens.server.path (${file})` }
      : {
          ok: false,
          message: `wasmlens.server.path is ${file}, which is not an executable file. Fix the setting, or clear it to use wasmlens from PATH.`,
        };
  }
  const override = probe.env[ENV_OVERRIDE];
  if (override && override.trim() !== "") {
    const file = override.trim();
    return probe.isExecutable(file)
      ? { ok: true, path: file, source: "environment", description: `$${ENV_OVERRIDE} (${file})` }
      : {
          ok: false,
          message: `$${ENV_OVERRIDE} is ${file}, which is not an executable file. Unset it, or point it at a wasmlens build (cargo build -p wasmlens).`,
        };
  }
  const separator = probe.platform === "win32" ? ";" : ":";
  for (const dir of (probe.env.PATH ?? "").split(separator)) {
    if (dir === "") continue;
    const file = path.join(dir, name);
    if (probe.isExecutable(file)) {
      return { ok: true, path: file, source: "path", description: `wasmlens on PATH (${file})` };
    }
  }
  const bundled = path.join(extensionPath, "server", name);
  if (probe.isExecutable(bundled)) {
    return { ok: true, path: bundled, source: "bundled", description: `the bundled server (${bundled})` };
  }
  return {
    ok: false,
    message:
      "No wasmlens server found: wasmlens.server.path is unset, wasmlens is not on PATH and this .vsix bundles no server. " +
      "Install it with `cargo install --locked --path server` (from a wasmlens checkout), or set wasmlens.server.path, then run 'Wasmlens: Restart Server'.",
  };
}

function expandHome(file: string, env: Record<string, string | undefined>): string {
  if (file === "~" || file.startsWith("~/")) {
    return path.join(env.HOME ?? "~", file.slice(1));
  }
  return file;
}
