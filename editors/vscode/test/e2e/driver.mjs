// Drives a real VS Code (code-server) in Debian's headless Chromium with
// playwright-core, on a fixture workspace the Rust test prepared
// (tests/tests/e2e/vscode.rs). Two passes, each a fresh code-server with
// its own user data:
//
// 1. Trusted, with `wasmlens.server.path` set and the universal .vsix:
//    a diagnostic in the Problems panel, ▶ Invoke with typed arguments and
//    the WAVE result in the output and at the end of the line, Trace,
//    cancel from the status bar, a `wasmlens.run.*` setting reaching the
//    server, Format, Show Component Exports, Check Workspace on a closed
//    file, Restart Server, then ⏵ Debug on an export: a debug session of
//    `wasmlens dap` runs the call and ends; and on a C export with DWARF: a
//    breakpoint in lib.c, the C variables, Step Over, Continue.
// 2. Untrusted, with the platform .vsix that bundles the server and no
//    server on PATH or in settings: language features work, no lens is
//    offered; granting trust restarts the server and ▶ Invoke runs.
//
// Steps go to RESULT as JSON; a screenshot of each checkpoint goes to OUT.
//
// Usage: node driver.mjs CODE_SERVER VSIX BUNDLED_VSIX WORKSPACE SERVER OUT RESULT

import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import { chromium } from "playwright-core";

const [codeServer, vsix, bundledVsix, workspace, server, out, resultPath] = process.argv.slice(2);
const result = { steps: [], logs: "" };
const step = (name, ok, detail) => {
  result.steps.push({ name, ok: Boolean(ok), detail: detail ?? null });
  if (!ok) throw new Error(`${name}: ${detail ?? "failed"}`);
};

const quietSettings = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "chat.commandCenter.enabled": false,
  "window.commandCenter": false,
  "files.autoSave": "off",
  "editor.codeLens": true,
  "workbench.editor.enablePreview": false,
  "git.openRepositoryInParentFolders": "never",
};

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

