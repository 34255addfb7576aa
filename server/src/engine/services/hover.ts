// Hover text (Markdown) for keys and values of a network YAML.
import type { CheckResult } from '../check';
import { Device, DEVICES } from '../device/devices';
import { findKeyDoc, KeyDoc } from '../model/keyCatalog';
import { layerLabel, LayerSpec } from '../model/network';
import { resolveRef } from '../model/layerRefs';
import { parseMaskValue, pyNumber, pyRepr, pyStr, pyTruthy } from '../yaml/pyValue';
import type { Range, YNode } from '../yaml/yamlTree';
import { locate } from './locate';
import { layerSummaryMarkdown } from './layerDetails';
import { maskHoverMarkdown, maskMarkdown } from './maskHover';

export { maskMarkdown };

/** The map views a hover can offer to open (the protocol layer turns them into command links). */
export type MapViewLink = 'kernelMap' | 'dataMemory';

export interface HoverResult {
  markdown: string;
  range: Range;
  views?: MapViewLink[];
}

const KERNEL_KEYS = new Set(['processors']);
const MEMORY_KEYS = new Set(['processors', 'output_processors', 'in_offset', 'out_offset']);

function viewsFor(result: CheckResult, key: string | null): MapViewLink[] | undefined {
  if (!result.model.isNetwork) return undefined;
  const views: MapViewLink[] = [];
  if (key === null || KERNEL_KEYS.has(key)) views.push('kernelMap');
  if (key === null || MEMORY_KEYS.has(key)) views.push('dataMemory');
  return views.length ? views : undefined;
}

export function hoverAt(result: CheckResult, offset: number): HoverResult | null {
  const loc = locate(result.model, offset);
  if (!loc) return layerHeaderHover(result, offset);
  const key = loc.entry.keyName;
  if (key === null) return null;
  if (loc.onKey) {
    const doc = findKeyDoc(loc.scope === 'global' ? 'global' : 'layer', key);
    const parts: string[] = [];
    const summary = loc.scope === 'layer' && loc.layer && loc.layer.node.entries[0] === loc.entry;
    if (summary) parts.push(layerSummaryMarkdown(result, loc.layer!), '---');
    if (loc.scope === 'unload' || loc.scope === 'data_buffer') parts.push(`**\`${key}\`** — \`${loc.scope}\` item key`);
    else if (doc) parts.push(keyDocMarkdown(doc, result.device));
    else parts.push(`**\`${key}\`** is not a key izer knows here.`);
    return { markdown: parts.join('\n\n'), range: loc.entry.key.range, views: summary ? viewsFor(result, null) : undefined };
  }
  const node = loc.valueNode ?? loc.entry.value;
  if (!node) return null;
  const md = valueMarkdown(result, key, node, loc.layer, loc.scope);
  return md ? { markdown: md, range: node.range, views: loc.scope === 'layer' ? viewsFor(result, key) : undefined } : null;
}

export function keyDocMarkdown(doc: KeyDoc, device: Device): string {
  const lines = [`**\`${doc.key}\`** — ${doc.scope === 'global' ? 'top-level key' : 'layer key'}${doc.required ? ' (required)' : ''}`, '', doc.summary];
  if (doc.values) lines.push('', `**Values:** ${doc.values}`);
  lines.push('', `**Default:** ${doc.defaultValue}`);
  if (doc.device) lines.push('', `**Devices:** ${doc.device} (checking for ${device.name})`);
  if (doc.aliases?.length) lines.push('', `Same setting as ${doc.aliases.map((a) => '`' + a + '`').join(', ')}; give only one.`);
  return lines.join('\n');
}

