// Code actions (quick fixes, fix all), inlay hints, definition/references/rename of layer names, and the two map
// views' requests: thin adapters over the engine services.
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionContext,
  CodeActionKind,
  Connection,
  Diagnostic as LspDiagnostic,
  ErrorCodes,
  InlayHint,
  Location,
  MarkupKind,
  ResponseError,
  ServerCapabilities,
  TextDocuments,
  TextEdit,
} from 'vscode-languageserver/node';
import type { Range as LspRange } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkNetwork, CheckResult } from '../engine/check';
import type { Diagnostic } from '../engine/diagnostic';
import type { Range } from '../engine/yaml/yamlTree';
import { fixAll } from '../engine/services/fixAll';
import { FixAction, quickFixes, Recheck } from '../engine/services/quickFixes';
import { layerInlayHints } from '../engine/services/inlayHints';
import { definitionAt, prepareRenameAt, referencesAt, renameAt } from '../engine/services/layerReferences';
import { kernelMapModel } from '../engine/services/kernelMapView';
import { dataMemoryModel } from '../engine/services/dataMemoryView';
import type { TextEditSpec } from '../engine/textEdits';
import { ALLOCATE_ACTION_KIND, DataMemoryMapRequest, KernelMapRequest, MapViewParams, MapViewResult, QUANTIZE_COMMAND } from '../protocol';
import { quantizedName } from '../shared/checkpointNames';
import { allocationActions, Allocations, withDoc } from './allocation';
import type { CheckPool } from './checkPool';
import type { Ai8xSettings } from '../protocol';
import { toLspDiagnostic, toLspRange } from './convert';
import { DocumentAnalyses, emptyInfo, ExtraInputs, isNetworkView } from './documentState';
import { URI } from './uri';

export const EDITOR_CAPABILITIES: ServerCapabilities = {
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, ALLOCATE_ACTION_KIND], resolveProvider: false },
  inlayHintProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
};

export interface EditorFeatures {
  /** Asks the client to re-request inlay hints (settings or associated files changed). */
  refreshInlayHints(): void;
}

/** The full check of another version of a document's text, with the document's inputs and settings. */
export function recheckFor(doc: TextDocument, s: Ai8xSettings, extraInputs: ExtraInputs): Recheck {
  return (text: string) => {
    const scratch = TextDocument.create(doc.uri, doc.languageId, doc.version, text);
    return checkNetwork({ text, fileName: URI.toPath(doc.uri), deviceSetting: s.device, izerFlags: s.izerFlags, ...extraInputs(scratch, s, emptyInfo()) });
  };
}

const offsets = (doc: TextDocument, r: LspRange): Range => [doc.offsetAt(r.start), doc.offsetAt(r.end)];
const lspEdits = (result: CheckResult, edits: TextEditSpec[]): TextEdit[] =>
  edits.map((e) => ({ range: toLspRange(result.lines, e.range), newText: e.newText }));

/** What code actions need: the checked document and a way to check edited versions of it (with its files). */
export interface CodeActionContextIn {
  uri: string;
  doc: TextDocument;
  result: CheckResult;
  recheck: Recheck;
  allocations: Allocations;
  /** The checkpoint the check read (for the AX202 quick fix that quantizes it). */
  checkpointPath?: string | null;
}

/** Quick fixes, the allocator's actions and fix all for a range of a checked document (runs in a check worker). */
export function codeActionsFor(a: CodeActionContextIn, range: LspRange, context: CodeActionContext): CodeAction[] {
  const { uri, recheck } = a;
  const only = context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
  const out: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    const sent = context.diagnostics;
    const match = (d: Diagnostic): LspDiagnostic => {
      const mine = toLspDiagnostic(uri, a.result, d);
      const same = sent.find(
        (x) =>
          String(x.code) === d.code &&
          x.range.start.line === mine.range.start.line &&
          x.range.start.character === mine.range.start.character &&
          x.range.end.line === mine.range.end.line &&
          x.range.end.character === mine.range.end.character,
      );
      return same ?? mine;
    };
    const toAction = (f: FixAction): CodeAction => ({
      title: f.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: f.diagnostics.map(match),
      isPreferred: f.isPreferred || undefined,
      edit: { changes: { [uri]: lspEdits(a.result, f.edits) } },
    });
    out.push(...quickFixes(a.result, offsets(a.doc, range), recheck).map(toAction));
    const quantize = quantizeAction(a, range);
    if (quantize) out.push({ ...quantize.action, diagnostics: quantize.diagnostics.map(match) });
  }
  // The allocator: as a source action when asked for, and as a quick fix on the findings it removes.
  const here = offsets(a.doc, range);
  const touching = wants(CodeActionKind.QuickFix) ? a.result.diagnostics.filter((d) => d.range[0] <= here[1] && here[0] <= d.range[1]) : [];
  const asSource = !!only && wants(ALLOCATE_ACTION_KIND);
  out.push(...allocationActions(a.result, a.doc.getText(), uri, recheck, a.allocations, { source: asSource, diagnostics: touching }));
  // Fix all is costly (it re-checks between rounds): only when the editor asks for source actions.
  if (only && wants(CodeActionKind.SourceFixAll)) {
    const all = fixAll(a.result, recheck);
    if (all && all.edits.length)
      out.push({
        title: `Fix all ai8x problems that have a fix (${all.applied.length})`,
        kind: CodeActionKind.SourceFixAll,
        edit: { changes: { [uri]: lspEdits(a.result, all.edits) } },
      });
  }
  return out;
}

