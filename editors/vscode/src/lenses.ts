// The server's Run / Invoke / Trace / Build / Debug lenses, handled in the
// client: Invoke, Trace and Debug ask for WAVE arguments (pre-filled with
// the server's template or the last arguments, shared by the three), the
// run shows progress in the status bar with cancel, output and the result
// go to the "wasmlens run" output channel, the result also sits at the end
// of the export's line for a few seconds, a trace opens as a document, and
// Debug starts a debug session with the server's launch configuration.

import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  type LanguageClient,
  WorkDoneProgress,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
} from "vscode-languageclient/node";

import { ArgumentMemory, type LensTarget } from "./argumentMemory";
import { debugFromLens } from "./debugConfig";
import { InlineResults } from "./inlineResults";
import { argumentProblem, initialInput } from "./invokeInput";
import {
  DEBUG_CONFIG,
  type DebugConfigAnswer,
  INVOKE,
  type LensCommandArgument,
  type LensData,
  REQUEST,
  RUN,
  type RunAnswer,
  type TemplateAnswer,
  TRACE,
} from "./protocol";
import { FIRST_REQUEST, parseRequest, requestProblem } from "./requestInput";
import { backtraceLines, inlineText, summaryLine } from "./results";

export const TRACE_SCHEME = "wasmlens-trace";

export class Lenses implements vscode.Disposable {
  private readonly memory: ArgumentMemory;
  private readonly status: vscode.StatusBarItem;
  private readonly inline = vscode.window.createTextEditorDecorationType({
    after: { margin: "0 0 0 2em", color: new vscode.ThemeColor("editorCodeLens.foreground"), fontStyle: "italic" },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  /** Where each lens sits, to put its result at the end of that line. */
  private readonly places = new Map<string, vscode.Range>();
  private readonly inlineResults = new InlineResults<vscode.DecorationOptions>((uri, results) => {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === uri) editor.setDecorations(this.inline, results);
    }
  });
  /** An editor shown again (another tab and back) gets its results back. */
  private readonly redraw = vscode.window.onDidChangeVisibleTextEditors((editors) => {
    for (const editor of editors) editor.setDecorations(this.inline, this.inlineResults.items(editor.document.uri.toString()));
  });
  private readonly traces = new Map<string, string>();
  private readonly traceChanged = new vscode.EventEmitter<vscode.Uri>();
  private running: vscode.CancellationTokenSource | undefined;
  private nextTrace = 0;
  private nextToken = 0;

  constructor(
    state: vscode.Memento,
    readonly output: vscode.OutputChannel,
    private readonly client: () => LanguageClient | undefined,
  ) {
    this.memory = new ArgumentMemory(state);
    this.status = vscode.window.createStatusBarItem("wasmlens.run", vscode.StatusBarAlignment.Left, 10);
    this.status.name = "wasmlens run";
    this.status.command = "wasmlens.cancelRun";
  }

  /** The trace documents (`wasmlens-trace:` URIs). */
  readonly traceDocuments: vscode.TextDocumentContentProvider = {
    onDidChange: this.traceChanged.event,
    provideTextDocumentContent: (uri) => this.traces.get(uri.toString()) ?? "This trace is no longer kept; run Trace again.",
  };

  /** Notes where a resolved lens sits (the client's resolveCodeLens hook). */
  remember(lens: vscode.CodeLens): void {
    const data = lens.command?.arguments?.[0] as LensData | undefined;
    if (data?.uri) this.places.set(placeKey(data), lens.range);
  }

  /** A `wasmlens/output` notification: guest or build output, as it comes. */
  appendOutput(text: string): void {
    this.output.append(text);
  }

  cancel(): void {
    this.running?.cancel();
  }

