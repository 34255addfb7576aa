// Engine (offset-based) ↔ LSP (line/character) conversions.
import { Diagnostic as LspDiagnostic, DiagnosticSeverity, DiagnosticTag, Range as LspRange } from 'vscode-languageserver/node';
import type { CheckResult } from '../engine/check';
import type { Diagnostic } from '../engine/diagnostic';
import type { LineIndex } from '../engine/lineIndex';
import type { Range } from '../engine/yaml/yamlTree';

export function toLspRange(lines: LineIndex, r: Range): LspRange {
  return { start: lines.position(r[0]), end: lines.position(Math.max(r[0], r[1])) };
}

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

export function toLspDiagnostic(uri: string, result: CheckResult, d: Diagnostic): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toLspRange(result.lines, d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'ai8x',
    message: d.message,
    data: { layer: d.layer, fix: d.fix ? JSON.parse(JSON.stringify(d.fix, (_k, v) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v))) : undefined },
  };
  if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: toLspRange(result.lines, r.range) }, message: r.message }));
  if (d.code === 'AX004') out.tags = [] as DiagnosticTag[];
  return out;
}
