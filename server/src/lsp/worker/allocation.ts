// The allocator in the editor, in a check worker: the ai8x/allocate request (the client applies its edits as one
// undoable change), the "Allocate processors and memory" source action and quick fixes. One allocation per check
// result, computed when first asked for (hovers on processors and offsets show its reasons).
import { CodeAction, CodeActionKind } from 'vscode-languageserver/node';
import type { CheckResult } from '../../engine/check';
import type { Diagnostic } from '../../engine/diagnostic';
import type { AllocationOutcome, Recheck } from '../../engine/allocate/allocateNetwork';
import { allocateRequest } from '../../app/allocate';
import { recheckFor } from '../../app/check';
import type { InputSources } from '../../app/inputSources';
import type { NetworkRequest } from '../../app/networkRequest';
import { minimalEdits, TextEditSpec, applyEdits } from '../../engine/textEdits';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ALLOCATE_ACTION_KIND, AllocateResult } from '../../protocol';
import { toLspEdits } from '../convert';

/** Findings an allocation can remove (processor maps and counts, offsets, kernel and data memory). */
const FIXABLE =
  /^(IZ(019|020|021|081|151|171|173|187|189|208|209|210|211|212|213|214|215|222|224|225|226|227|231|232|237|240|241|259|26\d|272|273|28[0-3])|AX30[568])$/;

export class Allocations {
  private readonly cache = new WeakMap<CheckResult, AllocationOutcome>();
  /** Verified layer-only fixes, per check result and finding (the editor asks on every cursor move). */
  readonly localFixes = new WeakMap<CheckResult, Map<string, TextEditSpec[] | null>>();

  of(result: CheckResult, req: NetworkRequest, sources: InputSources): AllocationOutcome {
    let a = this.cache.get(result);
    if (!a) {
      try {
        a = allocateRequest(req, sources);
      } catch (e) {
        a = { ok: false, layer: null, message: `internal error in the allocator (${e instanceof Error ? e.message : String(e)})` };
      }
      this.cache.set(result, a);
    }
    return a;
  }
}

/** ai8x/allocate for a checked document (in a check worker: the allocation re-checks with the document's files). */
export function allocateFor(
  a: { doc: TextDocument; result: CheckResult },
  req: NetworkRequest,
  sources: InputSources,
  allocations: Allocations,
  keep: boolean,
): AllocateResult {
  const text = a.doc.getText();
  const out = keep ? allocateRequest(req, sources, { keep: true }) : allocations.of(a.result, req, sources);
  if (!out.ok) {
    const l = out.layer !== null ? a.result.model.layers.find((x) => x.ll === out.layer) : undefined;
    return { ok: false, message: out.message, layer: out.layer, line: l ? a.result.lines.position(l.node.range[0]).line : null };
  }
  return {
    ok: true,
    version: a.doc.version,
    changed: out.changed,
    edits: toLspEdits(a.result.lines, minimalEdits(text, out.text)),
    layers: out.layers.map((l) => {
      const spec = a.result.model.layers.find((x) => x.ll === l.ll);
      return {
        ll: l.ll,
        name: l.name,
        line: spec ? a.result.lines.position(spec.node.range[0]).line : 0,
        processors: '0x' + l.processors.toString(16).padStart(16, '0'),
        reason: l.reason,
      };
    }),
  };
}

/** The whole-network action (Source Action…), and quick fixes for findings an allocation removes. */
export function allocationActions(
  result: CheckResult,
  req: NetworkRequest,
  sources: InputSources,
  uri: string,
  allocations: Allocations,
  opts: { source: boolean; diagnostics: Diagnostic[] },
): CodeAction[] {
  const fixable = opts.diagnostics.filter((d) => FIXABLE.test(d.code));
  if (!opts.source && !fixable.length) return [];
  const out = allocations.of(result, req, sources);
  if (!out.ok || !out.changed) return [];
  const text = req.text;
  const recheck = recheckFor(req, sources);
  const whole = toLspEdits(result.lines, minimalEdits(text, out.text));
  const actions: CodeAction[] = [];
  if (opts.source)
    actions.push({ title: 'Allocate processors and memory for the whole network', kind: ALLOCATE_ACTION_KIND, edit: { changes: { [uri]: whole } } });
  for (const d of fixable) {
    // A fix of this layer alone, when that clears the finding without new errors; else the whole network.
    const local = localFix(result, text, out.text, d, recheck, allocations);
    if (local) {
      actions.push({
        title: "Use the allocator's processors and offsets for this layer",
        kind: CodeActionKind.QuickFix,
        edit: { changes: { [uri]: toLspEdits(result.lines, local) } },
      });
      continue;
    }
    actions.push({ title: 'Allocate processors and memory for the whole network', kind: CodeActionKind.QuickFix, edit: { changes: { [uri]: whole } } });
  }
  return dedupe(actions);
}

function localFix(result: CheckResult, text: string, allocated: string, d: Diagnostic, recheck: Recheck, allocations: Allocations): TextEditSpec[] | null {
  let perResult = allocations.localFixes.get(result);
  if (!perResult) allocations.localFixes.set(result, (perResult = new Map()));
  const key = `${d.code}@${d.layer}@${d.range[0]}`;
  if (perResult.has(key)) return perResult.get(key)!;
  let fix: TextEditSpec[] | null = null;
  const layer = d.layer !== null ? result.model.layers.find((l) => l.yamlIndex === d.layer) : undefined;
  const local = layer ? layerOnlyEdits(result, text, allocated, layer.node.range) : [];
  if (local.length) {
    const fixed = recheck(applyEdits(text, local));
    const before = new Set(result.diagnostics.filter((x) => x.severity === 'error').map((x) => `${x.code}@${x.layer}`));
    const cleared = !fixed.diagnostics.some((x) => x.code === d.code && x.layer === d.layer);
    const fresh = fixed.diagnostics.some((x) => x.severity === 'error' && !before.has(`${x.code}@${x.layer}`));
    if (cleared && !fresh) fix = local;
  }
  perResult.set(key, fix);
  return fix;
}

function layerOnlyEdits(result: CheckResult, before: string, after: string, range: readonly [number, number]): TextEditSpec[] {
  return minimalEdits(before, after).filter((e) => e.range[0] >= range[0] && e.range[0] <= range[1]);
}

function dedupe(actions: CodeAction[]): CodeAction[] {
  const seen = new Set<string>();
  return actions.filter((a) => {
    const k = `${a.kind} ${a.title}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
