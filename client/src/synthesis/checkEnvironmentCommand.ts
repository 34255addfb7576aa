// "ai8x: Check Synthesis Environment": what was found, with versions, in the synthesis log.
import * as vscode from 'vscode';
import { describeEnvironment, EnvironmentReport } from '../../../server/src/synthesis/environmentReport';
import { mayRunSynthesis } from '../../../server/src/synthesis/trust';
import { findSynthesisEnvironment, readSynthesisSettings, reportEnvironmentProblems, synthesisEngine, SynthesisSettings } from './synthesisEnvironment';
import type { SynthesisOutput } from './synthesisOutput';

export async function runCheckEnvironment(out: SynthesisOutput): Promise<EnvironmentReport | undefined> {
  const resource = vscode.window.activeTextEditor?.document.uri;
  const settings = readSynthesisSettings(resource);
  if (synthesisEngine(resource) === 'native') return checkNativeEnvironment(out, settings, resource);
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

/** The native engine is part of the extension: the report says so, where projects go, and whether the MSDK is there to build them. */
async function checkNativeEnvironment(out: SynthesisOutput, settings: SynthesisSettings, resource: vscode.Uri | undefined): Promise<EnvironmentReport> {
  const env = await findSynthesisEnvironment(settings, resource, { needIzer: false });
  const lines = [
    'Engine: native (part of this extension): it needs no Python, PyTorch or ai8x-synthesis. To run your izer instead, set ai8x.synthesis.engine to izer.',
    settings.outputFolder
      ? `Projects go to: ${settings.outputFolder} (the setting ai8x.synthesis.outputFolder)`
      : env.msdk
        ? `Projects go to: ${env.msdk.path}/Examples/<device>/CNN`
        : 'Projects go to: not set (no ai8x.synthesis.outputFolder and no MSDK)',
    env.msdk
      ? `MSDK, to build and flash the projects: ${env.msdk.path} (from ${env.msdk.source})`
      : 'MSDK, to build and flash the projects: not found. Install the MaximSDK (https://github.com/analogdevicesinc/msdk) and set MAXIM_PATH or ai8x.msdk.path.',
  ];
  const problems = env.problems.filter((p) => p.tool === 'msdk').map((p) => p.message);
  out.channel.show(true);
  out.channel.info('Synthesis environment:');
  for (const l of lines) out.channel.info(`  ${l}`);
  for (const p of problems) out.channel.error(p);
  if (problems.length) void reportEnvironmentProblems({ ...env, problems: env.problems.filter((p) => p.tool === 'msdk') }, resource);
  else {
    const build = env.msdk ? 'the MSDK builds them' : 'install the MSDK to build them';
    void vscode.window
      .showInformationMessage(`ai8x synthesis is ready: the native engine needs nothing more; ${build}.`, 'Show Report')
      .then((p) => p && out.channel.show());
  }
  return { lines, problems };
}
