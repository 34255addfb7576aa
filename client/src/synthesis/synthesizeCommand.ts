// "ai8x: Synthesize C Code" and "ai8x: Update Network Files in Existing Project": the UI around synthesize().
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activeNetworkUri } from '../common/activeNetwork';
import * as vscode from 'vscode';
import type { Ai8xClient } from '../languageClient/serverClient';
import { AssociationRequest, PlaceIzerMessagesRequest, SynthesizeRequest } from '../../../server/src/protocol';
import { networkFileNames } from '../../../server/src/synthesis/izerArgs';
import { summaryLine } from '../../../server/src/synthesis/logSummary';
import { buildSteps } from '../../../server/src/synthesis/buildSteps';
import { flagsFromOptions } from '../../../server/src/synthesis/settingsFlags';
import { synthesize, SynthesisMode, SynthesisOutcome } from '../../../server/src/synthesis/synthesize';
import { mayRunSynthesis } from '../../../server/src/synthesis/trust';
import { deviceSourceText } from '../../../server/src/shared/deviceSource';
import {
  EnvironmentAnswer,
  findSynthesisEnvironment,
  readSynthesisSettings,
  reportEnvironmentProblems,
  synthesisEngine,
  SynthesisEngineName,
} from './synthesisEnvironment';
import type { SynthesisOutput } from './synthesisOutput';

// izer colours its console output; the progress line shows it plain.
// eslint-disable-next-line no-control-regex
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;

export interface SynthesizeOptions {
  mode: SynthesisMode;
  /** For tests and scripted use: the engine, instead of the setting ai8x.synthesis.engine. */
  engine?: SynthesisEngineName;
  /** For tests and scripted use: answer the overwrite question without a dialog. */
  overwrite?: 'replace' | 'backup' | 'cancel';
  /** For tests and scripted use (in-process callers): see what the progress notification and the log show. */
  observer?: { progress?: (message: string) => void; output?: (line: string) => void };
  /** For tests and scripted use: cancels like the notification's Cancel button. */
  signal?: AbortSignal;
  /** For tests and scripted use: the answer to "the file has errors; run izer anyway?" without the question. */
  liveErrors?: 'run' | 'cancel';
  /** For tests and scripted use: the answer to an environment problem (see reportEnvironmentProblems). */
  environmentAnswer?: EnvironmentAnswer;
  /** For tests and scripted use: what the command asked or said besides progress and output. */
  notes?: {
    question?: (message: string) => void;
    environment?: (result: Awaited<ReturnType<typeof reportEnvironmentProblems>>) => void;
    done?: (message: string, buttons: string[]) => void;
  };
}

