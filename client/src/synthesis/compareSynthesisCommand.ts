// "ai8x: Compare Synthesis with izer": izer and the native generator each make the project of the active network
// in scratch folders, and both are compiled on this computer to compare what they give the accelerator. It runs
// `ai8x compare-synthesis --format json` (the same workflow as on the command line) with the network's device,
// checkpoint, sample and flags as the editor resolves them, and the izer the synthesis settings name.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeNetworkUri } from '../common/activeNetwork';
import type { Ai8xClient } from '../languageClient/serverClient';
import { AssociationRequest } from '../../../server/src/protocol';
import { runProcess } from '../../../server/src/process/runProcess';
import { flagsFromOptions } from '../../../server/src/synthesis/settingsFlags';
import { mayRunSynthesis } from '../../../server/src/synthesis/trust';
import { findSynthesisEnvironment, readSynthesisSettings, reportEnvironmentProblems } from './synthesisEnvironment';
import type { SynthesisOutput } from './synthesisOutput';

/** What the CLI printed as JSON (app/compareSynthesis.ts's outcome). */
export type CompareOutcome =
  | {
      status: 'compared';
      same: boolean;
      summary: string;
      differences: { aspect: string; message: string }[];
      izerProject: string | null;
      nativeProject: string | null;
    }
  | { status: 'izer-failed' | 'native-failed' | 'harness-failed' | 'cancelled' | 'not-run'; problem: string };

export interface CompareOptions {
  /** For tests: keep both projects and report where they are. */
  keep?: boolean;
  /** For tests: what the closing notification said. */
  done?: (message: string) => void;
}

export async function runCompareSynthesis(
  client: Ai8xClient,
  out: SynthesisOutput,
  cliPath: string,
  target: vscode.Uri | undefined,
  opts: CompareOptions = {},
): Promise<CompareOutcome> {
  const notRun = (problem: string, show: 'error' | 'warning' = 'error'): CompareOutcome => {
    if (show === 'error') void vscode.window.showErrorMessage(`ai8x: ${problem}`);
    else void vscode.window.showWarningMessage(`ai8x: ${problem}`);
    out.channel.warn(`Compare Synthesis with izer: ${problem}`);
    opts.done?.(problem);
    return { status: 'not-run', problem };
  };
  // izer is the user's Python: it runs only in a trusted workspace.
  const trust = mayRunSynthesis(vscode.workspace.isTrusted);
  if (!trust.allowed) return notRun(trust.reason!, 'warning');
  const uri = target instanceof vscode.Uri ? target : activeNetworkUri();
  if (!uri || uri.scheme !== 'file') return notRun('open a network YAML file (saved on disk) first.');
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty && !(await doc.save())) return notRun(`${path.basename(uri.fsPath)} could not be saved, and izer reads the saved file.`);
  const assoc = await client.sendRequest(AssociationRequest, { uri: uri.toString() });
  if (!assoc?.isNetwork) return notRun(`${path.basename(uri.fsPath)} is not an ai8x network description.`);

  const settings = readSynthesisSettings(uri);
  const env = await findSynthesisEnvironment(settings, uri, { needIzer: true });
  const izerProblems = env.problems.filter((p) => p.tool !== 'msdk');
  if (izerProblems.length || !env.synthesis || !env.python) {
    for (const p of izerProblems) out.channel.error(p.message);
    void reportEnvironmentProblems({ ...env, problems: izerProblems }, uri);
    opts.done?.(izerProblems[0]?.message ?? 'izer was not found');
    return { status: 'not-run', problem: izerProblems[0]?.message ?? 'izer was not found' };
  }

  const args = [cliPath, 'compare-synthesis', uri.fsPath, '--format', 'json', '--device', assoc.device];
  args.push('--synthesis-path', env.synthesis.path, '--python', env.python.path);
  if (assoc.checkpoint) args.push('--checkpoint', assoc.checkpoint);
  if (assoc.sampleInput) args.push('--sample-input', assoc.sampleInput);
  if (opts.keep) args.push('--keep');
  args.push('--', ...flagsFromOptions(settings.options), ...assoc.izerFlags);

  out.channel.show(true);
  out.channel.info(`Comparing izer's project for ${uri.fsPath} (${assoc.device}) with the native one…`);
  const name = path.basename(uri.fsPath);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `ai8x: comparing synthesis of ${name} with izer`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let stdout = '';
      try {
        const r = await runProcess(process.execPath, args, {
          cwd: path.dirname(uri.fsPath),
          env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
          signal: abort.signal,
          onStdout: (t) => (stdout += t),
          onStderr: (t) => {
            out.stream(t);
            const last = t.trim().split(/\r?\n/).pop();
            if (last) progress.report({ message: last.slice(0, 80) });
          },
        });
        out.flush();
        if (r.cancelled) return { status: 'cancelled', problem: 'cancelled' } as const;
        if (r.startError) return { status: 'harness-failed', problem: `the ai8x command could not start: ${r.startError}` } as const;
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          return JSON.parse(line) as CompareOutcome;
        } catch {
          return { status: 'harness-failed', problem: `the comparison ended (exit ${r.exitCode}) without a result; see the ai8x Synthesis log` } as const;
        }
      } finally {
        sub.dispose();
      }
    },
  );
  report(outcome, out, opts);
  return outcome;
}

function report(outcome: CompareOutcome, out: SynthesisOutput, opts: CompareOptions): void {
  const show = (kind: 'info' | 'warning' | 'error', message: string) => {
    opts.done?.(message);
    const ask = kind === 'info' ? vscode.window.showInformationMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void ask(`ai8x: ${message}`, 'Show Log').then((p) => p && out.channel.show());
  };
  if (outcome.status === 'compared') {
    if (outcome.same) out.channel.info(`Same: ${outcome.summary}`);
    else {
      out.channel.error(`Different: ${outcome.summary}`);
      for (const d of outcome.differences.slice(1)) out.channel.warn(`  also ${d.aspect}: ${d.message}`);
    }
    if (outcome.izerProject) out.channel.info(`izer's project: ${outcome.izerProject}; the native project: ${outcome.nativeProject}`);
    if (outcome.same) show('info', `izer's project and the native one give the accelerator the same (${outcome.summary.replace(/^same:\s*/, '')}).`);
    else show('warning', `izer's project and the native one differ: ${outcome.summary}`);
    return;
  }
  if (outcome.status === 'cancelled') {
    out.channel.info('Comparison cancelled.');
    opts.done?.('cancelled');
    return;
  }
  out.channel.error(outcome.problem);
  const what =
    outcome.status === 'izer-failed'
      ? 'izer did not make a project'
      : outcome.status === 'native-failed'
        ? 'the native generator did not make a project'
        : 'the projects could not be compared';
  show('error', `${what}: ${outcome.problem}`);
}
