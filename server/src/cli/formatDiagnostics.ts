import type { CheckResult } from '../engine/check';

/** `file:line:col: severity code message`, 1-based, one per line. */
export function formatDiagnosticsText(file: string, result: CheckResult): string {
  return result.diagnostics
    .map((d) => {
      const p = result.lines.position(d.range[0]);
      return `${file}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.code} ${d.message}\n`;
    })
    .join('');
}

export function formatDiagnosticsJson(file: string, result: CheckResult): string {
  const diagnostics = result.diagnostics.map((d) => {
    const s = result.lines.position(d.range[0]);
    const e = result.lines.position(d.range[1]);
    return {
      severity: d.severity,
      code: d.code,
      message: d.message,
      line: s.line + 1,
      column: s.character + 1,
      endLine: e.line + 1,
      endColumn: e.character + 1,
      layer: d.layer,
    };
  });
  return JSON.stringify({ file, device: result.device.name, diagnostics }, null, 2) + '\n';
}
