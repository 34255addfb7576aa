// A webview panel showing the kernel map or the data-memory map of one network document. It asks the language
// server for the map, re-asks when the document or its diagnostics change (live update while typing), follows
// the active network editor, and reveals a layer in the YAML when the page asks.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ai8xClient } from '../languageClient/serverClient';
import type { RequestType } from 'vscode-languageclient/node';
import {
  DataMemoryMapRequest,
  KernelMapRequest,
  type MapModelMessage,
  type MapPageMessage,
  type MapRenderedMessage,
  type MapViewParams,
  type MapViewResult,
} from '../../../server/src/protocol';
import { MAP_VIEW_TITLES, MapViewKind, mapViewHtml } from './mapViewHtml';
import { newNonce } from '../webview/webviewPage';

/** What the page reported after its last render (the e2e suite and the command's caller read it). */
export type RenderReport = MapRenderedMessage;

const SPEC: Record<MapViewKind, { viewType: string; request: RequestType<MapViewParams, MapViewResult<unknown>, void>; script: string; css: string[] }> = {
  kernelMap: { viewType: 'ai8x.kernelMap', request: KernelMapRequest, script: 'scripts/kernelMap.js', css: ['mapView.css'] },
  dataMemory: { viewType: 'ai8x.dataMemoryMap', request: DataMemoryMapRequest, script: 'scripts/dataMemory.js', css: ['mapView.css'] },
};

/** Commands the page may run (with the network's URI). */
const PAGE_COMMANDS = new Set(['ai8x.selectCheckpoint']);

export class MapPanel implements vscode.Disposable {
  private static readonly open = new Map<MapViewKind, MapPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastRender: RenderReport | null = null;
  private readonly renderWaiters: ((r: RenderReport) => void)[] = [];
  private requested = 0;

  /** Shows the view of `kind` for `uri` (one panel per kind, moved to the new document). */
  static show(kind: MapViewKind, context: vscode.ExtensionContext, client: Ai8xClient, uri: vscode.Uri): MapPanel {
    const existing = MapPanel.open.get(kind);
    if (existing) {
      existing.retarget(uri);
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(
      SPEC[kind].viewType,
      MAP_VIEW_TITLES[kind],
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [media],
      },
    );
    const p = new MapPanel(kind, panel, client, uri, media);
    MapPanel.open.set(kind, p);
    return p;
  }

  private constructor(
    readonly kind: MapViewKind,
    readonly panel: vscode.WebviewPanel,
    private readonly client: Ai8xClient,
    private uri: vscode.Uri,
    private readonly media: vscode.Uri,
  ) {
    this.setHtml();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: MapPageMessage | undefined) => void this.onMessage(m)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.uri.toString()) this.schedule(250);
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === this.uri.toString())) this.schedule(50);
      }),
      vscode.window.onDidChangeActiveTextEditor((ed) => {
        if (ed && ed.document.languageId === 'yaml' && ed.document.uri.toString() !== this.uri.toString() && MapPanel.isNetwork(ed.document.uri))
          this.retarget(ed.document.uri);
      }),
    );
  }

  /** Set by the registration: whether the server recognised a document as a network. */
  static isNetwork: (uri: vscode.Uri) => boolean = () => false;

  get documentUri(): vscode.Uri {
    return this.uri;
  }

  private setHtml(): void {
    const w = this.panel.webview;
    const spec = SPEC[this.kind];
    w.html = mapViewHtml({
      kind: this.kind,
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(this.media, spec.script)).toString(),
      styleUris: spec.css.map((c) => w.asWebviewUri(vscode.Uri.joinPath(this.media, c)).toString()),
      cspSource: w.cspSource,
      nonce: newNonce(),
      fileName: path.basename(this.uri.fsPath),
    });
    this.panel.title = `${MAP_VIEW_TITLES[this.kind]}: ${path.basename(this.uri.fsPath)}`;
  }

  private retarget(uri: vscode.Uri): void {
    if (uri.toString() === this.uri.toString()) return;
    this.uri = uri;
    this.lastRender = null;
    this.panel.title = `${MAP_VIEW_TITLES[this.kind]}: ${path.basename(uri.fsPath)}`;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, ms);
  }

  /** Asks the server for the map and sends it to the page. */
  async refresh(): Promise<void> {
    const id = ++this.requested;
    let result: MapViewResult<unknown>;
    try {
      result = await this.client.sendRequest(SPEC[this.kind].request, { uri: this.uri.toString() });
    } catch (e) {
      result = {
        uri: this.uri.toString(),
        version: -1,
        fileName: path.basename(this.uri.fsPath),
        model: null,
        unavailable: `The language server did not answer: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    // An older answer arriving after a newer request is dropped.
    if (id !== this.requested) return;
    await this.panel.webview.postMessage({ type: 'model', result } satisfies MapModelMessage<unknown>);
  }

  /** The next render report (or the last one when `version` matches), or null after `timeoutMs`. */
  waitForRender(timeoutMs: number, version?: number): Promise<RenderReport | null> {
    if (this.lastRender && (version === undefined || this.lastRender.version === version)) return Promise.resolve(this.lastRender);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(null), timeoutMs);
      const waiter = (r: RenderReport) => {
        if (version !== undefined && r.version !== version) {
          this.renderWaiters.push(waiter);
          return;
        }
        clearTimeout(t);
        resolve(r);
      };
      this.renderWaiters.push(waiter);
    });
  }

  private async onMessage(msg: MapPageMessage | undefined): Promise<void> {
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'ready') await this.refresh();
    else if (msg.type === 'rendered') {
      this.lastRender = msg;
      for (const w of this.renderWaiters.splice(0)) w(msg);
    } else if (msg.type === 'reveal' && typeof msg.line === 'number' && typeof msg.character === 'number') {
      const doc = await vscode.workspace.openTextDocument(this.uri);
      const pos = new vscode.Position(Math.max(0, msg.line), Math.max(0, msg.character));
      const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString())?.viewColumn ?? vscode.ViewColumn.One;
      const ed = await vscode.window.showTextDocument(doc, { viewColumn: column, selection: new vscode.Range(pos, pos) });
      ed.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } else if (msg.type === 'command' && typeof msg.command === 'string' && PAGE_COMMANDS.has(msg.command)) {
      await vscode.commands.executeCommand(msg.command, this.uri.toString());
      this.schedule(0);
    }
  }

  dispose(): void {
    if (MapPanel.open.get(this.kind) === this) MapPanel.open.delete(this.kind);
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  static disposeAll(): void {
    for (const p of [...MapPanel.open.values()]) p.dispose();
  }
}
