// Drives a real VS Code (code-server) in Debian's headless Chromium with
// playwright-core, on a fixture workspace the Rust test prepared
// (tests/tests/e2e/vscode.rs): the .vsix installed with
// --install-extension, a WIT file opened, an error typed and seen in the
// Problems panel, then ▶ Invoke clicked, arguments typed, and the WAVE
// result read from the output. Steps go to RESULT as JSON; a screenshot of
// each checkpoint goes to OUT.
//
// Usage: node driver.mjs CODE_SERVER VSIX WORKSPACE SERVER OUT RESULT

import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [codeServer, vsix, workspace, server, out, resultPath] = process.argv.slice(2);
const result = { steps: [], logs: "" };
const step = (name, ok, detail) => {
  result.steps.push({ name, ok: Boolean(ok), detail: detail ?? null });
  if (!ok) throw new Error(`${name}: ${detail ?? "failed"}`);
};

const userData = join(out, "user-data");
const extensions = join(out, "extensions");
mkdirSync(join(userData, "User"), { recursive: true });
writeFileSync(
  join(userData, "User", "settings.json"),
  JSON.stringify(
    {
      "wasmlens.server.path": server,
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
    },
    null,
    2,
  ),
);

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
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${seconds}s`);
}

/** Clicks the lens titled `title` above the line that holds `lineText`,
 * and waits for the input box. VS Code re-renders lenses as the server
 * refreshes them, so a click can land on a lens that just left the DOM;
 * then it tries again. */
async function clickLens(page, editor, title, lineText) {
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
      await page.locator(".quick-input-widget input").waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Runs a command by its title from the Command Palette. */
async function runCommand(page, title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: title }).first().waitFor();
  await page.keyboard.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
}

const common = ["--user-data-dir", userData, "--extensions-dir", extensions];
let codeServerProcess;
let browser;
try {
  const install = spawnSync(codeServer, [...common, "--install-extension", vsix], { encoding: "utf8" });
  step("install the .vsix", install.status === 0 && /successfully installed/i.test(install.stdout), `${install.stdout}${install.stderr}`.trim());

  const port = await freePort();
  codeServerProcess = spawn(
    codeServer,
    [
      ...common,
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--auth",
      "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      "--ignore-last-opened",
      workspace,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  codeServerProcess.stdout.on("data", (d) => (result.logs += d));
  codeServerProcess.stderr.on("data", (d) => (result.logs += d));
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60);

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
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shot = (name) => page.screenshot({ path: join(out, `${name}.png`) });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  step("the workbench loads", true);

  // Open wit/calc.wit with Quick Open, as a user would.
  const editor = page.locator(".editor-instance .monaco-editor").first();
  await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } });
  await page.keyboard.press("Control+P");
  await page.locator(".quick-input-widget input").waitFor();
  await page.keyboard.type("calc.wit");
  await page.locator(".quick-input-widget .monaco-list-row").first().waitFor();
  await page.keyboard.press("Enter");
  await editor.locator(".view-lines").filter({ hasText: "world calc" }).waitFor({ timeout: 30_000 });
  step("the WIT file opens", true);

  // The grammar: `world` is a keyword token of its own colour.
  const worldToken = editor.locator(".view-line span span", { hasText: /^world$/ }).first();
  const worldClass = await worldToken.getAttribute("class");
  const plainClass = await editor.locator(".view-line span span", { hasText: /^calc$/ }).first().getAttribute("class");
  step("the grammar colours keywords", worldClass && worldClass !== plainClass, `world: ${worldClass}, calc: ${plainClass}`);

  const invoke = editor.locator(".codelens-decoration a", { hasText: "Invoke" });
  await invoke.first().waitFor({ timeout: 60_000 });
  step("the server's lenses appear", (await invoke.count()) >= 1, `${await invoke.count()} Invoke lenses`);
  await shot("1-lenses");

  // Type an error at the end of the file and see it in Problems.
  await editor.locator(".view-lines").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\ninterface broken { f: func() -> no-such-type; }\n");
  await page.keyboard.press("Control+Shift+M");
  const problem = page.locator(".markers-panel .monaco-list-row", { hasText: "no-such-type" });
  await problem.first().waitFor({ timeout: 30_000 });
  step("an error shows in the Problems panel", true, (await problem.first().innerText()).replace(/\s+/g, " "));
  await shot("2-problem");

  // Revert the edit (the file on disk never changed), then invoke `add`.
  await runCommand(page, "File: Revert File");
  await editor.locator(".view-lines").filter({ hasNotText: "broken" }).waitFor({ timeout: 10_000 });
  await page.locator(".markers-panel .monaco-list-row").first().waitFor({ state: "detached", timeout: 30_000 });
  step("reverting clears the problem", true);

  await clickLens(page, editor, "Invoke", "export add:");
  const input = page.locator(".quick-input-widget input");
  await page.waitForFunction(() => document.querySelector(".quick-input-widget input")?.value !== "", null, { timeout: 10_000 });
  const template = await input.inputValue();
  step("Invoke asks with the WAVE template", template === "(0, 0)", `the input box held ${JSON.stringify(template)}`);
  await input.fill("(20, 22)");
  await page.keyboard.press("Enter");

  const outputView = page.locator(".panel .output .view-lines, .panel [id='workbench.panel.output'] .view-lines").first();
  await outputView.filter({ hasText: "→ 42" }).waitFor({ timeout: 60_000 });
  const output = (await outputView.innerText()).replace(/\u00a0/g, " ");
  step("the WAVE result is in the output", /▶ add\(20, 22\)[\s\S]*→ 42 \(in [\d.]+ m?s/.test(output), output);

  const inline = await page.evaluate(() =>
    [...document.styleSheets].some((sheet) => {
      try {
        return [...sheet.cssRules].some((rule) => rule.cssText.includes("→ 42"));
      } catch {
        return false;
      }
    }),
  );
  step("the result is shown at the end of the export's line", inline);
  await shot("3-invoked");

  // Invoke again: the input now starts from the last arguments.
  await clickLens(page, editor, "Invoke", "export add:");
  await page.waitForFunction(() => document.querySelector(".quick-input-widget input")?.value !== "", null, { timeout: 10_000 });
  const remembered = await input.inputValue();
  step("the last arguments are remembered", remembered === "(20, 22)", JSON.stringify(remembered));
  await page.keyboard.press("Escape");

  // Trace `add`: the same arguments, and the calls open as a document.
  await clickLens(page, editor, "Trace", "export add:");
  await page.keyboard.press("Enter");
  const traceDocument = page.locator(".editor-instance .view-lines", { hasText: "Trace of add(20, 22)" });
  await traceDocument.first().waitFor({ timeout: 30_000 });
  const trace = (await traceDocument.first().innerText()).replace(/\u00a0/g, " ");
  step("Trace opens the call tree", /add\(20, 22\)[\s\S]*42/.test(trace), trace);

  // The palette: the WIT of the built component, decoded by the server.
  await runCommand(page, "Wasmlens: Show Component Exports");
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: "calc.wasm" }).first().waitFor();
  await page.keyboard.press("Enter");
  const wit = page.locator(".editor-instance .view-lines", { hasText: "The WIT of" });
  await wit.first().waitFor({ timeout: 30_000 });
  const witText = (await wit.first().innerText()).replace(/\u00a0/g, " ");
  step("Show Component Exports lists the component's WIT", witText.includes("export add: func(a: u32, b: u32) -> u32;"), witText);

  // Check Workspace: the CI check, summarised in a notification.
  await runCommand(page, "Wasmlens: Check Workspace");
  const summary = page.locator(".notifications-toasts .notification-list-item-message", { hasText: "wasmlens check:" });
  await summary.first().waitFor({ timeout: 30_000 });
  const summaryText = await summary.first().innerText();
  step("Check Workspace reports", /0 errors, 0 warnings in 1 file/.test(summaryText), summaryText);
  await shot("4-palette");
} catch (error) {
  if (result.steps.every((s) => s.ok)) result.steps.push({ name: "driver", ok: false, detail: String(error?.stack ?? error) });
} finally {
  try {
    if (browser) {
      const pages = browser.contexts().flatMap((c) => c.pages());
      if (pages[0]) await pages[0].screenshot({ path: join(out, "final.png") });
      await browser.close();
    }
  } catch {
    // the screenshot is a courtesy; the steps say what happened
  }
  codeServerProcess?.kill("SIGTERM");
  writeFileSync(resultPath, JSON.stringify(result, null, 2));
}
