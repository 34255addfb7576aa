// Which processors every layer reads from and writes to. A layer's input lives where its sources wrote their
// output, so the choices are made per group of maps that must be equal (union-find), with concatenation by
// processors as side-by-side parts of one window. Groups are placed in izer's kernel order (layers on all 64
// processors first, then by layer number); each takes the aligned window where its layers' kernels start
// lowest in kernel memory, using izer's own column search.
import type { Device } from '../device/devices';
import type { IzerState } from '../analysis/izerState';
import type { IzerFlags } from '../izerFlags';
import { rangesText } from '../model/processorMask';
import { DataFlow, FlowLayer, INPUT } from './dataFlow';
import { KernelColumns } from './kernelColumns';

export interface ProcessorPlan {
  /** Per layer: the processors it reads from (its `processors`) and writes to. */
  inProcs: Map<number, number[]>;
  outProcs: Map<number, number[]>;
  /** Per weighted layer: the kernel columns [start, end) this plan expects izer to use. */
  kernelColumns: Map<number, [number, number]>;
  reasons: Map<number, string>;
}

export interface PlanFailure {
  layer: number | null;
  message: string;
  /** For a retry: the output of `layer` should keep clear of these data memories (they are full at that time). */
  avoid?: { layer: number; memories: number[] };
}

/** Processors kept from the file (`--keep`): a layer's input and output processors. */
export interface ProcessorPins {
  inProcs: Map<number, number[]>;
  outProcs: Map<number, number[]>;
}

/** Data memories the output of a layer should keep clear of, from earlier attempts. */
export type AvoidMemories = Map<number, Set<number>>;

type Slot = string;
const inSlot = (ll: number): Slot => `in:${ll}`;
const outSlot = (ll: number): Slot => `out:${ll}`;

interface Composite {
  reader: number;
  parent: Slot;
  parts: Slot[];
  counts: number[];
}

