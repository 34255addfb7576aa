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

export type SynthesisEngineName = 'native' | 'izer';

/** The engine the setting ai8x.synthesis.engine names for this network (native unless it says izer). */
export function synthesisEngine(uri: vscode.Uri | undefined): SynthesisEngineName {
  return vscode.workspace.getConfiguration('ai8x', uri).get<string>('synthesis.engine') === 'izer' ? 'izer' : 'native';
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

export async function findSynthesisEnvironment(
  settings: SynthesisSettings,
  resource: vscode.Uri | undefined,
  opts: { needIzer?: boolean } = {},
): Promise<SynthesisEnvironment> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const base = resource ? (vscode.workspace.getWorkspaceFolder(resource)?.uri.fsPath ?? folders[0]) : folders[0];
  const abs = (p: string) => (p && base && !path.isAbsolute(p) && !p.startsWith('~') && (p.includes('/') || p.includes('\\')) ? path.resolve(base, p) : p);
  return findEnvironment({
    synthesisPath: settings.synthesisPath ? { path: abs(settings.synthesisPath), source: `the setting ${SETTING_IDS.synthesis}` } : undefined,
    workspaceFolders: folders,
    python: settings.python ? { path: abs(settings.python), source: `the setting ${SETTING_IDS.python}` } : undefined,
    // Asking the Python extension activates it; the native generator has no use for its answer.
    pythonFromExtension: settings.python || opts.needIzer === false ? null : await pythonFromExtension(resource),
    msdkPath: settings.msdkPath ? { path: abs(settings.msdkPath), source: `the setting ${SETTING_IDS.msdk}` } : undefined,
    env: process.env,
    needMsdk: !settings.outputFolder,
    names: SETTING_NAMES,
  });
}

/** Which settings editor a setting is opened in, and why (returned for tests and scripted use). */
export type SettingsScope = 'remote' | 'user' | 'workspace';

const MACHINE_SETTINGS = new Set(Object.values(SETTING_IDS));

/**
 * Opens the settings editor where `id` takes effect. The tool paths are machine-overridable: in a remote window
 * (code-server, Remote-SSH, WSL, containers) they belong to the remote machine, and the User tab shows "No
 * Settings Found" for them, so they open under Remote; other settings open in the workspace settings.
 */
export async function openSettingWhereItApplies(id: string): Promise<SettingsScope> {
  const args = { query: id, revealSetting: { key: id } };
  if (MACHINE_SETTINGS.has(id)) {
    if (vscode.env.remoteName) {
      await vscode.commands.executeCommand('workbench.action.openRemoteSettings', args);
      return 'remote';
    }
    await vscode.commands.executeCommand('workbench.action.openSettings', args);
    return 'user';
  }
  if (vscode.workspace.workspaceFolders?.length) {
    await vscode.commands.executeCommand('workbench.action.openWorkspaceSettings', args);
    return 'workspace';
  }
  await vscode.commands.executeCommand('workbench.action.openSettings', args);
  return 'user';
}

/** For tests and scripted use: answers the environment problem's question instead of the user. */
export type EnvironmentAction = 'open-setting' | 'choose-folder' | 'choose-output-folder' | 'check' | 'dismiss';
/** An action, or for tests the folder the "Choose …" dialog would have returned. */
export type EnvironmentAnswer = EnvironmentAction | { action: 'choose-folder' | 'choose-output-folder'; folder: string };

/**
 * Shows the first problem with what fixes it: choosing the folder (written to the setting where it applies), opening
 * that setting, and for a missing MSDK choosing an output folder instead (the workspace setting
 * ai8x.synthesis.outputFolder), so synthesis needs no MSDK.
 */
export async function reportEnvironmentProblems(
  env: SynthesisEnvironment,
  resource?: vscode.Uri,
  answer?: EnvironmentAnswer,
): Promise<{ action: EnvironmentAction; offered: string[]; message: string; scope?: SettingsScope; value?: string }> {
  const first = env.problems[0];
  if (!first) return { action: 'dismiss', offered: [], message: '' };
  const more = env.problems.length > 1 ? ` (and ${env.problems.length - 1} more problem${env.problems.length > 2 ? 's' : ''})` : '';
  const id = SETTING_IDS[first.tool];
  const labels: Record<EnvironmentAction, string> = {
    'choose-output-folder': 'Choose Output Folder…',
    'choose-folder': first.tool === 'python' ? 'Choose Interpreter…' : first.tool === 'msdk' ? 'Choose MSDK Folder…' : 'Choose Folder…',
    'open-setting': `Open Setting ${id}`,
    check: 'Check Synthesis Environment',
    dismiss: '',
  };
  const offeredActions: EnvironmentAction[] = [...(first.tool === 'msdk' ? (['choose-output-folder'] as const) : []), 'choose-folder', 'open-setting', 'check'];
  const message = `ai8x synthesis: ${first.message}${more}`;
  const base = { offered: offeredActions.map((a) => labels[a]), message };
  let action: EnvironmentAction;
  let given: string | undefined;
  if (typeof answer === 'object') {
    action = answer.action;
    given = answer.folder;
  } else if (answer) action = answer;
  else {
    const pick = await vscode.window.showErrorMessage(message, ...base.offered);
    action = offeredActions.find((a) => labels[a] === pick) ?? 'dismiss';
  }
  const chooseFolder = async (options: vscode.OpenDialogOptions) => given ?? (await vscode.window.showOpenDialog(options))?.[0]?.fsPath;
  if (action === 'open-setting') return { ...base, action, scope: await openSettingWhereItApplies(id) };
  if (action === 'check') await vscode.commands.executeCommand('ai8x.checkSynthesisEnvironment');
  if (action === 'choose-output-folder') {
    const folder = vscode.workspace.getWorkspaceFolder(resource ?? vscode.Uri.file('/'))?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const dir = await chooseFolder({
      title: 'Folder for generated projects (izer --test-dir; the project is <folder>/<network name>)',
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri: folder,
      openLabel: 'Use for Generated Projects',
    });
    if (!dir) return { ...base, action };
    const rel = folder && !path.relative(folder.fsPath, dir).startsWith('..') ? path.relative(folder.fsPath, dir) || '.' : dir;
    await vscode.workspace
      .getConfiguration('ai8x', resource)
      .update('synthesis.outputFolder', rel, folder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(`ai8x: generated projects go to ${dir} (workspace setting ai8x.synthesis.outputFolder). Synthesize again.`);
    return { ...base, action, value: rel };
  }
  if (action === 'choose-folder') {
    const chosen = await chooseFolder({
      title: first.tool === 'python' ? 'Python interpreter (or virtual-environment folder) for ai8x-synthesis' : `Folder for ${id}`,
      canSelectFiles: first.tool === 'python',
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Use This',
    });
    if (!chosen) return { ...base, action };
    // Machine-overridable: Global writes to the machine the extension host runs on (Remote in a remote window).
    await vscode.workspace.getConfiguration('ai8x').update(id.replace(/^ai8x\./, ''), chosen, vscode.ConfigurationTarget.Global);
    return { ...base, action, value: chosen };
  }
  return { ...base, action };
}
