// Code actions, in a check worker: quick fixes, the allocator's actions and fix all. Each re-checks edited versions of
// the document's text with its checkpoint and sample, so they run where those files are cached.
import { CodeAction, CodeActionContext, CodeActionKind, Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { Range as LspRange } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { recheckFor } from '../../app/check';
import type { InputSources } from '../../app/inputSources';
import type { NetworkRequest } from '../../app/networkRequest';
import type { CheckResult } from '../../engine/check';
import type { Diagnostic } from '../../engine/diagnostic';
import { fixAll } from '../../engine/services/fixAll';
import { FixAction, quickFixes } from '../../engine/services/quickFixes';
import type { Range } from '../../engine/yaml/yamlTree';
import * as path from 'node:path';
import { ALLOCATE_ACTION_KIND, QUANTIZE_COMMAND } from '../../protocol';
import { quantizedName } from '../../shared/checkpointNames';
import { toLspDiagnostic, toLspEdits } from '../convert';
import { allocationActions, Allocations } from './allocation';

const offsets = (doc: TextDocument, r: LspRange): Range => [doc.offsetAt(r.start), doc.offsetAt(r.end)];

/** What code actions need: the checked document and the request its edited versions are checked as (with its files). */
export interface CodeActionContextIn {
  uri: string;
  doc: TextDocument;
  result: CheckResult;
  req: NetworkRequest;
  sources: InputSources;
  allocations: Allocations;
  /** The checkpoint the check read (for the AX202 quick fix that quantizes it). */
  checkpointPath?: string | null;
}

/** Quick fixes, the allocator's actions and fix all for a range of a checked document. */
export function codeActionsFor(a: CodeActionContextIn, range: LspRange, context: CodeActionContext): CodeAction[] {
  const { uri } = a;
  const recheck = recheckFor(a.req, a.sources);
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
      edit: { changes: { [uri]: toLspEdits(a.result.lines, f.edits) } },
    });
    out.push(...quickFixes(a.result, offsets(a.doc, range), recheck).map(toAction));
    const quantize = quantizeAction(a, range);
    if (quantize) out.push({ ...quantize.action, diagnostics: quantize.diagnostics.map(match) });
  }
  // The allocator: as a source action when asked for, and as a quick fix on the findings it removes.
  const here = offsets(a.doc, range);
  const touching = wants(CodeActionKind.QuickFix) ? a.result.diagnostics.filter((d) => d.range[0] <= here[1] && here[0] <= d.range[1]) : [];
  const asSource = !!only && wants(ALLOCATE_ACTION_KIND);
  out.push(...allocationActions(a.result, a.req, a.sources, uri, a.allocations, { source: asSource, diagnostics: touching }));
  // Fix all is costly (it re-checks between rounds): only when the editor asks for source actions.
  if (only && wants(CodeActionKind.SourceFixAll)) {
    const all = fixAll(a.result, recheck);
    if (all && all.edits.length)
      out.push({
        title: `Fix all ai8x problems that have a fix (${all.applied.length})`,
        kind: CodeActionKind.SourceFixAll,
        edit: { changes: { [uri]: toLspEdits(a.result.lines, all.edits) } },
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
