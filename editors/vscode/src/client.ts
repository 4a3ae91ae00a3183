// Starting, restarting and stopping the language client, with the server
// chosen by serverPath.ts and the workspace's trust passed on.

import * as fs from "node:fs";
import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type Middleware,
  RevealOutputChannelOn,
  type ServerOptions,
} from "vscode-languageclient/node";

import { type EditorRun, editorRun, type RunSettingValues } from "./runSettings";
import { resolveServer, type ServerChoice } from "./serverPath";

export const probe = {
  isExecutable(file: string): boolean {
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) return false;
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  env: process.env,
  platform: process.platform,
};

export function chooseServer(extensionPath: string): ServerChoice {
  const setting = vscode.workspace.getConfiguration("wasmlens").get<string | null>("server.path");
  return resolveServer(setting, extensionPath, probe);
}

/** The `wasmlens.run.*` settings for the server, paths made absolute
 * against the first workspace folder. */
export function currentEditorRun(): EditorRun {
  const config = vscode.workspace.getConfiguration("wasmlens.run");
  const values: RunSettingValues = {
    fuel: config.get("fuel"),
    timeout: config.get("timeout"),
    maxMemory: config.get("maxMemory"),
    dirs: config.get("dirs"),
    env: config.get("env"),
    allowNet: config.get("allowNet"),
  };
  return editorRun(values, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
}

export function createClient(
  choice: Extract<ServerChoice, { ok: true }>,
  outputChannel: vscode.OutputChannel,
  middleware: Middleware,
): LanguageClient {
  const run = { command: choice.path, args: ["lsp"] };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "wit" },
      { scheme: "untitled", language: "wit" },
    ],
    outputChannel,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: {
      // An untrusted workspace gets language features only: the server
      // then offers no lenses and refuses to run anything.
      execution: vscode.workspace.isTrusted,
      run: currentEditorRun(),
    },
    middleware,
  };
  return new LanguageClient("wasmlens", "wasmlens", serverOptions, clientOptions);
}
