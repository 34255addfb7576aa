// Engine (offset-based) ↔ LSP (line/character) conversions.
import { Diagnostic as LspDiagnostic, DiagnosticSeverity, DiagnosticTag, Range as LspRange, TextEdit } from 'vscode-languageserver/node';
import type { CheckResult } from '../engine/check';
import type { Diagnostic } from '../engine/diagnostic';
import type { LineIndex } from '../engine/lineIndex';
import type { Range } from '../engine/yaml/yamlTree';
import type { TextEditSpec } from '../engine/textEdits';
import { codeDescription } from './codeDescriptions';

export function toLspRange(lines: LineIndex, r: Range): LspRange {
  return { start: lines.position(r[0]), end: lines.position(Math.max(r[0], r[1])) };
}

/** Engine edits (offsets into the text `lines` indexes) as LSP text edits. */
export function toLspEdits(lines: LineIndex, edits: readonly TextEditSpec[]): TextEdit[] {
  return edits.map((e) => ({ range: toLspRange(lines, e.range), newText: e.newText }));
}

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

export function toLspDiagnostic(uri: string, result: CheckResult, d: Diagnostic): LspDiagnostic {
  return toMappedDiagnostic(uri, d, (r) => toLspRange(result.lines, r))!;
}

/**
 * A diagnostic with its ranges converted by `range`, which returns null for a range that no longer exists (the text
 * changed there since the check): then the diagnostic is dropped (null), and related information at such a range.
 */
export function toMappedDiagnostic(uri: string, d: Diagnostic, range: (r: Range) => LspRange | null): LspDiagnostic | null {
  const at = range(d.range);
  if (!at) return null;
  const out: LspDiagnostic = {
    range: at,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'ai8x',
    message: d.message,
    data: { layer: d.layer, fix: d.fix ? JSON.parse(JSON.stringify(d.fix, (_k, v) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v))) : undefined },
  };
  const description = codeDescription(d.code);
  if (description) out.codeDescription = description;
  const related = (d.related ?? []).flatMap((r) => {
    const where = range(r.range);
    return where ? [{ location: { uri, range: where }, message: r.message }] : [];
  });
  if (related.length) out.relatedInformation = related;
  if (d.code === 'AX004') out.tags = [] as DiagnosticTag[];
  return out;
}
