// Task type `ai8xize`: synthesis from tasks.json, run through `ai8x synthesize` (same safety rules), with the
// `$ai8xize` problem matcher reading its `file:line:col: severity code message` lines.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { flagsFromOptions } from '../../../server/src/synthesis/settingsFlags';
import { findSynthesisEnvironment, readSynthesisSettings, synthesisEngine } from './synthesisEnvironment';

export const TASK_TYPE = 'ai8xize';

export interface Ai8xizeTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  network: string;
  checkpoint?: string;
  sampleInput?: string;
  device?: 'MAX78000' | 'MAX78002';
  prefix?: string;
  outputFolder?: string;
  updateNetworkOnly?: boolean;
  force?: boolean;
  engine?: 'native' | 'izer';
  args?: string[];
}

export class SynthesisTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly cliPath: string,
    /** Whether the server recognised a document (by URI) as a network. */
    private readonly isNetwork: (uri: string) => boolean,
  ) {}

  /** Offers a task for the network YAML in the active editor. */
  async provideTasks(): Promise<vscode.Task[]> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file' || !this.isNetwork(doc.uri.toString())) return [];
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const rel = folder ? path.relative(folder.uri.fsPath, doc.uri.fsPath).split(path.sep).join('/') : doc.uri.fsPath;
    const def: Ai8xizeTaskDefinition = { type: TASK_TYPE, network: folder ? `\${workspaceFolder}/${rel}` : rel };
    const t = await this.build(def, folder ?? vscode.TaskScope.Workspace);
    return t ? [t] : [];
  }

  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    const def = task.definition as Ai8xizeTaskDefinition;
    if (def.type !== TASK_TYPE || typeof def.network !== 'string') return undefined;
    return this.build(def, task.scope ?? vscode.TaskScope.Workspace);
  }

  private async build(
    def: Ai8xizeTaskDefinition,
    scope: vscode.WorkspaceFolder | vscode.TaskScope.Global | vscode.TaskScope.Workspace,
  ): Promise<vscode.Task | undefined> {
    const folder = typeof scope === 'object' ? scope : vscode.workspace.workspaceFolders?.[0];
    const settings = readSynthesisSettings(folder?.uri);
    const engine = def.engine ?? synthesisEngine(folder?.uri);
    const env = await findSynthesisEnvironment(settings, folder?.uri, { needIzer: engine === 'izer' });
    const args = [this.cliPath, 'synthesize', def.network, '--engine', engine];
    const opt = (name: string, v: string | undefined) => v && args.push(`--${name}`, v);
    opt('checkpoint', def.checkpoint);
    opt('sample-input', def.sampleInput);
    opt('device', def.device);
    opt('prefix', def.prefix);
    const outputFolder = def.outputFolder ?? settings.outputFolder;
    if (outputFolder && def.device) opt('out', outputFolder.replace(/\$\{device\}/g, def.device));
    else if (outputFolder && !outputFolder.includes('${device}')) opt('out', outputFolder);
    // A missing tool is left to the CLI, which exits 2 with the message saying what to install.
    if (engine === 'izer') {
      opt('synthesis-path', env.synthesis?.path);
      opt('python', env.python?.path);
    }
    if (def.updateNetworkOnly) args.push('--update-network-only');
    if (def.force) args.push('--force');
    args.push('--', ...flagsFromOptions(settings.options), ...(def.args ?? []));
    const environment: Record<string, string> = { ELECTRON_RUN_AS_NODE: '1' };
    if (settings.msdkPath) environment.MAXIM_PATH = settings.msdkPath;
    const exec = new vscode.ProcessExecution(process.execPath, args, { cwd: folder?.uri.fsPath, env: environment });
    const name = `synthesize ${path.basename(def.network)}${def.updateNetworkOnly ? ' (network files only)' : ''}`;
    const task = new vscode.Task(def, scope, name, 'ai8x', exec, ['$ai8xize']);
    task.group = vscode.TaskGroup.Build;
    return task;
  }
}
