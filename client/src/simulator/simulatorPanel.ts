// The results view: one webview panel per network, reused by later runs. Messages to the page wait until its
// script is listening; the page's requests (exports, run again) go to the handler the owner gives.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SimulationInput, SimulationSuccess, SimulatorPageMessage, SimulatorPageRequest, SimulatorViewMessage } from '../../../server/src/protocol';
import { newNonce } from '../webview/webviewPage';
import { simulatorHtml } from './simulatorHtml';

export const SIMULATOR_VIEW_TYPE = 'ai8x.simulator';

export type PageRequest = SimulatorPageRequest;

export interface RenderedReport {
  layers: number;
  failed: boolean;
}

export class SimulatorPanel {
  private ready = false;
  private readonly queue: SimulatorViewMessage[] = [];
  private readonly renderWaiters = new Map<string, (r: RenderedReport) => void>();
  private readonly rendered = new Map<string, RenderedReport>();
  /** The run whose results the panel shows (the exports use it). */
  runId: string | null = null;
  result: SimulationSuccess | null = null;
  /** The input of the latest run, for "run again". */
  lastInput: SimulationInput | null = null;

  constructor(
    readonly uri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    onRequest: (panel: SimulatorPanel, request: PageRequest) => void,
  ) {
    panel.webview.onDidReceiveMessage((m: SimulatorPageMessage | undefined) => {
      if (!m || typeof m !== 'object') return;
      if (m.type === 'ready') {
        this.ready = true;
        for (const q of this.queue.splice(0)) void panel.webview.postMessage(q);
      } else if (m.type === 'rendered') {
        const report = { layers: m.layers, failed: !!m.failed };
        this.rendered.set(m.runId, report);
        this.renderWaiters.get(m.runId)?.(report);
      } else onRequest(this, m);
    });
    // A hidden webview is unloaded and does not receive messages; when shown again its page reloads, restores
    // what it had from its saved state and says 'ready', and gets what it missed.
    panel.onDidChangeViewState((e) => {
      if (!e.webviewPanel.visible) this.ready = false;
    });
  }

  post(message: SimulatorViewMessage): void {
    if (this.ready) {
      void this.panel.webview.postMessage(message);
      return;
    }
    // While waiting, only the newest progress message matters.
    if (message.type === 'progress') {
      if (this.queue.at(-1)?.type === 'progress') this.queue.pop();
    }
    this.queue.push(message);
  }

  /** Resolves when the page has drawn the results (or the failure) of this run, or null after `timeoutMs`. */
  whenRendered(runId: string, timeoutMs = 10000): Promise<RenderedReport | null> {
    const done = this.rendered.get(runId);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.renderWaiters.delete(runId);
        resolve(null);
      }, timeoutMs);
      this.renderWaiters.set(runId, (r) => {
        clearTimeout(timer);
        this.renderWaiters.delete(runId);
        resolve(r);
      });
    });
  }
}

export class SimulatorPanels implements vscode.Disposable {
  private readonly panels = new Map<string, SimulatorPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onRequest: (panel: SimulatorPanel, request: PageRequest) => void,
  ) {}

  get(uri: vscode.Uri): SimulatorPanel | undefined {
    return this.panels.get(uri.toString());
  }

  /** The network's panel, created or brought to the front (without taking the focus from the editor). */
  show(uri: vscode.Uri): SimulatorPanel {
    const key = uri.toString();
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const name = path.basename(uri.fsPath || uri.path);
    const panel = vscode.window.createWebviewPanel(
      SIMULATOR_VIEW_TYPE,
      `Simulation: ${name}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [media],
      },
    );
    const w = panel.webview;
    w.html = simulatorHtml({
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'scripts', 'simulator.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'simulator.css')).toString(),
      cspSource: w.cspSource,
      nonce: newNonce(),
      network: name,
    });
    const sp = new SimulatorPanel(uri, panel, this.onRequest);
    this.panels.set(key, sp);
    panel.onDidDispose(() => this.panels.delete(key));
    return sp;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
  }
}