  /** Handles a lens click: the client's executeCommand hook. */
  async execute(command: string, args: unknown[]): Promise<unknown> {
    const client = this.client();
    const data = args[0] as LensData | undefined;
    if (!client || !data?.uri) return undefined;
    // A debug session runs in its own adapter process, not in the server:
    // a lens run in progress does not stand in its way.
    if (command === DEBUG_CONFIG) return this.debug(client, data);
    if (this.running) {
      void vscode.window.showWarningMessage("A component is already running; cancel it from the status bar first.");
      return undefined;
    }
    const argument: LensCommandArgument = { ...data };
    let call = "";
    if (command === INVOKE || command === TRACE) {
      const answer = (await client.sendRequest(ExecuteCommandRequest.type, {
        command,
        arguments: [data],
      })) as TemplateAnswer | null;
      const typed = await this.askArguments(command === TRACE ? "Trace" : "Invoke", data, answer?.template ?? "()");
      if (typed === undefined) return undefined;
      argument.arguments = typed;
      const trimmed = typed.trim();
      call = `${data.export}${trimmed.startsWith("(") ? trimmed : `(${trimmed})`}`;
    } else if (command === REQUEST) {
      const typed = await this.askRequest(data);
      if (typed === undefined) return undefined;
      const fields = parseRequest(typed);
      if (typeof fields === "string") return undefined;
      Object.assign(argument, fields);
      call = `${fields.method} ${fields.path}`;
    } else if (command === RUN) {
      call = `run ${data.world}`;
    } else {
      call = `build ${data.world}`;
    }
    return this.send(client, command, data, argument, call);
  }

  /** The input box of Invoke, Trace and Debug: one memory per export, so
   * Debug starts from the arguments of the Invoke that went wrong. */
  private async askArguments(verb: string, data: LensData, template: string): Promise<string | undefined> {
    const start = initialInput(template, this.memory.recall(data));
    const typed = await vscode.window.showInputBox({
      title: `${verb} ${data.export}`,
      prompt: `WAVE arguments, as the parameters' template ${template} shows`,
      value: start.value,
      valueSelection: start.selection,
      ignoreFocusOut: true,
      validateInput: (input) => argumentProblem(input),
    });
    if (typed !== undefined) await this.memory.remember(data, typed);
    return typed;
  }

  /** The input box of ▶ Request and Trace Request: `GET /` the first
   * time, then the last request of the world (both lenses share it). */
  private async askRequest(data: LensData): Promise<string | undefined> {
    const target = { uri: data.uri, world: data.world, export: "request" };
    const typed = await vscode.window.showInputBox({
      title: `${data.kind === "traceRequest" ? "Trace Request" : "Request"} to ${data.world}`,
      prompt: "METHOD PATH, headers after ;, the body after |   (POST /items; content-type: text/plain | hello)",
      value: this.memory.recall(target) ?? FIRST_REQUEST,
      ignoreFocusOut: true,
      validateInput: (input) => requestProblem(input),
    });
    if (typed !== undefined) await this.memory.remember(target, typed);
    return typed;
  }

