// The palette's Check Workspace, Format and Show Component Exports.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";

import { type CheckReport, findings } from "./checkReport";
import { errorMessage } from "./lenses";
import { EXPORTS, type ExportsAnswer, type ExportsArgument } from "./protocol";

export const WIT_SCHEME = "wasmlens-wit";

/**
 * `wasmlens check --format json` on every workspace folder, the CI check,
 * into the Problems panel. Files open in an editor keep the language
 * server's live diagnostics instead.
 */
export class WorkspaceCheck implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection("wasmlens check");
  private readonly opened = vscode.workspace.onDidOpenTextDocument((d) => this.collection.delete(d.uri));

  async run(server: string | undefined): Promise<void> {
    if (!server) {
      void vscode.window.showErrorMessage("wasmlens: no server to check with; see the 'wasmlens' output channel.");
      return;
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      void vscode.window.showInformationMessage("wasmlens: open a folder to check its WIT packages.");
      return;
    }
    this.collection.clear();
    let errors = 0;
    let warnings = 0;
    let files = 0;
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.fsPath));
    for (const folder of folders) {
      const cwd = folder.uri.fsPath;
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `wasmlens check ${folder.name}` },
        () => checkJson(server, cwd),
      );
      errors += report.summary.errors;
      warnings += report.summary.warnings;
      files += report.summary.files;
      const byFile = new Map<string, vscode.Diagnostic[]>();
      const read = (file: string) => {
        try {
          return fs.readFileSync(file, "utf8");
        } catch {
          return undefined;
        }
      };
      for (const f of findings(report, cwd, read)) {
        const range = new vscode.Range(f.start.line, f.start.character, f.end.line, f.end.character);
        const diagnostic = new vscode.Diagnostic(range, f.message, severity(f.severity));
        diagnostic.source = "wasmlens check";
        diagnostic.code = f.code;
        const list = byFile.get(f.file) ?? [];
        list.push(diagnostic);
        byFile.set(f.file, list);
      }
      for (const [file, diagnostics] of byFile) {
        if (!open.has(file)) this.collection.set(vscode.Uri.file(file), diagnostics);
      }
    }
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    void vscode.window.showInformationMessage(
      `wasmlens check: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}.`,
    );
  }

  dispose(): void {
    this.opened.dispose();
    this.collection.dispose();
  }
}

function checkJson(server: string, cwd: string): Promise<CheckReport> {
  return new Promise((resolve, reject) => {
    // Exit code 1 means findings; the report is on stdout either way.
    execFile(server, ["check", "--format", "json", "."], { cwd, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as CheckReport);
      } catch {
        reject(new Error(`wasmlens check failed in ${cwd}: ${stderr.trim() || errorMessage(error)}`));
      }
    });
  });
}

function severity(name: string): vscode.DiagnosticSeverity {
  switch (name) {
    case "error":
      return vscode.DiagnosticSeverity.Error;
    case "warning":
      return vscode.DiagnosticSeverity.Warning;
    case "info":
      return vscode.DiagnosticSeverity.Information;
    default:
      return vscode.DiagnosticSeverity.Hint;
  }
}

/** Formats the active WIT file through the server (one undo step). */
export async function formatActive(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId !== "wit") {
    void vscode.window.showInformationMessage("wasmlens: open a .wit file to format it.");
    return;
  }
  await vscode.commands.executeCommand("editor.action.formatDocument");
}

/** Component WIT documents (`wasmlens-wit:`), filled by the server's
 * `wasmlens.exports`. */
export class ComponentWit implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? "";
  }

  async show(client: LanguageClient | undefined, target: vscode.Uri | undefined): Promise<void> {
    if (!client) {
      void vscode.window.showErrorMessage("wasmlens: the server is not running; see the 'wasmlens' output channel.");
      return;
    }
    const component = target ?? (await pickComponent());
    if (!component) return;
    const argument: ExportsArgument = { uri: component.toString() };
    let answer: ExportsAnswer;
    try {
      answer = (await client.sendRequest(ExecuteCommandRequest.type, {
        command: EXPORTS,
        arguments: [argument],
      })) as ExportsAnswer;
    } catch (error) {
      void vscode.window.showErrorMessage(`wasmlens: ${errorMessage(error)}`);
      return;
    }
    const name = component.path.split("/").pop() ?? "component.wasm";
    const uri = vscode.Uri.from({ scheme: WIT_SCHEME, path: `/${name}.wit`, query: component.toString() });
    this.texts.set(uri.toString(), `// The WIT of ${component.fsPath}, decoded from the component.\n${answer.wit}`);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, "wit");
    await vscode.window.showTextDocument(document, { preview: true });
  }
}

async function pickComponent(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.path.endsWith(".wasm")) return active;
  const found = await vscode.workspace.findFiles("**/*.wasm", "**/node_modules/**", 200);
  if (found.length === 0) {
    void vscode.window.showInformationMessage("wasmlens: no .wasm file in the workspace; build your component first.");
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: "Show the WIT of which component?" },
  );
  return picked?.uri;
}
