// "ai8x: Show Kernel Map" and "ai8x: Show Data-Memory Map" for the network in the active editor (or a given one).
import { activeNetworkUri } from '../common/activeNetwork';
import * as vscode from 'vscode';
import type { Ai8xClient } from '../languageClient/serverClient';
import { MapPanel, RenderReport } from './mapPanel';
import type { MapViewKind } from './mapViewHtml';

/** What the commands resolve to (tests and other callers): the panel's view type, document and first render. */
export interface MapViewShown {
  viewType: string;
  uri: string;
  rendered: RenderReport | null;
}

export function registerMapViews(context: vscode.ExtensionContext, client: Ai8xClient, isNetwork: (uri: string) => boolean): void {
  MapPanel.isNetwork = (uri) => isNetwork(uri.toString());
  const command =
    (kind: MapViewKind) =>
    async (arg?: vscode.Uri | string): Promise<MapViewShown | undefined> => {
      const uri = typeof arg === 'string' ? vscode.Uri.parse(arg) : arg instanceof vscode.Uri ? arg : activeNetworkUri();
      if (!uri) {
        void vscode.window.showInformationMessage('Open an ai8x network YAML file first.');
        return undefined;
      }
      const doc = await vscode.workspace.openTextDocument(uri);
      if (doc.languageId !== 'yaml') {
        void vscode.window.showInformationMessage(
          `${vscode.workspace.asRelativePath(uri)} is not a YAML file; the ${kind === 'kernelMap' ? 'kernel' : 'data-memory'} map is for ai8x network YAML files.`,
        );
        return undefined;
      }
      const panel = MapPanel.show(kind, context, client, uri);
      // The map of the document as it is now (the panel re-renders after edits).
      const rendered = await panel.waitForRender(15000, doc.version);
      return { viewType: panel.panel.viewType, uri: uri.toString(), rendered };
    };
  context.subscriptions.push(
    vscode.commands.registerCommand('ai8x.showKernelMap', command('kernelMap')),
    vscode.commands.registerCommand('ai8x.showDataMemoryMap', command('dataMemory')),
    { dispose: () => MapPanel.disposeAll() },
  );
}
