import { CompletionItemKind, Connection, InsertTextFormat, MarkupKind, SymbolKind } from 'vscode-languageserver/node';
import type { DocumentSymbol } from 'vscode-languageserver/node';
import { hoverAt } from '../engine/services/hover';
import { completeAt } from '../engine/services/completion';
import { layerSymbols } from '../engine/services/symbols';
import type { AllocationOutcome } from '../engine/allocate/allocateNetwork';
import { AnalysisView, DocumentAnalyses, DocumentAnalysis, isNetworkView } from './documentState';
import { allocationHover, isAllocationKeyAt } from './allocation';
import type { CheckPool } from './checkPool';
import { AssociationRequest, HOVER_COMMANDS, WriteExampleRequest, WriteExampleResult } from '../protocol';
import { writeExample } from '../example/writeExample';
import type { MapViewLink } from '../engine/services/hover';
import * as path from 'node:path';
import { URI } from './uri';

const VIEW_LABELS: Record<MapViewLink, string> = { kernelMap: 'Show kernel map', dataMemory: 'Show data-memory map' };

function mapViewLink(view: MapViewLink, uri: string): string {
  return `[${VIEW_LABELS[view]}](command:${HOVER_COMMANDS[view]}?${encodeURIComponent(JSON.stringify([uri]))})`;
}

/**
 * Hover, completion and outline: thin adapters over the engine services, answered from the last finished analysis
 * of the document (positions mapped onto the text as it is now); none of them waits for a check that is under way
 * unless the text at the position changed since.
 */
export function registerFeatureHandlers(connection: Connection, analyses: DocumentAnalyses, pool: CheckPool): void {
  // The allocation of each analysed text, asked of a worker once (hovers on processors and offsets show its reasons).
  const allocationsOf = new WeakMap<DocumentAnalysis, Promise<AllocationOutcome | null>>();
  const allocationOf = (v: AnalysisView): Promise<AllocationOutcome | null> => {
    let p = allocationsOf.get(v.analysis);
    if (!p) {
      const doc = analyses.analysedSnapshot(v);
      p = pool.call('allocation', { doc }, { uri: doc.uri, interactive: true }).catch(() => null);
      allocationsOf.set(v.analysis, p);
    }
    return p;
  };

  connection.onHover(async (p) => {
    const at = await analyses.viewAt(p.textDocument.uri, p.position);
    if (!at) return null;
    const { view, offset } = at;
    const result = view.analysis.result;
    const h = hoverAt(result, offset);
    if (!h) return null;
    const links = (h.views ?? []).map((v) => mapViewLink(v, p.textDocument.uri));
    let alloc: string | null = null;
    if (result.analysis?.state.channelsKnown && isAllocationKeyAt(result, offset)) {
      const outcome = await allocationOf(view);
      alloc = outcome ? allocationHover(result, offset, outcome) : null;
    }
    const markdown = alloc ? `${h.markdown}\n\n${alloc}` : h.markdown;
    const value = links.length ? `${markdown}\n\n---\n\n${links.join(' · ')}` : markdown;
    return { contents: { kind: MarkupKind.Markdown, value }, range: view.range(h.range) ?? undefined };
  });

  connection.onCompletion(async (p) => {
    const v = await analyses.view(p.textDocument.uri);
    if (!isNetworkView(v)) return [];
    // Completion reads the text as it is now; the (possibly older) model only says which keys a layer already has.
    const text = v.doc.getText();
    const offset = v.doc.offsetAt(p.position);
    return completeAt(text, offset, v.analysis.result.model).map((c, i) => ({
      label: c.label,
      kind: c.kind === 'key' ? CompletionItemKind.Property : CompletionItemKind.EnumMember,
      detail: c.detail,
      documentation: { kind: MarkupKind.Markdown, value: c.documentation },
      textEdit: { range: { start: v.doc.positionAt(c.replace[0]), end: v.doc.positionAt(c.replace[1]) }, newText: c.insertText },
      insertTextFormat: InsertTextFormat.PlainText,
      sortText: String(i).padStart(3, '0'),
    }));
  });

  connection.onRequest(AssociationRequest, async (p) => {
    const v = await analyses.currentView(p.uri);
    if (!v) return null;
    const st = v.analysis;
    const r = st.result;
    const dir = path.dirname(URI.toPath(p.uri));
    const abs = (f: string | undefined | null) => (f ? path.resolve(dir, f) : null);
    return {
      isNetwork: st.isNetwork,
      device: r?.device.name ?? 'MAX78000',
      deviceSource: r?.deviceSource ?? 'default',
      checkpoint: st.info.checkpointPath ?? abs(r?.modeline.checkpoint),
      sampleInput: st.info.samplePath ?? abs(r?.modeline.sampleInput),
      izerFlags: r ? r.flags.argv : [],
      checkpointRequired: r?.model.arch !== 'test',
      // Only needed (and only searched for, in a worker) when there is no sample to take the shape from.
      suggestedInputShape:
        r && st.isNetwork && !r.analysis?.state.inputSize
          ? await pool.call('suggestedInputShape', { doc: analyses.analysedSnapshot(v) }, { uri: p.uri, interactive: true }).catch(() => null)
          : null,
    };
  });

  connection.onRequest(WriteExampleRequest, (p): WriteExampleResult => {
    try {
      const r = writeExample(p.folder);
      return { ok: true, network: r.network, written: r.written, kept: r.kept };
    } catch (e) {
      return { ok: false, message: `Cannot write the example into ${p.folder}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
  });

  connection.onDocumentSymbol(async (p) => {
    const v = await analyses.view(p.textDocument.uri);
    if (!isNetworkView(v)) return [];
    return layerSymbols(v.analysis.result.model).flatMap((s): DocumentSymbol[] => {
      // A layer the user is typing in grows with the edit; one whose first key changed waits for the next check.
      const range = v.range(s.range, 'widen');
      const selectionRange = v.range(s.selectionRange);
      if (!range || !selectionRange) return [];
      return [{ name: s.name, detail: s.detail, kind: SymbolKind.Object, range, selectionRange }];
    });
  });
}
