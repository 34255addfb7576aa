// Code actions (quick fixes, fix all), inlay hints, definition/references/rename of layer names, and the two map
// views' requests: thin adapters over the engine services.
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionKind,
  Connection,
  Diagnostic as LspDiagnostic,
  ErrorCodes,
  InlayHint,
  Location,
  MarkupKind,
  ResponseError,
  ServerCapabilities,
  TextEdit,
} from 'vscode-languageserver/node';
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
import { ALLOCATE_ACTION_KIND, DataMemoryMapRequest, KernelMapRequest, MapViewParams, MapViewResult } from '../protocol';
import { allocationActions, Allocations } from './allocation';
import type { Ai8xSettings } from '../protocol';
import { toLspDiagnostic, toLspRange } from './convert';
import { Analyses, emptyInfo, ExtraInputs } from './documentState';
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

export function registerEditorFeatures(connection: Connection, analyses: Analyses, extraInputs: ExtraInputs, allocations: Allocations): EditorFeatures {
  const offsets = (doc: TextDocument, r: { start: { line: number; character: number }; end: { line: number; character: number } }): Range => [
    doc.offsetAt(r.start),
    doc.offsetAt(r.end),
  ];
  const lspEdits = (result: CheckResult, edits: TextEditSpec[]): TextEdit[] =>
    edits.map((e) => ({ range: toLspRange(result.lines, e.range), newText: e.newText }));

  connection.onCodeAction(async (p) => {
    const a = await analyses.network(p.textDocument.uri);
    if (!a) return [];
    const uri = p.textDocument.uri;
    const only = p.context.only;
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
    const recheck = recheckFor(a.doc, a.settings, extraInputs);
    const out: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      const sent = p.context.diagnostics;
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
      out.push(...quickFixes(a.result, offsets(a.doc, p.range), recheck).map(toAction));
    }
    // The allocator: as a source action when asked for, and as a quick fix on the findings it removes.
    const here = offsets(a.doc, p.range);
    const touching = wants(CodeActionKind.QuickFix) ? a.result.diagnostics.filter((d) => d.range[0] <= here[1] && here[0] <= d.range[1]) : [];
    const asSource = !!only && wants(ALLOCATE_ACTION_KIND);
    out.push(...allocationActions(a.result, a.doc.getText(), uri, recheck, allocations, { source: asSource, diagnostics: touching }));
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
  });

  connection.languages.inlayHint.on(async (p): Promise<InlayHint[]> => {
    const a = await analyses.network(p.textDocument.uri);
    if (!a || !a.settings.inlayHints) return [];
    return layerInlayHints(a.result, offsets(a.doc, p.range)).map((h) => ({
      position: a.result.lines.position(h.offset),
      label: h.label,
      paddingLeft: true,
      tooltip: { kind: MarkupKind.Markdown, value: h.tooltip },
    }));
  });

  connection.onDefinition(async (p) => {
    const a = await analyses.network(p.textDocument.uri);
    if (!a) return null;
    const r = definitionAt(a.result, a.doc.offsetAt(p.position));
    return r ? Location.create(p.textDocument.uri, toLspRange(a.result.lines, r)) : null;
  });

  connection.onReferences(async (p) => {
    const a = await analyses.network(p.textDocument.uri);
    if (!a) return [];
    return referencesAt(a.result, a.doc.offsetAt(p.position), p.context.includeDeclaration).map((r) =>
      Location.create(p.textDocument.uri, toLspRange(a.result.lines, r)),
    );
  });

  connection.onPrepareRename(async (p) => {
    const a = await analyses.network(p.textDocument.uri);
    if (!a) return null;
    const r = prepareRenameAt(a.result, a.doc.offsetAt(p.position));
    if (!r) return null;
    if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return { range: toLspRange(a.result.lines, r.range), placeholder: r.placeholder };
  });

  connection.onRenameRequest(async (p) => {
    const a = await analyses.network(p.textDocument.uri);
    if (!a) return null;
    const r = renameAt(a.result, a.doc.offsetAt(p.position), p.newName);
    if (!r) return null;
    if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return { changes: { [p.textDocument.uri]: lspEdits(a.result, r.edits) } };
  });

  const mapRequest =
    <M>(build: (r: CheckResult) => { model: M } | { unavailable: string }) =>
    async (p: MapViewParams): Promise<MapViewResult<M>> => {
      const fileName = path.basename(URI.toPath(p.uri));
      const o = await analyses.open(p.uri);
      if (!o) return { uri: p.uri, version: -1, fileName, model: null, unavailable: 'The file is not open.' };
      const { version } = o.doc;
      const result = o.state.result;
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