const OP_DOCS: Record<string, string> = {
  conv2d: '2-D convolution with 1×1 or 3×3 kernels.',
  conv1d: '1-D convolution over data of shape C×L, kernel length 1 to 9.',
  convtranspose2d: 'Transposed 2-D convolution (upsampling by 2) with 3×3 kernels.',
  linear: 'Fully connected layer (runs as 1×1 convolutions on 1×1 data, usually after `flatten: true`).',
  fc: 'Same as `linear`.',
  mlp: 'Same as `linear`.',
  none: 'Passthrough: no weights; moves (and optionally pools) data.',
  passthrough: 'Passthrough: no weights; moves (and optionally pools) data.',
  add: 'Element-wise addition of the inputs in `in_sequences` (no weights).',
  sub: 'Element-wise subtraction of the inputs in `in_sequences` (no weights).',
  or: 'Element-wise bitwise OR of the inputs (no weights).',
  xor: 'Element-wise bitwise XOR of the inputs (no weights).',
  bitwiseor: 'Element-wise bitwise OR of the inputs (no weights).',
  bitwise_or: 'Element-wise bitwise OR of the inputs (no weights).',
  bitwisexor: 'Element-wise bitwise XOR of the inputs (no weights).',
  bitwise_xor: 'Element-wise bitwise XOR of the inputs (no weights).',
};

function valueMarkdown(result: CheckResult, key: string, node: YNode, layer: LayerSpec | null, scope: string): string | null {
  const device = result.device;
  switch (key) {
    case 'processors':
    case 'output_processors':
    case 'output_map': {
      const m = parseMaskValue(node);
      if (typeof m !== 'bigint' || m < 1n || m >= 1n << 64n) return `**\`${key}\`**: not a valid processor map.`;
      if (key === 'output_map' && scope !== 'global') return maskMarkdown(m, key);
      return maskHoverMarkdown(result, key, node, m, scope === 'layer' ? layer : null);
    }
    case 'in_offset':
    case 'out_offset':
    case 'offset': {
      const n = pyNumber(node);
      if (n === null) return null;
      return offsetMarkdown(n, device);
    }
    case 'op':
    case 'operation':
    case 'operator':
    case 'convolution': {
      const s = pyStr(node)?.toLowerCase();
      return s && OP_DOCS[s] ? `**${s}** — ${OP_DOCS[s]}` : null;
    }
    case 'activate':
    case 'activation': {
      const s = pyStr(node)?.toLowerCase();
      if (s === 'relu') return '**ReLU** — negative outputs become 0.';
      if (s === 'abs') return '**Abs** — outputs become their absolute value.';
      if (s === 'none') return '**None** — no activation; with `output_width: 32` the raw accumulator is kept.';
      return null;
    }
    case 'in_sequences':
    case 'next_sequence':
    case 'simulated_sequence':
    case 'weight_source': {
      if (node.type !== 'scalar') return null;
      const ref =
        node.value.kind === 'str'
          ? { kind: 'name' as const, value: node.value.value, range: node.range }
          : pyNumber(node) !== null
            ? { kind: 'index' as const, value: pyNumber(node)!, range: node.range }
            : null;
      if (!ref) return null;
      if (ref.kind === 'name' && ref.value.toLowerCase() === 'stop') return '**stop** — the network ends after this layer.';
      const idx = resolveRef(result.model, ref);
      if (idx === -1) return '**input** — the network input (sample data).';
      if (idx === -2) return '**data buffer** — the rolling buffer from `data_buffer`.';
      const target = idx === null ? undefined : result.model.layers[idx];
      if (!target) return `No layer ${ref.kind === 'name' ? 'named `' + ref.value + '`' : ref.value} exists.`;
      return `Refers to **${layerLabel(target)}**, \`${target.opText ?? 'conv2d'}\`, at list position ${target.yamlIndex}.`;
    }
    case 'kernel_size': {
      if (!layer) return null;
      return `Kernel ${layer.kernelSize[0]}×${layer.kernelSize[1]} (${layer.op}).`;
    }
    default: {
      const doc = findKeyDoc(scope === 'global' ? 'global' : 'layer', key);
      if (!doc || (scope !== 'global' && scope !== 'layer')) return null;
      const read = izerReading(key, node, layer);
      return [
        `**\`${key}\`**: \`${pyRepr(node, true)}\`${read ? ` — izer reads ${read}` : ''}`,
        doc.summary,
        doc.values ? `**Values:** ${doc.values}` : '',
        `**Default:** ${doc.defaultValue}`,
      ]
        .filter(Boolean)
        .join('\n\n');
    }
  }
}

