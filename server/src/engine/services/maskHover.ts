// The hover on `processors`, `output_processors` and `output_map` values: the mask decoded, a 4×16 picture,
// what the layer needs (channels, processors per pass, passes, multi-pass rounding), the CHW/HWC rule that
// applies, the layer's rows of the kernel map, and — when the mask is wrong — what izer says and a mask that
// would be right (the same masks the quick fixes write).
import type { CheckResult } from '../check';
import type { LayerSpec } from '../model/network';
import { layerLabel } from '../model/network';
import { ffs, maskHex, maskPicture, memoriesOf, popcount, processorsOf, quadrantsOf, rangesText } from '../model/processorMask';
import type { YNode } from '../yaml/yamlTree';
import { kernelRowsExcerpt } from './kernelMapView';
import { isNormalMaskText, MaskKey, maskAdvice, needText } from './maskSuggestions';

export function maskMarkdown(m: bigint, key: string): string {
  const procs = processorsOf(m);
  const q = quadrantsOf(m);
  const mem = memoriesOf(m);
  return [
    `**\`${key}\`** \`${maskHex(m)}\` — **${popcount(m)}** processor${popcount(m) === 1 ? '' : 's'}: ${rangesText(procs)}`,
    '',
    `Quadrant${q.length === 1 ? '' : 's'} ${q.join(', ')} · data memor${mem.length === 1 ? 'y' : 'ies'} ${rangesText(mem)} (4 processors share one) · lowest processor ${ffs(m)}`,
    '',
    '```text',
    ...maskPicture(m),
    '```',
  ].join('\n');
}

const CHW_RULE =
  '**CHW input** (`data_format: CHW`, first layer only): each input channel fills a data memory of its own, so use one processor per group of 4 — processors 0, 4, 8, … (`0x0000000000000001`, `0x0000000000000011`, `0x0000000000000111`, …).';
const HWC_RULE =
  '**HWC data**: 4 channels share each 32-bit word, so processors 4k…4k+3 share data memory k; the n-th enabled processor reads channel n (of each pass).';
const OUTPUT_RULE = '**Output** is always HWC: the n-th enabled output processor writes channel n of each pass, 4 channels per word of its data memory.';

export function maskHoverMarkdown(result: CheckResult, key: MaskKey, node: YNode, mask: bigint, layer: LayerSpec | null): string {
  const parts = [maskMarkdown(mask, key)];
  if (node.type === 'scalar' && !isNormalMaskText(node.text, node.quoted)) parts.push(`Written in an unusual form; izer's usual form is \`${maskHex(mask)}\`.`);
  const target = key === 'output_map' ? finalLayer(result) : layer;
  if (!target) return parts.join('\n\n');
  const advice = maskAdvice(result, target, key, mask, expectedFromDiagnostics(result, node));
  const s = result.analysis?.state;
  const chw = key === 'processors' && (s ? s.bigData[target.ll] : target.dataFormat === 'chw');
  if (advice.need) {
    const ok = popcount(mask) === (expectedFromDiagnostics(result, node) ?? advice.need.perPass);
    parts.push(`**${cap(layerLabel(target))} needs** ${needText(advice.need, key)}. ${ok ? '✓' : `✗ (the mask has ${popcount(mask)})`}`);
  } else if (key === 'processors') {
    parts.push(needWithoutCheckpoint(result, target, mask));
  }
  if (key === 'processors') parts.push(inputPlaceMarkdown(result, target, mask));
  else if (key === 'output_processors') parts.push(OUTPUT_PLACE);
  parts.push(key === 'processors' ? (chw ? CHW_RULE : HWC_RULE) : OUTPUT_RULE);
  if (key === 'processors') {
    const rows = kernelRowsExcerpt(result, target.ll);
    if (rows) parts.push(`**Kernel memory** (this layer's rows of the kernel map, ${rows[0]}):\n\n\`\`\`text\n${rows.slice(1).join('\n')}\n\`\`\``);
  }
  const said = result.diagnostics.filter((d) => d.range[0] === node.range[0] && d.range[1] === node.range[1] && d.severity !== 'information');
  if (said.length) parts.push(said.map((d) => `✗ **${d.code.startsWith('IZ') ? 'izer' : 'ai8x'}** (${d.code}): ${d.message}`).join('\n\n'));
  else if (advice.problems.length) parts.push(`✗ The mask ${advice.problems.join('; ')}.`);
  const caused = said.flatMap((d) => d.causes ?? []);
  if (caused.length) parts.push(`_Fix ${caused.map((c) => c.summary).join(' and ')} first: the right mask depends on it._`);
  else if ((said.length || advice.problems.length) && advice.suggestions.length) {
    parts.push(
      ['**Would be right:**', ...advice.suggestions.map((x) => `- \`${maskHex(x.mask)}\` — ${x.why}`)].join('\n') + '\n\n_(Quick fix: Ctrl+. on the mask.)_',
    );
  }
  if (key === 'processors') parts.push(WHY_SPREAD);
  return parts.join('\n\n');
}

