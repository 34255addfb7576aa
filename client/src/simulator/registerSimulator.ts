// "ai8x: Run Simulator": asks the language server to simulate the network (progress notification with Cancel),
// shows the results in the network's results view, and serves the view's exports and "run again" buttons.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activeNetworkUri } from '../common/activeNetwork';
import * as vscode from 'vscode';
import type { Ai8xClient } from '../languageClient/serverClient';
import { LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import {
  AssociationRequest,
  AssociationResult,
  RunSimulationRequest,
  RunSimulationResult,
  SimulationInput,
  SimulationProgressNotification,
  SimulationProgressParams,
} from '../../../server/src/protocol';
import { chooseSimulationInput, describeInput, hasAssociatedSample } from './chooseSimulationInput';
import { ExistingFiles, exportAllLayers, exportKnownAnswer, exportLayer } from './simulatorExports';
import { PageRequest, RenderedReport, SimulatorPanel, SimulatorPanels } from './simulatorPanel';

const NOT_NETWORK_HINT = 'it needs top-level `arch` and `layers`, or a match in the setting ai8x.networkFiles';

export interface RunSimulatorOptions {
  /** Skip the chooser and run on this input. */
  input?: SimulationInput;
  /** Skip the chooser's first question and ask only for this kind of input (the view's buttons do this). */
  inputKind?: SimulationInput['kind'];
  /** For tests and scripted use: cancels like the notification's Cancel button. */
  signal?: AbortSignal;
  /** For tests and scripted use: sees what the progress notification shows. */
  observer?: { progress?: (message: string) => void };
}

export interface SimulatorOutcome {
  status: 'ok' | 'failed' | 'cancelled';
  result?: RunSimulationResult;
  /** What the results view reported after drawing (null when it did not answer in time). */
  rendered: RenderedReport | null;
}

export function registerSimulator(context: vscode.ExtensionContext, client: Ai8xClient): void {
  const progressListeners = new Map<string, (p: SimulationProgressParams) => void>();
  // eslint-disable-next-line prefer-const -- assigned once below, after the handlers the panels need
  let panels: SimulatorPanels;

  const run = async (target: vscode.Uri | string | undefined, opts: RunSimulatorOptions = {}): Promise<SimulatorOutcome | undefined> => {
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target instanceof vscode.Uri ? target : activeNetworkUri();
    if (!uri) {
      void vscode.window.showErrorMessage('ai8x: open a network YAML file to simulate first.');
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const name = path.basename(uri.fsPath || uri.path);
    // The server decides what is a network (its content, or the setting ai8x.networkFiles), as for diagnostics.
    const assoc = await client.sendRequest(AssociationRequest, { uri: doc.uri.toString() });
    if (!assoc?.isNetwork) {
      void vscode.window.showErrorMessage(`ai8x: ${name} is not an ai8x network description (${NOT_NETWORK_HINT}).`);
      return undefined;
    }
    // Without its checkpoint the network cannot run on any input: say so before asking for one.
    if (missingCheckpoint(assoc)) return simulateOn(doc.uri, name, opts.input ?? { kind: 'associated' }, assoc, opts);
    let input = opts.input ?? (opts.inputKind ? undefined : panels.get(doc.uri)?.lastInput) ?? undefined;
    if (!input && opts.inputKind) input = await chooseSimulationInput(doc.uri, assoc, opts.inputKind);
    else if (!input) input = hasAssociatedSample(assoc) ? { kind: 'associated' } : await chooseSimulationInput(doc.uri, assoc);
    if (!input) return undefined;
    return simulateOn(doc.uri, name, input, assoc, opts);
  };

  /** The network needs a checkpoint and has none (or its file is gone): the server answers `no-checkpoint` at once. */
  const missingCheckpoint = (assoc: AssociationResult | null) => !!assoc?.checkpointRequired && (!assoc.checkpoint || !fs.existsSync(assoc.checkpoint));

  const simulateOn = async (
    uri: vscode.Uri,
    name: string,
    input: SimulationInput,
    assoc: AssociationResult | null,
    opts: RunSimulatorOptions,
  ): Promise<SimulatorOutcome> => {
    const runId = randomUUID();
    const panel = panels.show(uri);
    panel.lastInput = input;
    const inputText = describeInput(input, assoc, uri);
    panel.post({ type: 'running', runId, network: name, input: inputText });
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `ai8x: Simulating ${name}`, cancellable: true },
      async (progress, token): Promise<{ status: SimulatorOutcome['status']; result?: RunSimulationResult }> => {
        const cts = new vscode.CancellationTokenSource();
        const subs = [token.onCancellationRequested(() => cts.cancel())];
        opts.signal?.addEventListener('abort', () => cts.cancel(), { once: true });
        let shown = 0;
        progressListeners.set(runId, (p) => {
          const message = `layer ${p.layer}${p.name ? ` (${p.name})` : ''}, ${p.done} of ${p.expected}`;
          progress.report({ message, increment: (100 * (p.done - shown)) / Math.max(1, p.expected) });
          shown = p.done;
          panel.post({ type: 'progress', ...p });
          opts.observer?.progress?.(message);
        });
        progress.report({ message: `on ${inputText}…` });
        opts.observer?.progress?.(`on ${inputText}`);
        try {
          const result = await client.sendRequest(RunSimulationRequest, { uri: uri.toString(), input, runId }, cts.token);
          return { status: result.ok ? 'ok' : 'failed', result };
        } catch (e) {
          if (
            cts.token.isCancellationRequested ||
            (e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled) ||
            e instanceof vscode.CancellationError
          ) {
            return { status: 'cancelled' };
          }
          const message = e instanceof Error ? e.message : String(e);
          return {
            status: 'failed',
            result: { ok: false, runId, reason: 'internal-error', message: `The language server could not run the simulation: ${message}`, details: [] },
          };
        } finally {
          progressListeners.delete(runId);
          for (const s of subs) s.dispose();
          cts.dispose();
        }
      },
    );

    if (outcome.status === 'cancelled') {
      panel.post({ type: 'cancelled', runId, network: name });
      return { status: 'cancelled', rendered: null };
    }
    const r = outcome.result!;
    if (r.ok) {
      panel.runId = r.runId;
      panel.result = r;
      panel.post({ type: 'results', result: r });
    } else {
      panel.post({ type: 'failed', runId, network: name, reason: r.reason, message: r.message, details: r.details });
      void offerFix(uri, r);
    }
    return { status: outcome.status, result: r, rendered: await panel.whenRendered(r.runId) };
  };

  const offerFix = async (uri: vscode.Uri, r: Extract<RunSimulationResult, { ok: false }>) => {
    const actions: Record<string, () => Thenable<unknown>> = {};
    if (r.reason === 'no-checkpoint' || r.reason === 'checkpoint-unreadable')
      actions['Choose Checkpoint…'] = () => vscode.commands.executeCommand('ai8x.selectCheckpoint', uri.toString());
    if (r.reason === 'no-sample' || r.reason === 'sample-unreadable' || r.reason === 'no-input-shape') actions['Choose Input…'] = () => rerun(uri, undefined);
    if (r.reason === 'network-errors') actions['Show Problems'] = () => vscode.commands.executeCommand('workbench.actions.view.problems');
    const pick = await vscode.window.showErrorMessage(`ai8x: ${r.message}`, ...Object.keys(actions));
    if (pick) await actions[pick]();
  };

  const rerun = async (uri: vscode.Uri, kind: SimulationInput['kind'] | undefined) => {
    const assoc = await client.sendRequest(AssociationRequest, { uri: uri.toString() });
    const input = kind === 'associated' || missingCheckpoint(assoc) ? ({ kind: 'associated' } as const) : await chooseSimulationInput(uri, assoc, kind);
    if (input) await simulateOn(uri, path.basename(uri.fsPath || uri.path), input, assoc, {});
  };

  const onPageRequest = (panel: SimulatorPanel, m: PageRequest) => {
    const fail = (e: unknown) => void vscode.window.showErrorMessage(`ai8x: ${e instanceof Error ? e.message : String(e)}`);
    if (m.type === 'rerun') rerun(panel.uri, m.input).catch(fail);
    else if (m.type === 'exportLayer') exportLayer(client, panel, m.layer).catch(fail);
    else if (m.type === 'exportAllLayers') exportAllLayers(client, panel).catch(fail);
    else if (m.type === 'exportKnownAnswer') exportKnownAnswer(client, panel).catch(fail);
  };
  panels = new SimulatorPanels(context.extensionUri, onPageRequest);

  context.subscriptions.push(
    panels,
    client.onNotification(SimulationProgressNotification, (p) => progressListeners.get(p.runId)?.(p)),
    vscode.commands.registerCommand('ai8x.runSimulator', run),
    // Not in the palette: the folder export without the dialog, for scripted use and the e2e suite.
    vscode.commands.registerCommand(
      'ai8x.simulator.exportAllLayersTo',
      async (target: vscode.Uri | string, folder: string, existing: ExistingFiles = 'ask') => {
        const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target;
        const panel = panels.get(uri);
        return panel ? exportAllLayers(client, panel, folder, existing) : undefined;
      },
    ),
  );
}
