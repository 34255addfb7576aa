import { Diagnostic, FixHint, RelatedInfo, Severity, izerCode } from './diagnostic';
import type { Range } from './yaml/yamlTree';

/** Collects diagnostics from the passes; a pass never stops at the first finding. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  izer(rule: number, severity: Severity, range: Range, layer: number | null, message: string, extra?: { fix?: FixHint; related?: RelatedInfo[] }): Diagnostic {
    return this.add(izerCode(rule), severity, range, layer, message, extra);
  }

  add(code: string, severity: Severity, range: Range, layer: number | null, message: string, extra?: { fix?: FixHint; related?: RelatedInfo[] }): Diagnostic {
    const d: Diagnostic = { code, severity, message, range, layer };
    if (extra?.fix) d.fix = extra.fix;
    if (extra?.related && extra.related.length) d.related = extra.related;
    this.items.push(d);
    return d;
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}