const OUTPUT_PLACE =
  "**Where the output goes:** a layer writes its output to the data memories of its `output_processors`, and the layer that reads it next must have the same `processors`. Without `output_processors` izer writes where the next layer reads (the next layer's `processors`), so they match by themselves.";

const WHY_SPREAD =
  "**Any start works** as long as the reading layer's `processors` match where the data was written: nothing requires processor 0. The shipped networks spread or shift their masks (e.g. `0xfffffffffffffff0`) for memory: each processor has its own kernel memory (the kernels for the channel it reads live there, and every layer on that processor takes columns of it) and each group of 4 processors shares one data memory, so moving a layer to other processors makes room for its kernels or keeps its output away from data still needed. *ai8x: Allocate Processors and Memory* chooses `processors`, `output_processors` and offsets for the whole network.";

/** The layers a layer reads (izer layer numbers; -1 = the network input, -2 = the data buffer). */
function sourcesOf(result: CheckResult, layer: LayerSpec): number[] {
  const s = result.analysis?.state;
  if (s && s.order.includes(layer.ll)) return s.inSequences[layer.ll] ?? [s.prevSequence[layer.ll]];
  // Without a sequence (the passes stopped early): the YAML order.
  return [layer.ll - 1];
}

/** Where the layer(s) before this one wrote their output, in words, and whether this mask reads exactly there. */
function inputPlaceMarkdown(result: CheckResult, layer: LayerSpec, mask: bigint): string {
  const s = result.analysis?.state;
  const sources = sourcesOf(result, layer);
  if (sources.length === 1 && sources[0] === -1) {
    return `**Where the input is:** ${cap(layerLabel(layer))} reads the network input, which izer's loader puts into the data memories of exactly these processors (the n-th enabled processor gets channel n). Any processors work as long as their count fits the input channels.`;
  }
  const lines: string[] = [];
  let written = 0n;
  let known = true;
  for (const k of sources) {
    if (k === -2) {
      const m = result.model.dataBuffer?.processors ?? null;
      if (m === null) known = false;
      else written |= m;
      lines.push(`the data buffer \`${result.model.dataBuffer?.name ?? 'buffer'}\` is at processors ${m === null ? '?' : rangesText(processorsOf(m))}`);
      continue;
    }
    const src = result.model.layers[k];
    if (!src) {
      known = false;
      continue;
    }
    const explicit = src.outputProcessors;
    const next = s && s.order.includes(k) ? s.nextSequence[k] : k + 1;
    const m = explicit ?? (next === layer.ll || Number.isNaN(next) ? mask : (s?.outputProcessorMap[k] ?? null));
    if (m === null) known = false;
    else written |= m;
    const how =
      explicit !== null
        ? `its \`output_processors\` on line ${result.lines.lineOf(src.entries.get('output_processors')?.value?.range[0] ?? src.range[0]) + 1}`
        : next === layer.ll || Number.isNaN(next)
          ? `by default where the next layer — this one — reads, so this very mask`
          : `by default where its next layer reads`;
    lines.push(`${layerLabel(src)} writes its output to processors ${m === null ? '?' : rangesText(processorsOf(m))} (${how})`);
  }
  const verdict = !known
    ? ''
    : written === mask
      ? ' ✓ This mask reads exactly there.'
      : ` ✗ This mask reads processors ${rangesText(processorsOf(mask))}: not where the data is.`;
  return `**Where the input is:** a layer reads its input from the data memories of its \`processors\`, so they must be where the layer before it wrote its output — that layer's \`output_processors\`, which default to the \`processors\` of the layer that reads next. Here ${lines.join('; ')}.${verdict}`;
}

