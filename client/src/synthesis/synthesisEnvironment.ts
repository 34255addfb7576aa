// Reads the synthesis settings and the Python extension's active environment, and finds the tools.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findEnvironment, SETTING_NAMES, SynthesisEnvironment, ToolName } from '../../../server/src/synthesis/environment';
import { normalizeSynthesisOptions, SynthesisOptions } from '../../../server/src/synthesis/settingsFlags';

export interface SynthesisSettings {
  synthesisPath: string;
  python: string;
  msdkPath: string;
  outputFolder: string;
  options: SynthesisOptions;
}

export const SETTING_IDS: Record<ToolName, string> = {
  synthesis: 'ai8x.synthesis.path',
  python: 'ai8x.python',
  msdk: 'ai8x.msdk.path',
};

export function readSynthesisSettings(scope?: vscode.Uri): SynthesisSettings {
  const c = vscode.workspace.getConfiguration('ai8x', scope);
  const raw = (c.get<Record<string, unknown>>('synthesis') ?? {}) as Record<string, unknown>;
  return {
    synthesisPath: c.get<string>('synthesis.path') ?? '',
    python: c.get<string>('python') ?? '',
    msdkPath: c.get<string>('msdk.path') ?? '',
    outputFolder: c.get<string>('synthesis.outputFolder') ?? '',
    options: normalizeSynthesisOptions(raw),
  };
}

/** The Python extension's active interpreter for `resource`, through its published API (null when absent). */
export async function pythonFromExtension(resource?: vscode.Uri, timeoutMs = 5000): Promise<string | null> {
  const ext = vscode.extensions.getExtension('ms-python.python');
  if (!ext) return null;
  const query = (async () => {
    const api = (ext.isActive ? ext.exports : await ext.activate()) as PythonExtensionApi | undefined;
    const envs = api?.environments;
    if (!envs?.getActiveEnvironmentPath) return null;
    const active = envs.getActiveEnvironmentPath(resource);
    const resolved = envs.resolveEnvironment ? await envs.resolveEnvironment(active) : undefined;
    return resolved?.executable?.uri?.fsPath ?? active?.path ?? null;
  })();
  const timeout = new Promise<null>((r) => setTimeout(() => r(null), timeoutMs));
  try {
    return await Promise.race([query, timeout]);
  } catch {
    return null;
  }
}

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment?(env: { id: string; path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

export async function findSynthesisEnvironment(settings: SynthesisSettings, resource: vscode.Uri | undefined): Promise<SynthesisEnvironment> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const base = resource ? (vscode.workspace.getWorkspaceFolder(resource)?.uri.fsPath ?? folders[0]) : folders[0];
  const abs = (p: string) => (p && base && !path.isAbsolute(p) && !p.startsWith('~') && (p.includes('/') || p.includes('\\')) ? path.resolve(base, p) : p);
  return findEnvironment({
    synthesisPath: settings.synthesisPath ? { path: abs(settings.synthesisPath), source: `the setting ${SETTING_IDS.synthesis}` } : undefined,
    workspaceFolders: folders,
    python: settings.python ? { path: abs(settings.python), source: `the setting ${SETTING_IDS.python}` } : undefined,
    pythonFromExtension: settings.python ? null : await pythonFromExtension(resource),
    msdkPath: settings.msdkPath ? { path: abs(settings.msdkPath), source: `the setting ${SETTING_IDS.msdk}` } : undefined,
    env: process.env,
    needMsdk: !settings.outputFolder,
    names: SETTING_NAMES,
  });
}

/** Shows the first problem with a button that opens the setting to fix it. */
export async function reportEnvironmentProblems(env: SynthesisEnvironment): Promise<void> {
  const first = env.problems[0];
  if (!first) return;
  const more = env.problems.length > 1 ? ` (and ${env.problems.length - 1} more problem${env.problems.length > 2 ? 's' : ''})` : '';
  const open = `Open Setting ${SETTING_IDS[first.tool]}`;
  const pick = await vscode.window.showErrorMessage(`ai8x synthesis: ${first.message}${more}`, open, 'Check Synthesis Environment');
  if (pick === open) await vscode.commands.executeCommand('workbench.action.openSettings', SETTING_IDS[first.tool]);
  else if (pick) await vscode.commands.executeCommand('ai8x.checkSynthesisEnvironment');
}