async function waitForHttp(url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${seconds}s`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** PATH without any folder that holds a `wasmlens`, so the extension has to
 * find the server some other way. */
function pathWithoutServer() {
  return (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => {
      try {
        accessSync(join(dir, "wasmlens"), constants.X_OK);
        return false;
      } catch {
        return true;
      }
    })
    .join(delimiter);
}

/**
 * Installs `extension` into a fresh code-server and opens the workspace in
 * Chromium. `trusted: false` leaves Workspace Trust on, so VS Code asks.
 */
async function openVsCode(browser, { name, extension, settings, trusted, env }) {
  const userData = join(out, name, "user-data");
  const extensions = join(out, name, "extensions");
  rmSync(join(out, name), { recursive: true, force: true });
  mkdirSync(join(userData, "User"), { recursive: true });
  const settingsJson = JSON.stringify({ ...quietSettings, ...settings }, null, 2);
  writeFileSync(join(userData, "User", "settings.json"), settingsJson);
  // code-server's window is a remote one: a full configuration reload (as
  // starting a debug session does) drops machine-scoped settings such as
  // wasmlens.server.path from the User file; the Machine file keeps them.
  mkdirSync(join(userData, "Machine"), { recursive: true });
  writeFileSync(join(userData, "Machine", "settings.json"), settingsJson);
  const common = ["--user-data-dir", userData, "--extensions-dir", extensions];
  const install = spawnSync(codeServer, [...common, "--install-extension", extension], { encoding: "utf8", env });
  step(
    `${name}: install the .vsix`,
    install.status === 0 && /successfully installed/i.test(install.stdout),
    `${install.stdout}${install.stderr}`.trim(),
  );

  const port = await freePort();
  const process_ = spawn(
    codeServer,
    [
      ...common,
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--auth",
      "none",
      "--disable-telemetry",
      "--disable-update-check",
      ...(trusted ? ["--disable-workspace-trust"] : []),
      "--disable-getting-started-override",
      "--ignore-last-opened",
      workspace,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env },
  );
  process_.stdout.on("data", (d) => (result.logs += d));
  process_.stderr.on("data", (d) => (result.logs += d));
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60);

  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  const shot = (label) => page.screenshot({ path: join(out, name, `${label}.png`) });
  const close = async () => {
    await page.screenshot({ path: join(out, name, "final.png") }).catch(() => undefined);
    await page.close().catch(() => undefined);
    process_.kill("SIGTERM");
  };
  return { page, shot, close };
}

/** Opens a file with Quick Open, as a user would, and waits for `text`. */
async function openFile(page, editor, file, text) {
  await page.keyboard.press("Control+P");
  await page.locator(".quick-input-widget input").waitFor();
  await page.keyboard.type(file);
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: file }).first().waitFor();
  await page.keyboard.press("Enter");
  await editor.locator(".view-lines").filter({ hasText: text }).waitFor({ timeout: 30_000 });
}

/** Types an unknown type at the end of the open file and waits for the
 * server's error in the Problems panel; returns that row's text. */
async function typeAnError(page, editor) {
  await editor.locator(".view-lines").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\ninterface broken { f: func() -> no-such-type; }\n");
  await page.keyboard.press("Control+Shift+M");
  const problem = page.locator(".markers-panel .monaco-list-row", { hasText: "no-such-type" });
  await problem.first().waitFor({ timeout: 30_000 });
  return (await problem.first().innerText()).replace(/\s+/g, " ");
}

/** Clicks the lens titled `title` above the line that holds `lineText`,
 * and waits for the input box (unless `asks` is false). VS Code re-renders
 * lenses as the server refreshes them, so a click can land on a lens that
 * just left the DOM; then it tries again. */
async function clickLens(page, editor, title, lineText, asks = true) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const line = editor.locator(".view-line", { hasText: lineText }).first();
      const lineBox = await line.boundingBox({ timeout: 3_000 });
      const lenses = editor.locator(".codelens-decoration a", { hasText: title });
      let best = -1;
      let bestY = -Infinity;
      for (let i = 0; i < (await lenses.count()); i++) {
        const box = await lenses.nth(i).boundingBox({ timeout: 1_000 });
        if (box && box.y < lineBox.y && box.y > bestY) {
          best = i;
          bestY = box.y;
        }
      }
      if (best < 0 || lineBox.y - bestY > lineBox.height * 1.5) throw new Error(`no ${title} lens above "${lineText}"`);
      await lenses.nth(best).click({ timeout: 3_000 });
      if (asks) await page.locator(".quick-input-widget input").waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

/** Clicks ▶ Invoke (or another lens that asks for arguments) above
 * `lineText`, waits for the pre-filled input, and answers `args` (or keeps
 * what is there). Returns what the box held. */
async function invoke(page, editor, lineText, args, lens = "Invoke") {
  await clickLens(page, editor, lens, lineText);
  const input = page.locator(".quick-input-widget input");
  await page.waitForFunction(() => document.querySelector(".quick-input-widget input")?.value !== "", null, { timeout: 10_000 });
  const held = await input.inputValue();
  if (args !== undefined) await input.fill(args);
  await page.keyboard.press("Enter");
  return held;
}

/** Runs a command by its title from the Command Palette. A command that
 * asks (`then`) gets the quick-pick item labelled `then` chosen. */
async function runCommand(page, title, then) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: title }).first().waitFor();
  await page.keyboard.press("Enter");
  if (then !== undefined) {
    const label = page.getByText(then, { exact: true });
    await page.locator(".quick-input-widget .monaco-list-row").filter({ has: label }).first().click();
  }
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
}

/** The text of the editor's visible lines, spaces as typed. */
async function visibleText(locator) {
  return (await locator.innerText()).replace(/\u00a0/g, " ");
}

/** The output panel's visible text, lines joined with newlines. */
function outputText(page) {
  const view = page.locator(".panel .output .view-lines, .panel [id='workbench.panel.output'] .view-lines").first();
  return visibleText(view).catch(() => "");
}

/** The output panel's text, once it holds `pattern` (a string or a RegExp
 * tested against the lines joined with newlines). */
async function outputMatching(page, pattern, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await outputText(page);
    if (typeof pattern === "string" ? text.includes(pattern) : pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the output never showed ${pattern}; it reads:\n${text}`);
    await sleep(200);
  }
}

