// What a processor mask should be: the count the layer needs (channels, passes, multi-pass rounding), the
// CHW/HWC rule, and concrete masks that satisfy them — keeping the lowest processor, or aligned to where the
// data is (the previous layer's output processors, or the next layer's processors for an output map).
// The mask hover explains these and the quick fixes write them.
import type { CheckResult } from '../check';
import type { LayerSpec } from '../model/network';
import { layerLabel } from '../model/network';
import { contiguousMask, ffs, maskHex, popcount } from '../model/processorMask';

export type MaskKey = 'processors' | 'output_processors' | 'output_map';

export interface MaskNeed {
  /** Channels the map carries (per operand for element-wise layers). */
  channels: number;
  passes: number;
  /** Processors per pass: ceil(channels ÷ passes), rounded up to a multiple of 4 above 64 channels. */
  perPass: number;
  /** perPass differs from ceil(channels ÷ passes) because of the rounding. */
  rounded: boolean;
  /** CHW input: one channel per data memory. */
  chw: boolean;
  operands: number;
}

export interface MaskSuggestion {
  mask: bigint;
  /** Short reason, e.g. "8 processors from processor 0". */
  why: string;
  /** Aligned to where the data is (previous layer's output, next layer's input). */
  aligned: boolean;
}

export interface MaskAdvice {
  current: bigint;
  need: MaskNeed | null;
  /** What is wrong with the current mask (our words); empty when it is right. */
  problems: string[];
  suggestions: MaskSuggestion[];
}

/** A mask of `count` processors, one per data memory (processor 4k of each group), from the group of `lowest`. */
export function onePerMemoryMask(lowest: number, count: number): bigint | null {
  if (count < 1 || count > 16) return null;
  const g0 = Math.min(Math.max(0, lowest) >> 2, 16 - count);
  let m = 0n;
  for (let k = 0; k < count; k++) m |= 1n << BigInt(4 * (g0 + k));
  return m;
}

/** `count` consecutive processors from `lowest` (moved down when they would run past processor 63). */
export function keepLowestMask(lowest: number, count: number): bigint | null {
  if (count < 1 || count > 64) return null;
  return contiguousMask(Math.min(Math.max(0, lowest), 64 - count), count);
}

/** The target itself when it has the right count, else `count` consecutive processors from its lowest. */
export function alignedMask(target: bigint, count: number): bigint | null {
  if (target <= 0n) return null;
  return popcount(target) === count ? target : keepLowestMask(ffs(target), count);
}

/** Two enabled processors of a CHW layer share a data memory (izer rules #171, #273). */
export function sharesMemory(m: bigint): boolean {
  for (let g = 0; g < 16; g++) if (popcount((m >> BigInt(4 * g)) & 0xfn) > 1) return true;
  return false;
}

function passes(channels: number): { passes: number; perPass: number; rounded: boolean } {
  const e = Math.max(1, Math.ceil(channels / 64));
  const plain = Math.ceil(channels / e);
  const perPass = channels > 64 ? Math.min(64, Math.ceil(plain / 4) * 4) : plain;
  return { passes: e, perPass, rounded: perPass !== plain };
}

/** The layer's need for this map, from the analysis (null without the checkpoint's channel counts). */
export function maskNeed(result: CheckResult, ll: number, key: MaskKey): MaskNeed | null {
  const s = result.analysis?.state;
  if (!s || !s.channelsKnown || ll < 0 || ll >= s.layers) return null;
  if (key === 'processors') {
    const c = s.inputChannels[ll];
    const p = passes(c);
    return {
      channels: c,
      passes: s.inExpand[ll] || p.passes,
      perPass: s.inExpandThresh[ll] || p.perPass,
      rounded: p.rounded,
      chw: s.bigData[ll],
      operands: s.operands[ll],
    };
  }
  const c = s.outputChannels[ll];
  const p = passes(c);
  return { channels: c, passes: s.outExpand[ll] || p.passes, perPass: s.outExpandThresh[ll] || p.perPass, rounded: p.rounded, chw: false, operands: 1 };
}

/** Where this layer's input data is: the output processors of the layer(s) it reads, or null for the network input. */
export function inputDataMap(result: CheckResult, ll: number): bigint | null {
  const s = result.analysis?.state;
  if (!s) return null;
  const ins = s.inSequences[ll];
  const sources = ins ?? [s.prevSequence[ll]];
  let m = 0n;
  for (const k of sources) {
    if (k === -1 || Number.isNaN(k)) return null;
    if (k === -2) m |= result.model.dataBuffer?.processors ?? 0n;
    else m |= s.outputProcessorMap[k] ?? 0n;
  }
  return m || null;
}

