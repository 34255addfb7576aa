import { CompletionItemKind, Connection, InsertTextFormat, MarkupKind, SymbolKind } from 'vscode-languageserver/node';
import { hoverAt } from '../engine/services/hover';
import { completeAt } from '../engine/services/completion';
import { layerSymbols } from '../engine/services/symbols';
import { randomSampleInput, suggestedInputShape } from '../engine/services/simulationInput';
import { checkNetwork } from '../engine/check';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Ai8xSettings } from '../protocol';
import { emptyInfo } from './documentState';
import { toLspRange } from './convert';
import type { Analyses, ExtraInputs } from './documentState';
import { allocationHover, Allocations } from './allocation';
import { recheckFor } from './editorFeatures';
import { AssociationRequest, HOVER_COMMANDS, WriteExampleRequest, WriteExampleResult } from '../protocol';
import { writeExample } from '../example/writeExample';
import type { MapViewLink } from '../engine/services/hover';
import * as path from 'node:path';
import { URI } from './uri';

const VIEW_LABELS: Record<MapViewLink, string> = { kernelMap: 'Show kernel map', dataMemory: 'Show data-memory map' };

function mapViewLink(view: MapViewLink, uri: string): string {
  return `[${VIEW_LABELS[view]}](command:${HOVER_COMMANDS[view]}?${encodeURIComponent(JSON.stringify([uri]))})`;
}

/** Hover, completion and outline: thin adapters over the engine services. */
/** Whether the network checks without errors on a (random) input of this shape. */
function fitsShape(doc: TextDocument, settings: Ai8xSettings, extraInputs: ExtraInputs, shape: number[]): boolean {
  const extra = extraInputs(doc, settings, emptyInfo());
  const r = checkNetwork({
    text: doc.getText(),
    fileName: URI.toPath(doc.uri),
    deviceSetting: settings.device,
    izerFlags: settings.izerFlags,
    ...extra,
    resolveInputs: (ctx) => ({ ...extra.resolveInputs!(ctx), sample: randomSampleInput(shape, 0), samplePath: undefined, missingSampleCandidates: undefined }),
  });
  return !r.diagnostics.some((d) => d.severity === 'error');
}

export function registerFeatureHandlers(connection: Connection, analyses: Analyses, allocations: Allocations, extraInputs: ExtraInputs): void {
  connection.onHover(async (p) => {
    const a = await analyses.network(p.textDocument.uri);
    if (!a) return null;
    const offset = a.doc.offsetAt(p.position);
    const h = hoverAt(a.result, offset);
    if (!h) return null;
    const links = (h.views ?? []).map((v) => mapViewLink(v, p.textDocument.uri));
    const alloc = a.result.analysis?.state.channelsKnown
      ? allocationHover(a.result, offset, allocations, a.doc.getText(), recheckFor(a.doc, a.settings, extraInputs))
      : null;
    const markdown = alloc ? `${h.markdown}\n\n${alloc}` : h.markdown;
    const value = links.length ? `${markdown}\n\n---\n\n${links.join(' · ')}` : markdown;
    return { contents: { kind: MarkupKind.Markdown, value }, range: toLspRange(a.result.lines, h.range) };
  });

  connection.onCompletion(async (p) => {
    const a = await analyses.network(p.textDocument.uri);
    if (!a) return [];
    const offset = a.doc.offsetAt(p.position);
    return completeAt(a.doc.getText(), offset, a.result.model).map((c, i) => ({
      label: c.label,
      kind: c.kind === 'key' ? CompletionItemKind.Property : CompletionItemKind.EnumMember,
      detail: c.detail,
      documentation: { kind: MarkupKind.Markdown, value: c.documentation },
      textEdit: { range: toLspRange(a.result.lines, c.replace), newText: c.insertText },
      insertTextFormat: InsertTextFormat.PlainText,
      sortText: String(i).padStart(3, '0'),
    }));
  });

  connection.onRequest(AssociationRequest, async (p) => {
    const o = await analyses.open(p.uri);
    if (!o) return null;
    const st = o.state;
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
      // Only needed (and only searched for) when there is no sample to take the shape from.
      suggestedInputShape:
        r && st.isNetwork && !r.analysis?.state.inputSize ? suggestedInputShape(r, (shape) => fitsShape(o.doc, o.settings, extraInputs, shape)) : null,
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
    const a = await analyses.network(p.textDocument.uri);
    if (!a) return [];
    return layerSymbols(a.result.model).map((s) => ({
      name: s.name,
      detail: s.detail,
      kind: SymbolKind.Object,
      range: toLspRange(a.result.lines, s.range),
      selectionRange: toLspRange(a.result.lines, s.selectionRange),
    }));
  });
}