  private async debug(client: LanguageClient, data: LensData): Promise<DebugConfigAnswer | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(data.uri)) ?? vscode.workspace.workspaceFolders?.[0];
    try {
      return await debugFromLens(data, {
        request: (argument) => client.sendRequest(ExecuteCommandRequest.type, { command: DEBUG_CONFIG, arguments: [argument] }),
        askArguments: (template) => this.askArguments("Debug", data, template),
        inform: (message) => void vscode.window.showInformationMessage(message),
        start: (configuration) => vscode.debug.startDebugging(folder, configuration as vscode.DebugConfiguration),
      });
    } catch (error) {
      void vscode.window.showErrorMessage(`wasmlens: ${errorMessage(error)}`);
      return undefined;
    }
  }

  private async send(
    client: LanguageClient,
    command: string,
    data: LensData,
    argument: LensCommandArgument,
    call: string,
  ): Promise<RunAnswer | undefined> {
    const source = new vscode.CancellationTokenSource();
    this.running = source;
    void vscode.commands.executeCommand("setContext", "wasmlens.running", true);
    const token = `wasmlens-vscode/${++this.nextToken}`;
    this.showStatus(call, "starting");
    const progress = client.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === "begin" || value.kind === "report") {
        const message = (value as WorkDoneProgressBegin | WorkDoneProgressReport).message;
        if (message) this.showStatus(call, message);
      }
    });
    this.output.appendLine(`▶ ${call}`);
    let answer: RunAnswer | undefined;
    try {
      answer = (await client.sendRequest(
        ExecuteCommandRequest.type,
        { command, arguments: [argument], workDoneToken: token },
        source.token,
      )) as RunAnswer;
    } catch (error) {
      const message = source.token.isCancellationRequested ? "cancelled" : errorMessage(error);
      this.output.appendLine(`✗ ${message}`);
      if (!source.token.isCancellationRequested) {
        void vscode.window.showErrorMessage(`wasmlens: ${message}`);
      }
      return undefined;
    } finally {
      progress.dispose();
      source.dispose();
      this.running = undefined;
      this.status.hide();
      void vscode.commands.executeCommand("setContext", "wasmlens.running", false);
    }
    this.report(data, call, answer);
    return answer;
  }

  private report(data: LensData, call: string, answer: RunAnswer): void {
    if (answer.kind === "request" && answer.ok) {
      // The status line, headers, a blank line and the body, as sent.
      const response = answer.text.slice(answer.text.lastIndexOf(`${answer.request} →`));
      this.output.appendLine(response.slice(response.indexOf("\n") + 1).replace(/\n$/, ""));
    }
    this.output.appendLine(summaryLine(answer));
    for (const line of backtraceLines(answer)) this.output.appendLine(`    ${line}`);
    this.output.show(true);
    this.showInline(data, answer);
    if ((answer.kind === "trace" || answer.kind === "request") && answer.tree) {
      void this.openTrace(call, answer.tree);
    }
    if (answer.kind === "build" && !answer.ok) {
      void vscode.window.showErrorMessage(`wasmlens: the build failed (exit ${answer.exitCode}); see the output.`);
    }
  }

  private showInline(data: LensData, answer: RunAnswer): void {
    const seconds = vscode.workspace.getConfiguration("wasmlens.lens").get<number>("inlineResultSeconds", 8);
    const key = placeKey(data);
    const range = this.places.get(key);
    if (!range || seconds <= 0) return;
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === data.uri);
    if (!editor) return;
    const line = editor.document.lineAt(range.start.line);
    const decoration: vscode.DecorationOptions = {
      range: new vscode.Range(line.range.end, line.range.end),
      renderOptions: { after: { contentText: inlineText(answer) } },
    };
    this.inlineResults.show(data.uri, key, decoration, seconds);
  }

  private async openTrace(call: string, tree: string): Promise<void> {
    const name = call
      .replace(/[^A-Za-z0-9_.-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60);
    const uri = vscode.Uri.from({ scheme: TRACE_SCHEME, path: `/${name || "trace"}.trace`, query: `${++this.nextTrace}` });
    this.traces.set(uri.toString(), `Trace of ${call}\n\n${tree}\n`);
    // Keep the last few traces only: each can hold 10,000 calls.
    while (this.traces.size > 20) this.traces.delete(this.traces.keys().next().value as string);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  }

  private showStatus(call: string, message: string): void {
    this.status.text = `$(sync~spin) ${call}: ${message}`;
    this.status.tooltip = "wasmlens is running a component. Click to cancel.";
    this.status.show();
  }

  dispose(): void {
    this.running?.cancel();
    this.status.dispose();
    this.redraw.dispose();
    this.inlineResults.dispose();
    this.inline.dispose();
    this.traceChanged.dispose();
  }
}

function placeKey(data: LensTarget): string {
  return ArgumentMemory.key(data);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) return String((error as { message: unknown }).message);
  return String(error);
}