/** Runs the command; resolves to the outcome (or undefined when it stopped before izer could run). */
export async function runSynthesizeCommand(
  client: Ai8xClient,
  out: SynthesisOutput,
  target: vscode.Uri | undefined,
  opts: SynthesizeOptions,
): Promise<SynthesisOutcome | undefined> {
  const uri = target instanceof vscode.Uri ? target : activeNetworkUri();
  const engine = opts.engine ?? synthesisEngine(uri);
  // izer runs the Python the settings name; the native generator runs nothing.
  const trust = mayRunSynthesis(vscode.workspace.isTrusted);
  if (engine === 'izer' && !trust.allowed) {
    out.channel.warn(trust.reason!);
    void vscode.window.showWarningMessage(trust.reason!, 'Manage Workspace Trust').then((p) => p && vscode.commands.executeCommand('workbench.trust.manage'));
    return undefined;
  }
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('ai8x synthesis: open a network YAML file (saved on disk) first.');
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  // izer reads the file from disk.
  if (doc.isDirty && !(await doc.save())) {
    void vscode.window.showErrorMessage(`ai8x synthesis: ${path.basename(uri.fsPath)} could not be saved, and izer reads the saved file.`);
    return undefined;
  }
  let assoc = await client.sendRequest(AssociationRequest, { uri: doc.uri.toString() });
  if (!assoc || !assoc.isNetwork) {
    void vscode.window.showErrorMessage(
      `ai8x synthesis: ${path.basename(uri.fsPath)} is not an ai8x network description (it needs \`arch\`, \`dataset\` and a \`layers\` list).`,
    );
    return undefined;
  }

  const settings = readSynthesisSettings(uri);
  const found = await findSynthesisEnvironment(settings, uri, { needIzer: engine === 'izer' });
  // The native generator needs only somewhere to put the project (the output folder setting or the MSDK).
  const env = engine === 'izer' ? found : { ...found, problems: found.problems.filter((p) => p.tool === 'msdk') };
  if (env.problems.length || (engine === 'izer' && (!env.synthesis || !env.python))) {
    for (const p of env.problems) out.channel.error(p.message);
    const answered = reportEnvironmentProblems(env, uri, opts.environmentAnswer);
    if (opts.environmentAnswer) opts.notes?.environment?.(await answered);
    return undefined;
  }

  // izer stops at the first mistake it finds, and we already show them all: ask before running it for nothing.
  const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ai8x' && d.severity === vscode.DiagnosticSeverity.Error);
  if (errors.length && engine === 'native') {
    const first = errors.sort((a, b) => a.range.start.line - b.range.start.line)[0];
    const message = `${path.basename(uri.fsPath)} has ${errors.length} error${errors.length === 1 ? '' : 's'} (line ${first.range.start.line + 1}: ${first.message}). C code is generated for a network without errors (izer would stop at the first one).`;
    opts.notes?.question?.(message);
    out.channel.info(`Synthesis not started: ${message}`);
    if (!opts.liveErrors)
      void vscode.window
        .showErrorMessage(`ai8x synthesis: ${message}`, 'Show Problems')
        .then((p) => p && vscode.commands.executeCommand('workbench.actions.view.problems'));
    return undefined;
  }
  if (errors.length) {
    const first = errors.sort((a, b) => a.range.start.line - b.range.start.line)[0];
    const question = `${path.basename(uri.fsPath)} has ${errors.length} error${errors.length === 1 ? '' : 's'} (line ${first.range.start.line + 1}: ${first.message}). izer will stop at the first one. Run izer anyway?`;
    opts.notes?.question?.(question);
    const run = 'Run izer Anyway';
    const show = 'Show Problems';
    const answer = opts.liveErrors ?? ((await vscode.window.showWarningMessage(`ai8x synthesis: ${question}`, run, show)) === run ? 'run' : 'cancel');
    if (answer !== 'run') {
      if (!opts.liveErrors) void vscode.commands.executeCommand('workbench.actions.view.problems');
      out.channel.info(`Synthesis not started: ${question.replace(/ Run izer anyway\?$/, '')}`);
      return undefined;
    }
  }

  if ((!assoc.checkpoint || !fs.existsSync(assoc.checkpoint)) && assoc.checkpointRequired) {
    const picked = await pickCheckpoint(doc, assoc.checkpoint);
    if (!picked) return undefined;
    assoc = { ...assoc, checkpoint: picked };
  }

  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
  let testDir = settings.outputFolder
    ? path.resolve(folder, settings.outputFolder.replace(/\$\{device\}/g, assoc.device))
    : path.join(env.msdk!.path, 'Examples', assoc.device, 'CNN');
  let prefix = path.basename(uri.fsPath).replace(/\.ya?ml$/i, '');
  const flags = [...flagsFromOptions(settings.options), ...assoc.izerFlags];

  if (opts.mode === 'update-network-only') {
    const project = await pickProject(path.join(testDir, prefix), testDir, flags);
    if (!project) return undefined;
    testDir = path.dirname(project);
    prefix = path.basename(project);
  }

  out.diagnostics.delete(doc.uri);
  out.channel.show(true);
  if (engine === 'native') return runNative(client, out, doc, { device: assoc.device, testDir, prefix, flags, msdk: env.msdk?.path ?? null }, opts);
  out.channel.info(`Synthesizing ${uri.fsPath} for ${assoc.device} (${deviceSourceText(assoc.deviceSource)}) with ${env.python!.path} (${env.python!.source})`);
  const name = path.basename(uri.fsPath);
  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `ai8x: ${opts.mode === 'project' ? 'Synthesizing' : 'Updating network files for'} ${name}`,
      cancellable: true,
    },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      opts.signal?.addEventListener('abort', () => abort.abort(), { once: true });
      const log = (line: string) => {
        out.channel.info(line);
        opts.observer?.output?.(line);
      };
      const showProgress = (message: string) => {
        progress.report({ message });
        opts.observer?.progress?.(message);
      };
      showProgress('starting izer…');
      try {
        return await synthesize(
          {
            python: env.python!.path,
            synthesisDir: env.synthesis!.path,
            network: uri.fsPath,
            checkpoint: assoc!.checkpoint,
            sampleInput: assoc!.sampleInput,
            device: assoc!.device,
            prefix,
            testDir,
            flags,
            mode: opts.mode,
            networkText: doc.getText(),
            placeMessages: (messages, text, device, { skipYamlLayers }) =>
              client.sendRequest(PlaceIzerMessagesRequest, { messages, text, device, skipYamlLayers: skipYamlLayers ?? 0, uri: doc.uri.toString() }),
          },
          {
            signal: abort.signal,
            onCommandLine: (line) => log(`$ ${line}`),
            onNote: log,
            onOutput: (_s, t) => {
              out.stream(t);
              opts.observer?.output?.(t);
              const last = t.trim().split(/\r?\n/).pop();
              if (last) showProgress(last.replace(ANSI_COLOUR, '').slice(0, 80));
            },
            confirmOverwrite: (target, concern) => confirmOverwrite(target, concern, opts),
          },
        );
      } finally {
        out.flush();
        sub.dispose();
      }
    },
  );
  // izer's copies of what the live check shows already: one problem per mistake, the copy noted in the log.
  const note = (line: string) => {
    out.channel.info(line);
    opts.observer?.output?.(line);
  };
  for (const d of outcome.diagnostics.filter((x) => x.duplicateOf))
    note(`izer agrees with ${d.duplicateOf!.code} on line ${doc.positionAt(d.duplicateOf!.range[0]).line + 1}: ${d.message}`);
  const diags = out.setDiagnostics(
    doc,
    outcome.diagnostics.filter((x) => !x.duplicateOf),
  );
  const steps =
    outcome.status === 'ok'
      ? buildSteps({
          target: outcome.target,
          device: assoc.device,
          msdk: env.msdk?.path ?? null,
          maximPathSet: !!process.env.MAXIM_PATH,
          hasVscodeFolder: fs.existsSync(path.join(outcome.target, '.vscode')),
          commandLine: outcome.commandLine,
        })
      : [];
  announce(outcome, diags.length, out, steps, opts, note, 'izer');
  return outcome;
}

