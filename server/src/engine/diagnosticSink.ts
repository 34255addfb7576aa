import type { Diagnostic, FixHint, RelatedInfo } from './diagnostic';
import { izerCode, type Code, type IzerRuleNumber, type Severity } from './rules';
import type { Range } from './yaml/yamlTree';

/** Collects diagnostics from the passes; a pass never stops at the first finding. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  izer(
    rule: IzerRuleNumber,
    severity: Severity,
    range: Range,
    layer: number | null,
    message: string,
    extra?: { fix?: FixHint; related?: RelatedInfo[] },
  ): Diagnostic {
    return this.add(izerCode(rule), severity, range, layer, message, extra);
  }

  add(code: Code, severity: Severity, range: Range, layer: number | null, message: string, extra?: { fix?: FixHint; related?: RelatedInfo[] }): Diagnostic {
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
