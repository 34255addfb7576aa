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
  } else if (!result.analysis?.checkpoint) {
    parts.push('_Associate the checkpoint to see how many processors this layer needs._');
  }
  parts.push(key === 'processors' ? (chw ? CHW_RULE : HWC_RULE) : OUTPUT_RULE);
  if (key === 'processors') {
    const rows = kernelRowsExcerpt(result, target.ll);
    if (rows) parts.push(`**Kernel memory** (this layer's rows of the kernel map, ${rows[0]}):\n\n\`\`\`text\n${rows.slice(1).join('\n')}\n\`\`\``);
  }
  const said = result.diagnostics.filter((d) => d.range[0] === node.range[0] && d.range[1] === node.range[1] && d.severity !== 'information');
  if (said.length) parts.push(said.map((d) => `✗ **${d.code.startsWith('IZ') ? 'izer' : 'ai8x'}** (${d.code}): ${d.message}`).join('\n\n'));
  else if (advice.problems.length) parts.push(`✗ The mask ${advice.problems.join('; ')}.`);
  if ((said.length || advice.problems.length) && advice.suggestions.length) {
    parts.push(
      ['**Would be right:**', ...advice.suggestions.map((x) => `- \`${maskHex(x.mask)}\` — ${x.why}`)].join('\n') + '\n\n_(Quick fix: Ctrl+. on the mask.)_',
    );
  }
  return parts.join('\n\n');
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