interface NativeTarget {
  device: 'MAX78000' | 'MAX78002';
  testDir: string;
  prefix: string;
  flags: string[];
  msdk: string | null;
}

/** The native generator runs in the language server, on the document as the live check sees it. */
async function runNative(
  client: Ai8xClient,
  out: SynthesisOutput,
  doc: vscode.TextDocument,
  t: NativeTarget,
  opts: SynthesizeOptions,
): Promise<SynthesisOutcome> {
  out.channel.info(`Generating C code for ${doc.uri.fsPath} (${t.device}) natively into ${path.join(t.testDir, t.prefix)}`);
  const name = path.basename(doc.uri.fsPath);
  const ask = (overwrite?: 'replace' | 'backup') =>
    client.sendRequest(SynthesizeRequest, { uri: doc.uri.toString(), prefix: t.prefix, testDir: t.testDir, mode: opts.mode, overwrite, izerFlags: t.flags });
  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `ai8x: ${opts.mode === 'project' ? 'Generating C code for' : 'Updating network files for'} ${name}`,
    },
    async (progress) => {
      progress.report({ message: 'checking, simulating the known answer and writing the project…' });
      opts.observer?.progress?.('generating natively');
      let result = await ask();
      if (result.status === 'refused' && result.needsConsent) {
        const answer = await confirmOverwrite(result.target, result.problem ?? `${result.target} may hold your work.`, opts);
        if (answer !== 'cancel') result = await ask(answer);
      }
      return result;
    },
  );
  const note = (line: string) => {
    out.channel.info(line);
    opts.observer?.output?.(line);
  };
  const steps =
    outcome.status === 'ok'
      ? buildSteps({
          target: outcome.target,
          device: t.device,
          msdk: t.msdk,
          maximPathSet: !!process.env.MAXIM_PATH,
          hasVscodeFolder: fs.existsSync(path.join(outcome.target, '.vscode')),
          commandLine: outcome.commandLine,
          engine: 'native',
        })
      : [];
  // What the generator found wrong with the project it had to write (where izer's own code is wrong, ours follows).
  for (const m of outcome.messages.filter((x) => x.severity === 'warning')) {
    out.channel.warn(m.text);
    opts.observer?.output?.(`warning: ${m.text}`);
    void vscode.window.showWarningMessage(`ai8x synthesis: ${m.text}`, 'Show Output').then((p) => p && out.channel.show());
  }
  announce(outcome, 0, out, steps, opts, note, 'native');
  return outcome;
}

