import { describe, expect, it } from "vitest";

import { type Probe, resolveServer } from "../../src/serverPath";

/** A file system where exactly `executables` exist and run. */
function probe(executables: string[], env: Record<string, string> = {}): Probe {
  return { isExecutable: (file) => executables.includes(file), env, platform: "linux" };
}

const EXT = "/ext";

describe("resolveServer", () => {
  const cases: {
    name: string;
    setting?: string;
    executables: string[];
    env?: Record<string, string>;
    expected: { source: string; path: string } | { error: RegExp };
  }[] = [
    {
      name: "the setting wins over everything",
      setting: "/opt/wasmlens",
      executables: ["/opt/wasmlens", "/dev-build/wasmlens", "/usr/bin/wasmlens", "/ext/server/wasmlens"],
      env: { WASMLENS_SERVER: "/dev-build/wasmlens", PATH: "/usr/bin" },
      expected: { source: "setting", path: "/opt/wasmlens" },
    },
    {
      name: "a setting naming a missing file is an error, not a fallback",
      setting: "/nope/wasmlens",
      executables: ["/usr/bin/wasmlens"],
      env: { PATH: "/usr/bin" },
      expected: { error: /wasmlens\.server\.path is \/nope\/wasmlens, which is not an executable/ },
    },
    {
      name: "~ in the setting is the home directory",
      setting: "~/.cargo/bin/wasmlens",
      executables: ["/home/me/.cargo/bin/wasmlens"],
      env: { HOME: "/home/me" },
      expected: { source: "setting", path: "/home/me/.cargo/bin/wasmlens" },
    },
    {
      name: "the developer override comes next",
      setting: "  ",
      executables: ["/dev-build/wasmlens", "/usr/bin/wasmlens"],
      env: { WASMLENS_SERVER: "/dev-build/wasmlens", PATH: "/usr/bin" },
      expected: { source: "environment", path: "/dev-build/wasmlens" },
    },
    {
      name: "a broken override is an error",
      executables: ["/usr/bin/wasmlens"],
      env: { WASMLENS_SERVER: "/gone", PATH: "/usr/bin" },
      expected: { error: /\$WASMLENS_SERVER is \/gone/ },
    },
    {
      name: "then the first wasmlens on PATH",
      executables: ["/b/wasmlens", "/c/wasmlens", "/ext/server/wasmlens"],
      env: { PATH: "/a::/b:/c" },
      expected: { source: "path", path: "/b/wasmlens" },
    },
    {
      name: "then the bundled binary",
      executables: ["/ext/server/wasmlens"],
      env: { PATH: "/usr/bin" },
      expected: { source: "bundled", path: "/ext/server/wasmlens" },
    },
    {
      name: "nothing found says how to install",
      executables: [],
      env: { PATH: "/usr/bin" },
      expected: { error: /cargo install --locked --path server.*Restart Server/ },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const choice = resolveServer(c.setting, EXT, probe(c.executables, c.env));
      if ("error" in c.expected) {
        expect(choice.ok).toBe(false);
        if (!choice.ok) expect(choice.message).toMatch(c.expected.error);
      } else {
        expect(choice).toMatchObject({ ok: true, ...c.expected });
      }
    });
  }

  it("looks for wasmlens.exe on Windows", () => {
    const choice = resolveServer(undefined, "C:\\ext", {
      isExecutable: (f) => f.endsWith("wasmlens.exe") && f.startsWith("C:"),
      env: { PATH: "C:\\tools;D:\\x" },
      platform: "win32",
    });
    expect(choice).toMatchObject({ ok: true, source: "path" });
  });
});
