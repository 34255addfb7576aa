// Where in data memory every output goes. Outputs that a layer reads together form one block (word-interleaved
// operands, multi-pass concatenations one after another, side-by-side concatenations at one offset). Each block
// lives from the step that first writes it to the step that last reads it (the end, for outputs), and is
// placed, in the order blocks are born, at the first offset (ping-pong halves first) where it overlaps no
// block alive at the same time in the same data memories. Streaming buffers are alive for the whole stream.
import type { Device } from '../device/devices';
import type { IzerState } from '../analysis/izerState';
import type { StreamingRegisters } from '../analysis/registerChecks';
import type { IzerFlags } from '../izerFlags';
import { DataFlow, INPUT } from './dataFlow';
import type { PlanFailure, ProcessorPlan } from './processorPlan';

export interface OffsetPlan {
  /** Per layer: its output offset, and its input offset (the start of what it reads). */
  outOffset: Map<number, number>;
  inOffset: Map<number, number>;
  reasons: Map<number, string>;
}

interface Block {
  members: number[];
  /** Byte position of each member relative to the block start. */
  at: Map<number, number>;
  size: number;
  memories: Set<number>;
  birth: number;
  death: number;
  offset: number;
}

const hex = (n: number) => '0x' + n.toString(16).padStart(4, '0');