async function pickCheckpoint(doc: vscode.TextDocument, missing: string | null): Promise<string | undefined> {
  const why = missing ? `The checkpoint ${missing} does not exist.` : `No checkpoint is associated with ${path.basename(doc.uri.fsPath)}.`;
  const choose = 'Choose Checkpoint…';
  if ((await vscode.window.showWarningMessage(`ai8x synthesis: ${why} izer needs the quantized checkpoint (…-q.pth.tar) of this network.`, choose)) !== choose)
    return undefined;
  // The workspace's checkpoints, best name match first (and Browse…); for this session or written into the file.
  const file = (await vscode.commands.executeCommand('ai8x.selectCheckpoint', doc.uri.toString())) as string | undefined;
  // izer reads the saved file: keep the `# ai8x: checkpoint=…` line the command may have added.
  if (file && doc.isDirty) await doc.save();
  return file;
}

async function pickProject(suggested: string, testDir: string, flags: readonly string[]): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: `Project whose ${networkFileNames(flags).join(', ')} to replace`,
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.Uri.file(fs.existsSync(suggested) ? suggested : fs.existsSync(testDir) ? testDir : path.dirname(testDir)),
    openLabel: 'Update Network Files',
  });
  return picked?.[0]?.fsPath;
}

async function confirmOverwrite(target: string, concern: string, opts: SynthesizeOptions): Promise<'replace' | 'backup' | 'cancel'> {
  if (opts.overwrite) return opts.overwrite;
  const backup = 'Keep a Backup and Replace';
  const replace = 'Replace';
  const pick = await vscode.window.showWarningMessage(
    `${concern}\n\nReplace ${opts.mode === 'project' ? 'it' : 'its network files'} with the new synthesis output?`,
    { modal: true, detail: `Target: ${target}` },
    backup,
    replace,
  );
  return pick === backup ? 'backup' : pick === replace ? 'replace' : 'cancel';
}

function announce(
  o: SynthesisOutcome,
  diagnosticCount: number,
  out: SynthesisOutput,
  steps: string[],
  opts: SynthesizeOptions,
  note: (line: string) => void,
  engine: SynthesisEngineName,
): void {
  const problems = diagnosticCount ? ` (${diagnosticCount} message${diagnosticCount === 1 ? '' : 's'} in the Problems view)` : '';
  switch (o.status) {
    case 'ok': {
      const s = o.summary ? summaryLine(o.summary) : '';
      out.channel.info(`Done: ${o.files.length} file${o.files.length === 1 ? '' : 's'} in ${o.target}: ${o.files.join(', ')}`);
      if (s) out.channel.info(`Resource use: ${s}`);
      if (o.backup) out.channel.info(`The previous contents were kept in ${o.backup}`);
      for (const l of steps) note(l);
      const howToBuild = 'How to Build';
      const copy = engine === 'native' ? 'Copy Command' : 'Copy izer Command';
      const open = 'Open Generated Project';
      const message = `ai8x: generated ${o.files.length} files in ${o.target}${s ? ` — ${s}` : ''}${problems}. Build it with the MSDK: make (MAXIM_PATH set), then flash and watch the serial output.`;
      opts.notes?.done?.(message, [howToBuild, copy, open]);
      void vscode.window.showInformationMessage(message, howToBuild, copy, open).then((p) => {
        if (p === open) void vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(o.target), { forceNewWindow: true });
        else if (p === copy) void vscode.env.clipboard.writeText(o.commandLine);
        else if (p === howToBuild) out.channel.show();
      });
      return;
    }
    case 'izer-failed':
      out.channel.error(o.problem ?? 'izer failed');
      void vscode.window.showErrorMessage(`ai8x: ${o.problem}${problems}`, 'Show Problems', 'Show Output').then((p) => {
        if (p === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
        else if (p) out.channel.show();
      });
      return;
    case 'cancelled':
      out.channel.warn(o.problem ?? 'cancelled');
      void vscode.window.showInformationMessage(`ai8x: ${o.problem}`);
      return;
    case 'refused':
    case 'failed':
      out.channel.error(o.problem ?? o.status);
      void vscode.window.showErrorMessage(`ai8x: ${o.problem}`, 'Show Output').then((p) => p && out.channel.show());
      return;
  }
}