/** "layer 0 (stem)" or "the inputs" for the layer(s) this layer reads. */
function sourceLabel(result: CheckResult, ll: number): string {
  const s = result.analysis!.state;
  const sources = s.inSequences[ll] ?? [s.prevSequence[ll]];
  const spec = sources.length === 1 && sources[0] >= 0 ? result.model.layers[sources[0]] : null;
  return spec ? layerLabel(spec) : 'the inputs';
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function needText(n: MaskNeed, key: MaskKey): string {
  const what = key === 'processors' ? 'input' : 'output';
  const per = n.operands > 1 ? ` per operand (${n.operands} operands)` : '';
  if (n.passes === 1) return `${plural(n.channels, what + ' channel')}${per} → ${plural(n.perPass, 'processor')}, one per channel, in 1 pass`;
  const exact = Math.ceil(n.channels / n.passes);
  return `${n.channels} ${what} channels${per} → ${n.passes} passes of ${plural(n.perPass, 'processor')} (${n.channels} ÷ ${n.passes} = ${exact}${n.rounded ? `, rounded up to a multiple of 4 = ${n.perPass}` : ''})`;
}

/**
 * Advice for a layer's `processors` or `output_processors`, or the global `output_map` (layer = the final layer).
 * `expected` overrides the count (a diagnostic's own expectation).
 */
export function maskAdvice(result: CheckResult, layer: LayerSpec, key: MaskKey, current: bigint, expected?: number): MaskAdvice {
  const s = result.analysis?.state;
  const ll = layer.ll;
  const need = maskNeed(result, ll, key);
  const advice: MaskAdvice = { current, need, problems: [], suggestions: [] };
  const want = expected ?? need?.perPass;
  const have = popcount(current);
  const lowest = Math.max(0, ffs(current));
  const add = (mask: bigint | null, why: string, aligned: boolean) => {
    if (mask === null || mask === current || advice.suggestions.some((x) => x.mask === mask)) return;
    advice.suggestions.push({ mask, why, aligned });
  };
  if (key === 'processors') {
    const chw = s ? s.bigData[ll] : layer.dataFormat === 'chw';
    const countWrong = want !== undefined && have !== want;
    const shared = chw && sharesMemory(current);
    if (countWrong) advice.problems.push(`enables ${plural(have, 'processor')}, but the layer needs ${want}`);
    if (shared) advice.problems.push('CHW input needs each channel in a data memory of its own, but two enabled processors share one');
    if (countWrong || shared) {
      const n = want ?? have;
      if (chw) add(onePerMemoryMask(lowest, n), `${plural(n, 'processor')}, one per data memory, from processor ${Math.min(lowest & ~3, 4 * (16 - n))}`, false);
      else {
        const src = inputDataMap(result, ll);
        const aligned = src !== null && src !== current ? alignedMask(src, n) : null;
        const keep = keepLowestMask(lowest, n);
        const from = sourceLabel(result, ll);
        const alignedWhy =
          src !== null && aligned === src
            ? `${plural(n, 'processor')} where the input data is (${from}'s output processors)`
            : `${plural(n, 'processor')} from processor ${src !== null ? ffs(src) : lowest}, where the input data starts`;
        // Aligned first when it is exactly where the data is; else keep the user's lowest processor first.
        if (aligned !== null && aligned === src) add(aligned, alignedWhy, true);
        add(keep, `${plural(n, 'processor')} from processor ${Math.min(lowest, 64 - n)}`, false);
        add(aligned, alignedWhy, true);
      }
    }
    return advice;
  }
  if (want !== undefined && have !== want) advice.problems.push(`enables ${plural(have, 'processor')}, but the layer writes ${want} per pass`);
  const next = key === 'output_processors' && s ? s.nextSequence[ll] : -1;
  const nextMap = s && next >= 0 && next < s.layers && s.inSequences[next] === null ? s.processorMap[next] : null;
  const nextSpec = next >= 0 ? result.model.layers[next] : null;
  if (nextMap !== null && nextMap !== current)
    advice.problems.push(`${nextSpec ? layerLabel(nextSpec) : 'the next layer'} reads its input with processors ${maskHex(nextMap)}`);
  const n = want ?? have;
  if (nextMap !== null && popcount(nextMap) === n && nextMap !== current)
    add(nextMap, `where ${nextSpec ? layerLabel(nextSpec) : 'the next layer'} reads it (its \`processors\`)`, true);
  if (have !== n) {
    add(keepLowestMask(lowest, n), `${plural(n, 'processor')} from processor ${Math.min(lowest, 64 - n)}`, false);
    if (nextMap !== null) add(alignedMask(nextMap, n), `${plural(n, 'processor')} from processor ${ffs(nextMap)}, where the next layer reads`, true);
  }
  return advice;
}

/** izer's normal written form of a mask: 0x and 16 hex digits. */
export function isNormalMaskText(text: string, quoted: boolean): boolean {
  return !quoted && /^0x[0-9a-fA-F]{16}$/.test(text);
}
