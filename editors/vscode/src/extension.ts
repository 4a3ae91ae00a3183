// The extension's entry point: wires the language client, the lenses, the
// palette commands, the debugger and Workspace Trust together. Logic lives
// in the modules it imports; this file only connects them to VS Code.

import * as vscode from "vscode";
import { DidChangeConfigurationNotification, type LanguageClient } from "vscode-languageclient/node";

import { chooseServer, createClient, currentEditorRun } from "./client";
import { adapterCommand, DEBUG_TYPE, resolveLaunch } from "./debugConfig";
import { errorMessage, Lenses, TRACE_SCHEME } from "./lenses";
import { LENS_COMMANDS, OUTPUT, type OutputParams } from "./protocol";
import { RestartQueue } from "./restartQueue";
import type { ServerChoice } from "./serverPath";
import { ComponentWit, formatActive, WIT_SCHEME, WorkspaceCheck } from "./workspaceCommands";

let client: LanguageClient | undefined;
/** The server the language client was started with; the debug adapter is the same binary. */
let server: ServerChoice | undefined;
let restarts: RestartQueue | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("wasmlens");
  const runOutput = vscode.window.createOutputChannel("wasmlens run");
  const lenses = new Lenses(context.workspaceState, runOutput, () => client);
  const check = new WorkspaceCheck();
  const componentWit = new ComponentWit();
  context.subscriptions.push(log, runOutput, lenses, check);

  const start = async () => {
    const choice = chooseServer(context.extensionPath);
    server = choice;
    if (!choice.ok) {
      log.appendLine(choice.message);
      log.show(true);
      void vscode.window.showErrorMessage(choice.message, "Open Settings").then((pick) => {
        if (pick) void vscode.commands.executeCommand("workbench.action.openSettings", "wasmlens.server.path");
      });
      return;
    }
    log.appendLine(`Starting ${choice.description}; workspace ${vscode.workspace.isTrusted ? "trusted" : "not trusted: lenses off"}.`);
    client = createClient(choice, log, {
      executeCommand: (command, args, next) => (LENS_COMMANDS.includes(command) ? lenses.execute(command, args) : next(command, args)),
      resolveCodeLens: async (lens, token, next) => {
        const resolved = await next(lens, token);
        if (resolved) lenses.remember(resolved);
        return resolved;
      },
    });
    try {
      await client.start();
      client.onNotification(OUTPUT, (params: OutputParams) => lenses.appendOutput(params.text));
      // Says what the server itself offers (the e2e test waits for it).
      const lensesOn = Boolean(client.initializeResult?.capabilities.codeLensProvider);
      log.appendLine(`The server is ready, ${lensesOn ? "with lenses" : "without lenses: execution is off"}.`);
    } catch (error) {
      log.appendLine(`The server did not start: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`wasmlens: the server (${choice.path}) did not start: ${errorMessage(error)}`);
      // A server that started but failed to initialize is still running:
      // stopping the client ends its process.
      const failed = client;
      client = undefined;
      void failed.stop().catch(() => undefined);
    }
  };

  // Every start goes through the queue: a server is stopped before the
  // next one starts, and never while it is still starting.
  const queue = new RestartQueue(async () => {
    const old = client;
    client = undefined;
    if (old) await old.stop().catch(() => undefined);
    await start();
  });
  restarts = queue;
  const restart = () => queue.request();

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(TRACE_SCHEME, lenses.traceDocuments),
    vscode.workspace.registerTextDocumentContentProvider(WIT_SCHEME, componentWit),
    vscode.commands.registerCommand("wasmlens.restartServer", restart),
    vscode.commands.registerCommand("wasmlens.checkWorkspace", () => check.run(server?.ok ? server.path : undefined)),
    vscode.commands.registerCommand("wasmlens.format", formatActive),
    vscode.commands.registerCommand("wasmlens.showComponentExports", (uri?: vscode.Uri) =>
      componentWit.show(client, uri instanceof vscode.Uri ? uri : undefined),
    ),
    vscode.commands.registerCommand("wasmlens.showRunOutput", () => runOutput.show()),
    vscode.commands.registerCommand("wasmlens.cancelRun", () => lenses.cancel()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, {
      resolveDebugConfiguration: (folder, configuration) => {
        const decision = resolveLaunch(
          configuration,
          folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
          vscode.workspace.isTrusted,
        );
        if (decision.kind === "start") return decision.configuration as vscode.DebugConfiguration;
        if (decision.kind === "openLaunchJson") return null;
        void vscode.window.showErrorMessage(decision.message);
        return undefined;
      },
    }),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => {
        const adapter = adapterCommand(vscode.workspace.isTrusted, server ?? chooseServer(context.extensionPath));
        if (!adapter.ok) throw new Error(adapter.message);
        return new vscode.DebugAdapterExecutable(adapter.command, adapter.args);
      },
    }),
    // Trust granted: restart so the server runs with execution on.
    vscode.workspace.onDidGrantWorkspaceTrust(restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("wasmlens.server.path")) {
        void restart();
      } else if (event.affectsConfiguration("wasmlens.run") && client) {
        void client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { wasmlens: { run: currentEditorRun() } },
        });
      }
    }),
  );
  await restart();
}

export async function deactivate(): Promise<void> {
  await restarts?.settled();
  await client?.stop();
}