/**
 * On AX202 (weights that are not integers: a training checkpoint), the fix is the checkpoint, not the YAML: run
 * ai8x: Quantize Checkpoint on it, which writes `<name>-q.pth.tar` and associates it with the network.
 */
function quantizeAction(a: CodeActionContextIn, range: LspRange): { action: CodeAction; diagnostics: Diagnostic[] } | null {
  if (!a.checkpointPath) return null;
  const here = offsets(a.doc, range);
  const unquantized = a.result.diagnostics.filter((d) => d.code === 'AX202' && d.range[0] <= here[1] && here[0] <= d.range[1]);
  if (!unquantized.length) return null;
  const title = `Quantize ${path.basename(a.checkpointPath)} into ${path.basename(quantizedName(a.checkpointPath))} (as quantize.py does) and use it`;
  return {
    action: { title, kind: CodeActionKind.QuickFix, isPreferred: true, command: { title, command: QUANTIZE_COMMAND, arguments: [a.uri, a.checkpointPath] } },
    diagnostics: unquantized,
  };
}

export function registerEditorFeatures(
  connection: Connection,
  analyses: DocumentAnalyses,
  pool: CheckPool,
  documents: TextDocuments<TextDocument>,
): EditorFeatures {
  // Code actions re-check edited texts with the document's checkpoint: they run in a check worker, on the newest text.
  connection.onCodeAction(async (p, token) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const snapshot = await analyses.snapshot(p.textDocument.uri);
    if (!snapshot) return [];
    try {
      const actions = await pool.call(
        'codeActions',
        () => (token.isCancellationRequested ? null : withDoc(snapshot(), (d) => ({ doc: d, range: p.range, context: p.context }))),
        { uri: p.textDocument.uri, interactive: true },
      );
      return actions ?? [];
    } catch (e) {
      connection.console.error(`ai8x: code actions for ${p.textDocument.uri} failed: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }
  });

  connection.languages.inlayHint.on(async (p): Promise<InlayHint[]> => {
    const v = await analyses.view(p.textDocument.uri);
    if (!isNetworkView(v) || !v.settings.inlayHints) return [];
    return layerInlayHints(v.analysis.result, v.rangeToOld(p.range)).flatMap((h) => {
      const position = v.position(h.offset);
      return position ? [{ position, label: h.label, paddingLeft: true, tooltip: { kind: MarkupKind.Markdown, value: h.tooltip } }] : [];
    });
  });

  connection.onDefinition(async (p) => {
    const at = await analyses.viewAt(p.textDocument.uri, p.position);
    if (!at) return null;
    const r = definitionAt(at.view.analysis.result, at.offset);
    const range = r ? at.view.range(r) : null;
    return range ? Location.create(p.textDocument.uri, range) : null;
  });

  connection.onReferences(async (p) => {
    const at = await analyses.viewAt(p.textDocument.uri, p.position);
    if (!at) return [];
    return referencesAt(at.view.analysis.result, at.offset, p.context.includeDeclaration).flatMap((r) => {
      const range = at.view.range(r);
      return range ? [Location.create(p.textDocument.uri, range)] : [];
    });
  });

  connection.onPrepareRename(async (p) => {
    const at = await analyses.viewAt(p.textDocument.uri, p.position);
    if (!at) return null;
    const r = prepareRenameAt(at.view.analysis.result, at.offset);
    if (!r) return null;
    if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
    const range = at.view.range(r.range);
    return range ? { range, placeholder: r.placeholder } : null;
  });

  // A rename edits every reference: it needs the analysis of the text as it is now.
  connection.onRenameRequest(async (p) => {
    // The text may change again while its check runs: a few tries for an analysis of the text as it is.
    let v = await analyses.currentView(p.textDocument.uri);
    for (let i = 0; i < 3 && v && !v.current; i++) v = await analyses.currentView(p.textDocument.uri);
    if (!isNetworkView(v) || !v.current) return null;
    const r = renameAt(v.analysis.result, v.doc.offsetAt(p.position), p.newName);
    if (!r) return null;
    if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return { changes: { [p.textDocument.uri]: lspEdits(v.analysis.result, r.edits) } };
  });

  const mapRequest =
    <M>(build: (r: CheckResult) => { model: M } | { unavailable: string }) =>
    async (p: MapViewParams): Promise<MapViewResult<M>> => {
      const fileName = path.basename(URI.toPath(p.uri));
      const o = await analyses.currentView(p.uri);
      if (!o) return { uri: p.uri, version: -1, fileName, model: null, unavailable: 'The file is not open.' };
      const { version } = o.analysis;
      const result = o.analysis.result;
      if (!result) return { uri: p.uri, version, fileName, model: null, unavailable: 'This file is not an ai8x network description.' };
      const answer = build(result);
      if ('model' in answer) return { uri: p.uri, version, fileName, model: answer.model, unavailable: null, action: null };
      return { uri: p.uri, version, fileName, model: null, unavailable: answer.unavailable, action: result.analysis?.checkpoint ? null : 'chooseCheckpoint' };
    };
  connection.onRequest(KernelMapRequest, mapRequest(kernelMapModel));
  connection.onRequest(DataMemoryMapRequest, mapRequest(dataMemoryModel));

  return {
    refreshInlayHints: () => {
      connection.languages.inlayHint.refresh().catch(() => undefined);
    },
  };
}