/** Without the checkpoint's channel counts: what the YAML and the sample input tell about the count. */
function needWithoutCheckpoint(result: CheckResult, layer: LayerSpec, mask: bigint): string {
  const s = result.analysis?.state;
  const n = popcount(mask);
  const tail = "_The checkpoint gives every layer's channel counts: associate it (*ai8x: Choose Checkpoint for This Network*) for the exact need._";
  if (layer.inChannels !== null)
    return `**${cap(layerLabel(layer))}** has \`in_channels: ${layer.inChannels}\` → ${layer.inChannels > 64 ? 'several passes' : `${layer.inChannels} processor${layer.inChannels === 1 ? '' : 's'}`}. ${tail}`;
  const sources = sourcesOf(result, layer);
  if (sources.length === 1 && sources[0] === -1) {
    if (s?.inputSize) {
      const c = Math.floor(s.inputSize[0] / Math.max(1, s.operands[layer.ll] ?? 1));
      return `**The sample input has ${c} channel${c === 1 ? '' : 's'}** → ${c <= 64 ? `${c} processor${c === 1 ? '' : 's'}, one per channel` : 'several passes'}. ${c === n ? '✓' : `✗ (the mask has ${n})`}`;
    }
    return `**Channels:** the network input's channel count comes from the sample input; ${n} processor${n === 1 ? '' : 's'} read${n === 1 ? 's' : ''} ${n} channel${n === 1 ? '' : 's'} per pass. ${tail}`;
  }
  const parts: string[] = [];
  for (const k of sources) {
    const src = result.model.layers[k];
    if (!src) continue;
    if (src.outputProcessors !== null) {
      const m = popcount(src.outputProcessors);
      parts.push(`${layerLabel(src)} writes ${m} channel${m === 1 ? '' : 's'} per pass (its \`output_processors\` has ${m} processor${m === 1 ? '' : 's'})`);
    } else if (src.processors !== null && (src.op === 'none' || src.eltwise !== null)) {
      const m = popcount(src.processors);
      parts.push(`${layerLabel(src)} (${src.eltwise ?? 'passthrough'}) has no weights and writes as many channels per pass as its \`processors\` reads (${m})`);
    } else {
      parts.push(`${layerLabel(src)}'s output channel count is in the checkpoint (its weights)`);
    }
  }
  return `**Channels:** ${n} processor${n === 1 ? '' : 's'} read${n === 1 ? 's' : ''} ${n} channel${n === 1 ? '' : 's'} per pass. ${cap(parts.join('; '))}. ${tail}`;
}

function finalLayer(result: CheckResult): LayerSpec | null {
  const s = result.analysis?.state;
  if (!s) return null;
  return result.model.layers[s.finalLayer] ?? null;
}

/** A count izer expects for this very value (from the diagnostic's fix hint), e.g. a layer's output count found on the next layer's `processors`. */
export function expectedFromDiagnostics(result: CheckResult, node: YNode): number | undefined {
  for (const d of result.diagnostics) {
    if (d.fix?.kind === 'processorCount' && d.fix.valueRange[0] === node.range[0] && d.fix.valueRange[1] === node.range[1]) return d.fix.expected;
  }
  return undefined;
}

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