export function planOffsets(
  flow: DataFlow,
  s: IzerState,
  device: Device,
  flags: IzerFlags,
  procs: ProcessorPlan,
  streaming: readonly (StreamingRegisters | null)[],
  /** Output offsets kept from the file (`--keep`). */
  pins: Map<number, number> = new Map(),
): OffsetPlan | PlanFailure {
  const byLl = new Map(flow.layers.map((l) => [l.ll, l]));
  const memoriesOf = (p: number[]) => new Set(p.map((x) => x >> 2));
  const streamBytes = (reader: number): number | null => {
    const r = streaming[reader]?.rollover;
    return s.streaming[reader] && r !== null && r !== undefined ? 4 * (r + 1) : null;
  };
  const lastStreamStep = Math.max(-1, ...flow.layers.filter((l) => l.streaming).map((l) => l.step));

  // Blocks: every output on its own, then merged where a reader needs its sources laid out together.
  const blockOf = new Map<number, Block>();
  // A streaming output is a circular buffer: izer keeps the writer's and each streaming reader's rollover
  // clear of other buffers (rules #259–#263), so the block takes the largest of them.
  const sizeOf = (p: number): number => {
    const l = byLl.get(p)!;
    const streamed = [p, ...l.readers].map(streamBytes).filter((x): x is number => x !== null);
    return streamed.length ? Math.max(...streamed) : l.outBytes;
  };
  for (const l of flow.layers) {
    // A dilated Conv1d run on Conv2d hardware writes some bytes before its output offset (izer's out_ignore).
    const lead = s.outIgnore[l.ll];
    blockOf.set(l.ll, {
      members: [l.ll],
      at: new Map([[l.ll, lead]]),
      size: lead + sizeOf(l.ll) * (l.writeGap + 1),
      memories: memoriesOf(procs.outProcs.get(l.ll)!),
      birth: l.step,
      death: l.lastRead,
      offset: -1,
    });
  }
  for (const r of flow.layers) {
    if (r.arrangement === 'single') continue;
    if (r.sources.includes(INPUT)) return { layer: r.ll, message: 'reads the network input together with other layers, which the allocator does not arrange' };
    const blocks = [...new Set(r.sources.map((x) => blockOf.get(x)!))];
    if (blocks.some((b) => b.members.length > 1)) {
      // Already laid out for another reader: it must be the same layout.
      const b = blockOf.get(r.sources[0])!;
      const base = b.at.get(r.sources[0])!;
      const expected = layoutOf(r.arrangement, r.sources, sizeOf);
      if (!r.sources.every((x, i) => blockOf.get(x) === b && b.at.get(x) === base + expected[i])) {
        return { layer: r.ll, message: `its sources ${r.sources.join(', ')} are also combined differently by another layer` };
      }
      continue;
    }
    const layout = layoutOf(r.arrangement, r.sources, sizeOf);
    const merged: Block = {
      members: r.sources.slice(),
      at: new Map(r.sources.map((x, i) => [x, layout[i]])),
      size: Math.max(...r.sources.map((x, i) => layout[i] + blockOf.get(x)!.size)),
      memories: new Set(r.sources.flatMap((x) => [...blockOf.get(x)!.memories])),
      birth: Math.min(...r.sources.map((x) => blockOf.get(x)!.birth)),
      death: Math.max(...r.sources.map((x) => blockOf.get(x)!.death)),
      offset: -1,
    };
    if (r.arrangement === 'interleaved') merged.size = Math.max(...r.sources.map((x) => blockOf.get(x)!.size));
    for (const x of r.sources) blockOf.set(x, merged);
  }
  // Streaming buffers (and the output of the last streaming layer) are all in use while the stream runs.
  for (const l of flow.layers) {
    if (l.streaming || l.readers.some((r) => s.streaming[r])) {
      const b = blockOf.get(l.ll)!;
      b.birth = -1;
      b.death = Math.max(b.death, lastStreamStep);
    }
  }

  const first = flow.order[0];
  const inputSize = streamBytes(first) ?? (flags.fifo ? 0 : flow.inputBytes);
  const input: Block = {
    members: [INPUT],
    at: new Map([[INPUT, 0]]),
    size: inputSize,
    memories: memoriesOf(procs.inProcs.get(first)!),
    birth: -1,
    death: s.streaming[first] ? Math.max(flow.inputLastRead, lastStreamStep) : flow.inputLastRead,
    offset: -1,
  };
  const blocks = [input, ...new Set(flow.order.map((ll) => blockOf.get(ll)!))].sort((a, b) => a.birth - b.birth);
  const placed: Block[] = [];
  const limit = device.dataMemoryBytes;
  const half = limit / 2;
  // Kept offsets first, so that everything else keeps clear of them.
  const pinnedStart = (b: Block): number | null => {
    for (const m of b.members) {
      const off = pins.get(m);
      if (off !== undefined && off - b.at.get(m)! >= 0) return off - b.at.get(m)!;
    }
    return null;
  };
  for (const b of blocks) {
    const start = pinnedStart(b);
    if (start === null) continue;
    b.offset = start;
    placed.push(b);
  }
  for (const b of blocks) {
    if (b.offset >= 0) continue;
    const clash = (off: number) =>
      placed.some(
        (o) => o.birth <= b.death && b.birth <= o.death && [...b.memories].some((m) => o.memories.has(m)) && off < o.offset + o.size && o.offset < off + b.size,
      );
    const preferred = [0, half, half / 2, (3 * half) / 2];
    let found = -1;
    for (const off of [...preferred, ...steps(limit, 0x1000), ...steps(limit, 0x100), ...steps(limit, 4)]) {
      if (off + b.size <= limit && !clash(off)) {
        found = off;
        break;
      }
    }
    if (found < 0) {
      const who = b.members[0] === INPUT ? 'the network input' : `the output of layer${b.members.length > 1 ? 's' : ''} ${b.members.join(', ')}`;
      const busy = new Set(placed.filter((o) => o.birth <= b.death && b.birth <= o.death).flatMap((o) => [...o.memories]));
      return {
        layer: b.members[0] === INPUT ? null : b.members[0],
        message: `no room in data memory for ${who} (${b.size} bytes per memory) next to the data still needed at that point (${device.dataMemoryBytes} bytes per memory)`,
        avoid: b.members[0] === INPUT ? undefined : { layer: b.members[0], memories: [...busy] },
      };
    }
    b.offset = found;
    placed.push(b);
  }

  const outOffset = new Map<number, number>();
  const inOffset = new Map<number, number>();
  const reasons = new Map<number, string>();
  for (const l of flow.layers) {
    const b = blockOf.get(l.ll)!;
    outOffset.set(l.ll, b.offset + b.at.get(l.ll)!);
  }
  for (const l of flow.layers) {
    const src = l.sources[0];
    const b = src === INPUT ? input : blockOf.get(src)!;
    inOffset.set(l.ll, b.offset + (src === INPUT ? 0 : l.arrangement === 'single' ? b.at.get(src)! : 0));
    const life = l.keep ? 'kept to the end' : l.lastRead === l.step ? 'not read' : `read until layer ${flow.order[l.lastRead]}`;
    const bytes = sizeOf(l.ll) * (l.writeGap + 1);
    reasons.set(l.ll, `output at ${hex(outOffset.get(l.ll)!)} (${bytes} bytes per memory, ${life}), clear of the data still needed then`);
  }
  return { outOffset, inOffset, reasons };
}

/** Byte positions of the sources of a combined input, relative to its start. */
function layoutOf(arrangement: string, sources: number[], sizeOf: (p: number) => number): number[] {
  if (arrangement === 'interleaved') return sources.map((_, i) => 4 * i);
  if (arrangement === 'sequential') {
    let at = 0;
    return sources.map((x) => {
      const here = at;
      at += sizeOf(x);
      return here;
    });
  }
  return sources.map(() => 0);
}

function steps(limit: number, step: number): number[] {
  const out: number[] = [];
  for (let o = 0; o < limit; o += step) out.push(o);
  return out;
}
