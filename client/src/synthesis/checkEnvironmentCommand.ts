// "ai8x: Check Synthesis Environment": what was found, with versions, in the synthesis log.
import * as vscode from 'vscode';
import { describeEnvironment, EnvironmentReport } from '../../../server/src/synthesis/environmentReport';
import { mayRunSynthesis } from '../../../server/src/synthesis/trust';
import { findSynthesisEnvironment, readSynthesisSettings, reportEnvironmentProblems } from './synthesisEnvironment';
import type { SynthesisOutput } from './synthesisOutput';

export async function runCheckEnvironment(out: SynthesisOutput): Promise<EnvironmentReport | undefined> {
  const resource = vscode.window.activeTextEditor?.document.uri;
  const settings = readSynthesisSettings(resource);
  const env = await findSynthesisEnvironment(settings, resource);
  const trust = mayRunSynthesis(vscode.workspace.isTrusted);
  out.channel.show(true);
  out.channel.info('Synthesis environment:');
  if (!trust.allowed) {
    // Finding files is harmless; running the interpreter to ask for versions is not.
    for (const l of [
      `ai8x-synthesis: ${env.synthesis ? `${env.synthesis.path} (from ${env.synthesis.source})` : 'not found'}`,
      `Python: ${env.python ? `${env.python.path} (from ${env.python.source})` : 'not found'}`,
      `MSDK: ${env.msdk ? env.msdk.path : 'not found'}`,
    ])
      out.channel.info(`  ${l}`);
    out.channel.warn(trust.reason!);
    void vscode.window
      .showWarningMessage(`${trust.reason} (Versions are not checked in Restricted Mode.)`, 'Manage Workspace Trust')
      .then((p) => p && vscode.commands.executeCommand('workbench.trust.manage'));
    return undefined;
  }
  const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'ai8x: checking the synthesis environment' }, () =>
    describeEnvironment(env),
  );
  for (const l of report.lines) out.channel.info(`  ${l}`);
  for (const p of report.problems) out.channel.error(p);
  if (env.problems.length) void reportEnvironmentProblems(env);
  else if (report.problems.length)
    void vscode.window.showErrorMessage(`ai8x synthesis: ${report.problems[0]}`, 'Show Report').then((p) => p && out.channel.show());
  else
    void vscode.window
      .showInformationMessage(
        `ai8x synthesis is ready: ${report.lines
          .filter((l) => !l.startsWith(' '))
          .map((l) => l.split(' (from')[0])
          .join('; ')}`,
        'Show Report',
      )
      .then((p) => p && out.channel.show());
  return report;
}