class UnionFind {
  private readonly parent = new Map<Slot, Slot>();
  find(x: Slot): Slot {
    let p = this.parent.get(x) ?? x;
    if (p === x) return x;
    p = this.find(p);
    this.parent.set(x, p);
    return p;
  }
  union(a: Slot, b: Slot): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

export function planProcessors(
  flow: DataFlow,
  s: IzerState,
  device: Device,
  flags: IzerFlags,
  kernLen: number[],
  avoid: AvoidMemories = new Map(),
  pins: ProcessorPins = { inProcs: new Map(), outProcs: new Map() },
): ProcessorPlan | PlanFailure {
  const byLl = new Map(flow.layers.map((l) => [l.ll, l]));
  const first = flow.order[0];
  const slotOf = (src: number): Slot => (src === INPUT ? inSlot(first) : outSlot(src));
  const uf = new UnionFind();
  const composites: Composite[] = [];
  const counts = new Map<Slot, { n: number; who: string }>();
  const setCount = (slot: Slot, n: number, who: string) => counts.set(slot, { n, who });

  setCount(inSlot(first), s.inExpandThresh[first], 'the network input');
  for (const l of flow.layers) {
    setCount(inSlot(l.ll), l.inCount, `layer ${l.ll}'s input`);
    setCount(outSlot(l.ll), l.outCount, `layer ${l.ll}'s output`);
    if (l.arrangement === 'byProcessors') {
      composites.push({
        reader: l.ll,
        parent: inSlot(l.ll),
        parts: l.sources.map(slotOf),
        counts: l.sources.map((x) => (x === INPUT ? s.inExpandThresh[first] : (byLl.get(x)?.outCount ?? 0))),
      });
    } else for (const src of l.sources) uf.union(inSlot(l.ll), slotOf(src));
    // Pass-through and element-wise layers keep each quadrant's data packed: simplest is to write where they read.
    if (!l.weighted && s.hwOperator[l.ll] === 'none') uf.union(inSlot(l.ll), outSlot(l.ll));
  }

  // Every map in a group needs the same number of processors.
  const groupCount = new Map<Slot, { n: number; who: string }>();
  for (const [slot, c] of counts) {
    const root = uf.find(slot);
    const g = groupCount.get(root);
    if (!g) groupCount.set(root, c);
    else if (g.n !== c.n) {
      return { layer: null, message: `${g.who} needs ${g.n} processors but ${c.who}, which must use the same processors, needs ${c.n}` };
    }
  }
  for (const c of composites) {
    const total = c.counts.reduce((a, b) => a + b, 0);
    const want = groupCount.get(uf.find(c.parent))?.n ?? total;
    if (total !== want || total > 64) {
      return {
        layer: c.reader,
        message: `concatenating ${c.counts.join(' + ')} channels by processors needs ${total} processors, but the layer reads with ${want}`,
      };
    }
  }

  const windows = new Map<Slot, number[]>(); // by group root
  // Kept values fix their whole group (the first pin of a group wins; a contradicting one is dropped).
  for (const [ll, procs] of pins.inProcs)
    if (!windows.has(uf.find(inSlot(ll))) && procs.length === groupCount.get(uf.find(inSlot(ll)))?.n) windows.set(uf.find(inSlot(ll)), procs);
  for (const [ll, procs] of pins.outProcs)
    if (!windows.has(uf.find(outSlot(ll))) && procs.length === groupCount.get(uf.find(outSlot(ll)))?.n) windows.set(uf.find(outSlot(ll)), procs);
  const composite = (root: Slot): Composite | undefined => composites.find((c) => uf.find(c.parent) === root || c.parts.some((p) => uf.find(p) === root));
  const columns = new KernelColumns(device, flags.weightStart, flags.newKernelLoader);
  const kernelColumns = new Map<number, [number, number]>();
  const reasons = new Map<number, string>();

  // Quadrants a `bias_group` names must be used by some layer (izer rule #232).
  const wantedQuadrants = new Set(s.biasGroupMap.flatMap((g) => g ?? []));
  const usedQuadrants = new Set<number>();
  const newQuadrants = (w: number[]) => new Set(w.map((p) => p >> 4).filter((q) => wantedQuadrants.has(q) && !usedQuadrants.has(q))).size;

  const weighted = flow.layers.filter((l) => l.weighted && kernLen[l.ll] > 0);
  const izerOrder = [...weighted.filter((l) => l.inCount === 64), ...weighted.filter((l) => l.inCount !== 64)].sort((a, b) => {
    const fa = a.inCount === 64 ? 0 : 1;
    const fb = b.inCount === 64 ? 0 : 1;
    return fa - fb || a.ll - b.ll;
  });
  const readersOf = (roots: Set<Slot>) => izerOrder.filter((l) => roots.has(uf.find(inSlot(l.ll))));
  const depthwise = (l: FlowLayer) => s.groups[l.ll] > 1;
  /** How many data memories a window for group `root` shares with the memories an output there should avoid. */
  const avoidedIn = (root: Slot, w: number[]): number => {
    let n = 0;
    for (const [ll, mems] of avoid) if (uf.find(outSlot(ll)) === root) n += new Set(w.map((p) => p >> 2).filter((m) => mems.has(m))).size;
    return n;
  };

  /** Windows to try for a group of n processors (or the fixed one a constraint leaves). */
  const candidates = (root: Slot, n: number): number[][] => {
    const inputGroup = uf.find(inSlot(first)) === root;
    if (inputGroup && s.bigData[first]) {
      if (flags.fifo) return n <= 4 ? [[0, 16, 32, 48].slice(0, n)] : [];
      // One processor per data memory, as close together or as far apart as the channel count allows.
      return [4, 8, 16].filter((stride) => n * stride <= 64).map((stride) => Array.from({ length: n }, (_, i) => stride * i));
    }
    if (inputGroup && flags.fifo) {
      if (n <= 4) return [Array.from({ length: n }, (_, i) => i)];
      if (n <= 16) return [Array.from({ length: n }, (_, i) => 16 * Math.floor(i / 4) + (i % 4))];
      return [];
    }
    const out: number[][] = [];
    for (let st = 0; st + n <= 64; st += 4) out.push(Array.from({ length: n }, (_, i) => st + i));
    return out;
  };

  /** Chooses windows for a group (and the other groups of a concatenation it belongs to). */
  const decide = (root: Slot): PlanFailure | null => {
    const comp = composite(root);
    const options: Map<Slot, number[]>[] = [];
    if (comp) {
      const parentRoot = uf.find(comp.parent);
      const total = comp.counts.reduce((a, b) => a + b, 0);
      for (const w of candidates(parentRoot, total)) {
        const choice = new Map<Slot, number[]>([[parentRoot, w]]);
        let at = 0;
        let ok = true;
        comp.parts.forEach((p, i) => {
          const part = w.slice(at, at + comp.counts[i]);
          at += comp.counts[i];
          const r = uf.find(p);
          const fixed = windows.get(r) ?? choice.get(r);
          if (fixed && fixed.join() !== part.join()) ok = false;
          choice.set(r, part);
        });
        const fixedParent = windows.get(parentRoot);
        if (fixedParent && fixedParent.join() !== w.join()) ok = false;
        if (ok) options.push(choice);
      }
    } else {
      for (const w of candidates(root, groupCount.get(root)?.n ?? 0)) options.push(new Map([[root, w]]));
    }
    if (!options.length) {
      const n = groupCount.get(root)?.n ?? 0;
      return { layer: null, message: `no processor window fits ${n} processors under the constraints (CHW, FIFO or concatenation)` };
    }
    let best: { choice: Map<Slot, number[]>; cost: number; reach: number; clash: number } | null = null;
    for (const choice of options) {
      const trial = columns.clone();
      let cost = 0;
      let fits = true;
      for (const l of readersOf(new Set(choice.keys()))) {
        const procs = choice.get(uf.find(inSlot(l.ll)))!;
        const start = trial.find(procs, kernLen[l.ll], depthwise(l));
        if (start === null) {
          fits = false;
          break;
        }
        trial.place(procs, start, kernLen[l.ll]);
        cost = Math.max(cost, start + kernLen[l.ll]);
      }
      if (!fits) continue;
      const reach = [...choice.values()].reduce((a, w) => a + newQuadrants(w), 0);
      const clash = [...choice].reduce((a, [r, w]) => a + avoidedIn(r, w), 0);
      if (!best || clash < best.clash || (clash === best.clash && (cost < best.cost || (cost === best.cost && reach > best.reach))))
        best = { choice, cost, reach, clash };
    }
    if (!best) return null; // reported by the placement below, with the layer that does not fit
    for (const [r, w] of best.choice) {
      windows.set(r, w);
      for (const p of w) usedQuadrants.add(p >> 4);
    }
    return null;
  };

  for (const l of izerOrder) {
    const root = uf.find(inSlot(l.ll));
    if (!windows.has(root)) {
      const failed = decide(root);
      if (failed) return failed;
    }
    const procs = windows.get(root) ?? candidates(root, l.inCount)[0];
    if (!procs) return { layer: l.ll, message: `no processor window of ${l.inCount} fits this layer's input` };
    if (!windows.has(root)) windows.set(root, procs);
    for (const p of procs) usedQuadrants.add(p >> 4);
    const len = kernLen[l.ll];
    const start = columns.find(procs, len, depthwise(l));
    if (start === null) {
      const free = Math.max(...candidates(root, l.inCount).map((w) => columns.freeColumns(w)));
      return {
        layer: l.ll,
        message: `layer ${l.ll} needs ${len} kernel column${len === 1 ? '' : 's'} on each of ${l.inCount} processors; at most ${free} are free on any ${l.inCount} processors`,
      };
    }
    columns.place(procs, start, len);
    kernelColumns.set(l.ll, [start, start + len]);
  }

  // Groups no weighted layer reads: the final output (izer's default, packed from processor 0) and the rest.
  for (const slot of counts.keys()) {
    const root = uf.find(slot);
    if (windows.has(root)) continue;
    const failed = decide(root);
    if (failed) return failed;
    if (!windows.has(root)) {
      const w = candidates(root, groupCount.get(root)?.n ?? 0)[0];
      if (!w) return { layer: null, message: `no processor window for ${counts.get(slot)?.who}` };
      windows.set(root, w);
    }
  }

  const inProcs = new Map<number, number[]>();
  const outProcs = new Map<number, number[]>();
  for (const l of flow.layers) {
    inProcs.set(l.ll, windows.get(uf.find(inSlot(l.ll)))!);
    outProcs.set(l.ll, windows.get(uf.find(outSlot(l.ll)))!);
  }
  for (const l of flow.layers) reasons.set(l.ll, reasonFor(l, s, inProcs.get(l.ll)!, kernelColumns.get(l.ll), byLl));
  return { inProcs, outProcs, kernelColumns, reasons };
}

function reasonFor(l: FlowLayer, s: IzerState, procs: number[], cols: [number, number] | undefined, byLl: Map<number, FlowLayer>): string {
  const ch = s.inputChannels[l.ll];
  const passes = s.inExpand[l.ll];
  const parts: string[] = [];
  const count = `${ch} channel${ch === 1 ? '' : 's'}${s.operands[l.ll] > 1 ? ` × ${s.operands[l.ll]} operands` : ''} → ${procs.length} processor${procs.length === 1 ? '' : 's'}${passes > 1 ? ` × ${passes} passes` : ''}`;
  parts.push(`${count}, ${rangesText(procs)}`);
  if (l.chw) parts.push('CHW input keeps one channel per data memory');
  const src = l.sources.filter((x) => x !== INPUT);
  if (src.length === 1 && byLl.has(src[0])) parts.push(`where layer ${src[0]} writes its output`);
  else if (src.length > 1)
    parts.push(`where layers ${src.join(', ')} write their outputs (${l.arrangement === 'byProcessors' ? 'side by side' : l.arrangement})`);
  else if (l.sources.includes(INPUT)) parts.push('where the input is loaded');
  if (cols) parts.push(`kernels in columns ${cols[0]}–${cols[1] - 1}`);
  return parts.join('; ');
}