/** The output panel's text, once it holds `text` `count` times; the
 * panel's filter (`filter`) keeps the lines that count in view. */
async function outputRepeating(page, filter, text, count, timeout = 30_000) {
  const input = page.locator(".panel .viewpane-filter input").first();
  await input.fill(filter);
  try {
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = new RegExp(Array(count).fill(escaped).join("[\\s\\S]*"));
    return await outputMatching(page, pattern, timeout);
  } finally {
    await input.fill("");
  }
}

async function trustedPass(browser) {
  const { page, shot, close } = await openVsCode(browser, {
    name: "trusted",
    extension: vsix,
    settings: { "wasmlens.server.path": server, "wasmlens.trace.server": "messages" },
    trusted: true,
    env: process.env,
  });
  try {
    step("the workbench loads", true);
    const editor = page.locator(".editor-instance .monaco-editor").first();
    await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } });
    await openFile(page, editor, "calc.wit", "world calc");
    step("the WIT file opens", true);

    // The grammar: `world` is a keyword token of its own colour.
    const worldClass = await editor
      .locator(".view-line span span", { hasText: /^world$/ })
      .first()
      .getAttribute("class");
    const plainClass = await editor
      .locator(".view-line span span", { hasText: /^calc$/ })
      .first()
      .getAttribute("class");
    step("the grammar colours keywords", worldClass && worldClass !== plainClass, `world: ${worldClass}, calc: ${plainClass}`);

    const lens = editor.locator(".codelens-decoration a", { hasText: "Invoke" });
    await lens.first().waitFor({ timeout: 60_000 });
    step("the server's lenses appear", (await lens.count()) >= 1, `${await lens.count()} Invoke lenses`);
    await shot("1-lenses");

    step("an error shows in the Problems panel", true, await typeAnError(page, editor));
    await shot("2-problem");

    // Completion in a type position offers the primitive types.
    await editor.locator(".view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("interface extra { g: func() -> str");
    await page.keyboard.press("Control+Space");
    const suggestion = page.locator(".suggest-widget .monaco-list-row", { hasText: "string" });
    await suggestion.first().waitFor({ timeout: 20_000 });
    const suggestions = (await page.locator(".suggest-widget .monaco-list-row").allInnerTexts()).map((t) => t.split("\n")[0]);
    step("completion offers types", suggestions.includes("string"), suggestions.join(", "));
    await page.keyboard.press("Escape");

    // Revert the edit (the file on disk never changed), then invoke `add`.
    await runCommand(page, "File: Revert File");
    await editor.locator(".view-lines").filter({ hasNotText: "broken" }).waitFor({ timeout: 10_000 });
    await page.locator(".markers-panel .monaco-list-row").first().waitFor({ state: "detached", timeout: 30_000 });
    step("reverting clears the problem", true);

    // Go to definition into deps/: F12 on `run` in `export wasi:cli/run@…;`
    // opens deps/cli.wit at `interface run`.
    const cli = readFileSync(join(workspace, "wit", "deps", "cli.wit"), "utf8").split("\n");
    const runLine = cli.findIndex((line) => line.startsWith("interface run {")) + 1;
    await editor.locator(".view-line", { hasText: "export wasi:cli/run@" }).click();
    await page.keyboard.press("End");
    for (let i = 0; i < 9; i++) await page.keyboard.press("ArrowLeft"); // into `run`, before `@0.2.12;`
    await page.keyboard.press("F12");
    const cursor = page.locator(".statusbar-item", { hasText: new RegExp(`^Ln ${runLine}, Col`) });
    await cursor.first().waitFor({ timeout: 20_000 });
    const activeTab = await page.locator(".tabs-container .tab.active").innerText();
    step(
      "go to definition opens the interface in deps/",
      runLine > 0 && activeTab.includes("cli.wit"),
      `${activeTab.trim()} at ${await cursor.first().innerText()}`,
    );
    await page.locator(".tabs-container .tab", { hasText: "calc.wit" }).click();
    await page.keyboard.press("Control+Home");
    await editor.locator(".view-lines").filter({ hasText: "export add:" }).waitFor({ timeout: 10_000 });

    const template = await invoke(page, editor, "export add:", "(20, 22)");
    step("Invoke asks with the WAVE template", template === "(0, 0)", `the input box held ${JSON.stringify(template)}`);
    const output = await outputMatching(page, "→ 42");
    step("the WAVE result is in the output", /▶ add\(20, 22\)[\s\S]*→ 42 \(in [\d.]+ m?s/.test(output), output);

    // The decoration's text lives in a CSS rule VS Code adds for it.
    const inline = await page
      .waitForFunction(
        () =>
          [...document.styleSheets].some((sheet) => {
            try {
              return [...sheet.cssRules].some((rule) => rule.cssText.includes("→ 42"));
            } catch {
              return false;
            }
          }),
        null,
        { timeout: 10_000 },
      )
      .then(
        () => true,
        () => false,
      );
    step("the result is shown at the end of the export's line", inline);
    await shot("3-invoked");

    // Invoke again: the input now starts from the last arguments.
    await clickLens(page, editor, "Invoke", "export add:");
    await page.waitForFunction(() => document.querySelector(".quick-input-widget input")?.value !== "", null, { timeout: 10_000 });
    const remembered = await page.locator(".quick-input-widget input").inputValue();
    step("the last arguments are remembered", remembered === "(20, 22)", JSON.stringify(remembered));
    await page.keyboard.press("Escape");

    // Trace `add`: the same arguments, and the calls open as a document.
    await clickLens(page, editor, "Trace", "export add:");
    await page.keyboard.press("Enter");
    const traceDocument = page.locator(".editor-instance .view-lines", { hasText: "Trace of add(20, 22)" });
    await traceDocument.first().waitFor({ timeout: 30_000 });
    const trace = await visibleText(traceDocument.first());
    step("Trace opens the call tree", /add\(20, 22\)[\s\S]*42/.test(trace), trace);

    // ▶ Request above the HTTP world: the box starts at `GET /`; a POST
    // with a header and a body is answered in the output channel, and the
    // next Request starts from it.
    await openFile(page, editor, "proxy.wit", "world proxy-wat");
    const firstRequest = await invoke(page, editor, "world proxy-wat", "POST /echo; x-from: vscode | hello from the lens", "Request");
    step("Request asks with GET / first", firstRequest === "GET /", JSON.stringify(firstRequest));
    const responded = await outputMatching(page, /← 200/);
    step(
      "Request shows the response's headers and body in the output",
      /▶ POST \/echo\n[\s\S]*x-method: POST\n+hello from the lens\n← 200 \(in [\d.]+ m?s/.test(responded),
      responded,
    );
    await clickLens(page, editor, "Request", "world proxy-wat");
    const lastRequest = await page.locator(".quick-input-widget input").inputValue();
    await page.keyboard.press("Escape");
    step("the last request is remembered", lastRequest === "POST /echo; x-from: vscode | hello from the lens", JSON.stringify(lastRequest));
    await page.locator(".tabs-container .tab", { hasText: "calc.wit" }).first().click();
    await editor.locator(".view-lines").filter({ hasText: "world calc" }).waitFor({ timeout: 30_000 });

    // ▶ Run above the command world: its output, then how it exited.
    await clickLens(page, editor, "Run", "world hello", false);
    const ran = await outputMatching(page, /✓ exited with 0/);
    step("▶ Run runs the command and shows its output", /▶ run [^\n]*hello[^\n]*\nhello from wasm\n✓ exited with 0 \(in /.test(ran), ran);

    // `spin` loops until the 30 s timeout of wasmlens.toml; the status bar
    // shows the run, and clicking it cancels long before that.
    await invoke(page, editor, "export spin:");
    const status = page.locator(".statusbar-item", { hasText: "spin()" });
    await status.first().waitFor({ timeout: 30_000 });
    const statusText = (await status.first().innerText()).trim();
    await shot("4-running");
    const clicked = Date.now();
    await status.first().click();
    const cancelled = await outputMatching(page, "✗ cancelled", 20_000);
    const seconds = (Date.now() - clicked) / 1000;
    await status.first().waitFor({ state: "hidden", timeout: 10_000 });
    step(
      "the status bar shows the run and a click cancels it",
      /▶ spin\(\)\n✗ cancelled/.test(cancelled) && seconds < 15,
      `status "${statusText}", cancelled ${seconds.toFixed(1)} s after the click`,
    );

    // A `wasmlens.run` setting reaches the server while it runs: one unit
    // of fuel cannot add two numbers. VS Code reads the file when it
    // changes; the run waits for the extension to send the new settings
    // (the first such notification this session, traced in the log).
    await runCommand(page, "Output: Show Output Channels...", "wasmlens");
    writeFileSync(join(workspace, ".vscode", "settings.json"), JSON.stringify({ "wasmlens.run.fuel": 1 }));
    await outputRepeating(page, "didChangeConfiguration", "Sending notification 'workspace/didChangeConfiguration'", 1);
    await invoke(page, editor, "export add:", "(1, 1)");
    const limited = await outputMatching(page, /▶ add\(1, 1\)\n[→✗][^\n]*/);
    // The output view wraps the long line; one space for each break.
    const fuel = limited.slice(limited.lastIndexOf("▶ add(1, 1)")).replace(/\s+/g, " ");
    step("a wasmlens.run setting limits the next run", /ran out of fuel after 1 unit;.*\[fuel limit\]/.test(fuel), fuel);
    writeFileSync(join(workspace, ".vscode", "settings.json"), "{}");

    // Format: the messy file takes the canonical layout, unsaved.
    await openFile(page, editor, "messy.wit", "messy");
    await runCommand(page, "Wasmlens: Format");
    const formattedView = editor.locator(".view-lines").filter({ hasText: "distance: func(p: point) -> u32;" });
    await formattedView.waitFor({ timeout: 20_000 });
    const formatted = (await visibleText(formattedView)).trim();
    const expected = [
      "interface messy {",
      "  record point {",
      "    x: u32,",
      "    y: u32,",
      "  }",
      "  /// The distance from the origin.",
      "  distance: func(p: point) -> u32;",
      "}",
    ].join("\n");
    step("Format gives the file the canonical layout", formatted === expected, formatted);
    await shot("5-formatted");

    // The palette: the WIT of the built component, decoded by the server.
    await runCommand(page, "Wasmlens: Show Component Exports");
    await page.locator(".quick-input-widget .monaco-list-row", { hasText: "calc.wasm" }).first().click();
    const wit = page.locator(".editor-instance .view-lines", { hasText: "The WIT of" });
    await wit.first().waitFor({ timeout: 30_000 });
    const witText = await visibleText(wit.first());
    step("Show Component Exports lists the component's WIT", witText.includes("export add: func(a: u32, b: u32) -> u32;"), witText);

    // Check Workspace: the CI check over every package, closed files too.
    await runCommand(page, "Wasmlens: Check Workspace");
    const summary = page.locator(".notifications-toasts .notification-list-item-message", { hasText: "wasmlens check:" });
    await summary.first().waitFor({ timeout: 30_000 });
    const summaryText = await summary.first().innerText();
    // examples/calc has calc.wit and 6 WASI files; messy.wit, broken.wit,
    // clib/wit/lib.wit and http/wit (proxy.wit and 7 WASI files) were added.
    step("Check Workspace reports", /1 error, 0 warnings in 18 files/.test(summaryText), summaryText);
    const closedProblem = page.locator(".markers-panel .monaco-list-row", { hasText: "nothing-here" });
    await closedProblem.first().waitFor({ timeout: 10_000 });
    const closedFile = page.locator(".markers-panel .monaco-list-row", { hasText: "broken.wit" });
    step(
      "Check Workspace puts a closed file's error in Problems",
      (await closedFile.count()) === 1,
      (await page.locator(".markers-panel").innerText()).replace(/\s+/g, " "),
    );
    await shot("6-palette");

    // wasmlens.trace.server = messages: the protocol is in the log.
    await runCommand(page, "Output: Show Output Channels...", "wasmlens");
    const log = await outputMatching(page, "[Trace - ");
    step(
      "the server's messages are traced in its log",
      /\[Trace - [^\]]+\] (Sending|Received) (request|notification|response)/.test(log),
      log,
    );

    // Restart Server: a second start in the log (filtered to those lines),
    // the second server ready, and the lenses work on it.
    await runCommand(page, "Wasmlens: Restart Server");
    const starts = await outputRepeating(page, "Starting wasmlens.server.path", "Starting wasmlens.server.path", 2);
    const ready = await outputRepeating(page, "The server is ready", "The server is ready, with lenses.", 2);
    await page.locator(".tabs-container .tab", { hasText: "calc.wit" }).click();
    await invoke(page, editor, "export add:", "(3, 4)");
    const after = await outputMatching(page, "→ 7");
    step("Restart Server starts a new server and the lenses work on it", /▶ add\(3, 4\)\n→ 7/.test(after), `${starts}\n${ready}\n${after}`);

    // ⏵ Debug on `add`: the box starts from the arguments Invoke used last
    // (one memory per export); the server's launch configuration starts a
    // `wasmlens dap` session, whose output event with the call's result
    // reaches the Debug Console, and the session ends by itself. The calc
    // components are WAT without DWARF, so a message says so first.
    const debugHeld = await invoke(page, editor, "export add:", "(20, 22)", "Debug");
    step(
      "Debug asks for arguments, starting from the last ones",
      debugHeld === "(3, 4)",
      `the input box held ${JSON.stringify(debugHeld)}`,
    );
    const hint = page.locator(".notifications-toasts .notification-list-item-message", { hasText: /debug info|DWARF/ });
    await hint.first().waitFor({ timeout: 30_000 });
    step("Debug says the component has no debug info", true, await hint.first().innerText());
    const console_ = page.locator(".repl .repl-tree", { hasText: "add(20, 22) = 42" });
    await console_.first().waitFor({ timeout: 60_000 });
    await shot("7-debugged");
    const consoleText = await visibleText(console_.first());
    await page.locator(".debug-toolbar").waitFor({ state: "hidden", timeout: 30_000 });
    step("a debug session runs the call, shows its result in the Debug Console and ends", true, consoleText);

    // ⏵ Debug on a C export built with DWARF (clib/: lib.c at -O0 -g, the
    // component of clib/wit/lib.wit): a breakpoint set in lib.c stops the
    // call there, the Variables view shows the C parameters, Step Over
    // runs the line (a new local appears), and Continue ends the call with
    // its result in the Debug Console.
    const libC = readFileSync(join(workspace, "clib", "lib.c"), "utf8").split("\n");
    const addLine = libC.findIndex((line) => line.includes("// LINE: add")) + 1;
    await openFile(page, editor, "lib.c", "export_name");
    await page.keyboard.press("Control+G");
    await page.locator(".quick-input-widget input").waitFor();
    await page.keyboard.type(`${addLine}`);
    await page.keyboard.press("Enter");
    await runCommand(page, "Debug: Toggle Breakpoint");
    await page.locator(".codicon-debug-breakpoint").first().waitFor({ timeout: 10_000 });
    await openFile(page, editor, "lib.wit", "world lib");
    await invoke(page, editor, "export add:", "(20, 22)", "Debug");
    const frame = page.locator(".debug-call-stack .monaco-list-row", { hasText: "add" });
    await frame.first().waitFor({ timeout: 60_000 });
    const frameText = (await frame.first().innerText()).replace(/\s+/g, " ");
    const variable = (pattern) => page.locator(".debug-variables .monaco-list-row").filter({ hasText: pattern });
    await variable(/^\s*a\s*[:=]?\s*20\s*$/m)
      .first()
      .waitFor({ timeout: 20_000 });
    const shownVariables = (await page.locator(".debug-variables").first().innerText()).replace(/\s+/g, " ");
    await shot("8-c-stopped");
    step(
      "a breakpoint in C source stops the call there, with its frame and C variables shown",
      frameText.includes("lib.c") && frameText.includes(`${addLine}`) && /b\s*[:=]?\s*22/.test(shownVariables),
      `${frameText} | ${shownVariables}`,
    );
    await runCommand(page, "Debug: Step Over");
    await variable(/^\s*sum\s*[:=]?\s*42\s*$/m)
      .first()
      .waitFor({ timeout: 20_000 });
    const afterStep = (await page.locator(".debug-call-stack .monaco-list-row").first().innerText()).replace(/\s+/g, " ");
    step("Step Over runs the line and the new local shows", afterStep.includes(`${addLine + 1}`), afterStep);
    await runCommand(page, "Debug: Continue");
    const cResult = page.locator(".repl .repl-tree", { hasText: "add(20, 22) = 42" });
    await cResult.first().waitFor({ timeout: 30_000 });
    await page.locator(".debug-toolbar").waitFor({ state: "hidden", timeout: 30_000 });
    step("Continue ends the C call with its result in the Debug Console", true);
  } finally {
    await close();
  }
}

async function untrustedPass(browser) {
  const env = { ...process.env, PATH: pathWithoutServer() };
  delete env.WASMLENS_SERVER;
  const { page, shot, close } = await openVsCode(browser, {
    name: "untrusted",
    extension: bundledVsix,
    settings: {},
    trusted: false,
    env,
  });
  try {
    // VS Code asks whether to trust the folder: no.
    const dontTrust = page.locator(".monaco-dialog-box .monaco-button", { hasText: "No, I don't trust the authors" });
    await dontTrust.waitFor({ timeout: 30_000 });
    await shot("1-asked");
    await dontTrust.click();
    await page.locator(".monaco-dialog-box").waitFor({ state: "detached", timeout: 10_000 });
    step("untrusted: VS Code asks and Restricted Mode is chosen", true);

    const editor = page.locator(".editor-instance .monaco-editor").first();
    await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } });
    await openFile(page, editor, "calc.wit", "world calc");
    step("untrusted: language features work (a diagnostic)", true, await typeAnError(page, editor));

    // Count the lenses once the server has answered (the diagnostic above)
    // and its log says it is ready: without a lens provider, so none can
    // come later.
    await runCommand(page, "Output: Show Output Channels...", "wasmlens");
    // The output view wraps long lines; join them back.
    const log = (await outputMatching(page, "The server is ready")).replace(/\n/g, "");
    const lenses = await editor.locator(".codelens-decoration a").count();
    await shot("2-restricted");
    step(
      "untrusted: no lens is offered",
      lenses === 0 && log.includes("The server is ready, without lenses: execution is off."),
      `${lenses} lenses; ${log}`,
    );
    step(
      "untrusted: the bundled server starts with execution off",
      /Starting the bundled server \([^)]*\/server\/wasmlens\); workspace not trusted: lenses off/.test(log),
      log,
    );

    // Trust the folder: the extension restarts the server with lenses on.
    await runCommand(page, "File: Revert File");
    await runCommand(page, "Workspaces: Manage Workspace Trust");
    const trustButton = page.locator(".workspace-trust-editor .monaco-button", { hasText: /^Trust$/ });
    await trustButton.first().click({ timeout: 20_000 });
    await page.locator(".workspace-trust-editor", { hasText: "You trust this folder" }).waitFor({ timeout: 10_000 });
    await page.locator(".tabs-container .tab", { hasText: "calc.wit" }).click();
    await editor.locator(".view-lines").filter({ hasText: "world calc" }).waitFor({ timeout: 10_000 });
    const held = await invoke(page, editor, "export add:", "(2, 3)");
    const output = await outputMatching(page, "→ 5");
    await shot("3-trusted");
    step(
      "trusting the folder turns lenses on: Invoke runs on the bundled server",
      held === "(0, 0)" && /▶ add\(2, 3\)[\s\S]*→ 5/.test(output),
      output,
    );
  } finally {
    await close();
  }
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  await trustedPass(browser);
  await untrustedPass(browser);
} catch (error) {
  if (result.steps.every((s) => s.ok)) result.steps.push({ name: "driver", ok: false, detail: String(error?.stack ?? error) });
} finally {
  await browser?.close().catch(() => undefined);
  writeFileSync(resultPath, JSON.stringify(result, null, 2));
}