const pairText = (p: readonly [number, number]) => `${p[0]}×${p[1]}`;

/** How izer interprets a value (after its own parsing rules), for the value hover. */
function izerReading(key: string, node: YNode, layer: LayerSpec | null): string | null {
  const doc = findKeyDoc('layer', key);
  if (doc?.shape === 'bool') {
    const quoted = node.type === 'scalar' && node.value.kind === 'str';
    return `**${pyTruthy(node) ? 'true' : 'false'}**${quoted && pyTruthy(node) ? ' (a quoted, non-empty string is true for izer)' : ''}`;
  }
  if (!layer) return null;
  switch (key) {
    case 'pad':
      return `padding ${layer.pad[0]} rows and ${layer.pad[1]} columns on each side`;
    case 'max_pool':
    case 'avg_pool':
      return `${layer.poolAvg ? 'average' : 'max'} pooling ${pairText(layer.pool)}`;
    case 'pool_stride':
      return `pooling stride ${pairText(layer.poolStride)}`;
    case 'pool_dilation':
      return `pooling dilation ${pairText(layer.poolDilation)}`;
    case 'stride':
      return `stride ${pairText(layer.stride)}`;
    case 'dilation':
      return `dilation ${pairText(layer.dilation)}`;
    case 'in_dim':
      return layer.inDim ? `${layer.inDim[0]}×${layer.inDim[1]} (H×W)` : null;
    case 'data_format':
      return layer.dataFormat === 'chw' ? 'CHW: one input channel per data memory' : 'HWC: four channels per 32-bit word';
    case 'quantization':
      return layer.quantization === -1 ? 'binary (±1) weights' : layer.quantization ? `${layer.quantization}-bit weights` : null;
    case 'output_width':
      return layer.outputWidth === 32 ? 'a 32-bit unclipped output' : 'an 8-bit clipped output';
    case 'output_shift':
      return layer.outputShift === null ? null : `${layer.outputShift} (izer adds 8 − bits of the weights)`;
    case 'groups':
    case 'conv_groups':
      return layer.groups > 1 ? `${layer.groups} groups (depth-wise)` : '1 group (a normal convolution)';
    default:
      return null;
  }
}

export function offsetMarkdown(n: number, device: Device): string {
  const other = DEVICES.find((d) => d.name !== device.name)!;
  const pct = (x: Device) => ((100 * n) / x.dataMemoryBytes).toFixed(1);
  return [
    `**0x${n.toString(16).padStart(4, '0')}** = ${n} bytes = word ${n / 4} of each data memory instance.`,
    '',
    `${device.name}: ${pct(device)}% into the ${device.dataMemoryBytes / 1024} KiB instance (half = 0x${(device.dataMemoryBytes / 2).toString(16)}). ${other.name}: ${pct(other)}% of ${other.dataMemoryBytes / 1024} KiB.`,
  ].join('\n');
}

/** On the `- ` that starts a layer's list item: the layer summary. */
function layerHeaderHover(result: CheckResult, offset: number): HoverResult | null {
  const text = result.lines.text;
  for (const l of result.model.layers) {
    const start = l.node.range[0];
    if (offset > start || start - offset > 80) continue;
    const between = text.slice(offset, start);
    if (!/^-?[ \t]*(-[ \t]+)?$/.test(between) || text[offset] !== '-') continue;
    return { markdown: layerSummaryMarkdown(result, l), range: [offset, offset + 1], views: viewsFor(result, null) };
  }
  return null;
}
