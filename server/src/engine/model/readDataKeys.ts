// The layer keys that say where a layer's data and weights are and how they are laid out (processors, offsets,
// channels, dimensions, formats, quantization, groups, bias), and its on/off flags.
import { parseMaskValue, pyInt, pyNumber, pyRepr, pyStr, pyTruthy } from '../yaml/pyValue';
import { closestKeys } from './didYouMean';
import { MASK_LIMIT, type LayerCtx, firstKeyRange, valueRange, typeError } from './keyReading';
import { LAYER_DEFAULTS } from './layerDefaults';

export function readProcessors(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('processors');
  const v = e?.value;
  const m = parseMaskValue(v);
  if (!e || m === null) {
    sink.izer(
      19,
      'error',
      e ? valueRange(e) : firstKeyRange(layer.node),
      layer.yamlIndex,
      'Every layer needs `processors`: the 64-bit map of processors that read its input.',
    );
  } else if (typeof m !== 'bigint' || m < 1n || m >= MASK_LIMIT) {
    sink.izer(
      20,
      'error',
      valueRange(e),
      layer.yamlIndex,
      `\`processors\` must be a processor map from 0x1 to 0xffffffffffffffff (64 processors); \`${pyRepr(v!, true)}\` is ${describeMaskProblem(m)}.`,
    );
  } else layer.processors = m;

  const o = layer.entries.get('output_processors');
  if (o) {
    const om = parseMaskValue(o.value);
    if (typeof om !== 'bigint' || om < 1n || om >= MASK_LIMIT) {
      sink.izer(
        21,
        'error',
        valueRange(o),
        layer.yamlIndex,
        `\`output_processors\` must be a processor map from 0x1 to 0xffffffffffffffff; \`${o.value ? pyRepr(o.value, true) : 'None'}\` is ${describeMaskProblem(om)}.`,
      );
    } else layer.outputProcessors = om;
  }
}

function describeMaskProblem(m: bigint | string | null): string {
  if (m === null) return 'empty';
  if (typeof m === 'string') return 'not a hexadecimal number';
  if (m < 1n) return m === 0n ? 'zero (no processor)' : 'negative';
  return 'wider than 64 bits';
}

export function readQuantization(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('quantization');
  if (!e) return;
  const v = e.value;
  const s = pyStr(v)?.toLowerCase();
  const n = v && v.type === 'scalar' && (v.value.kind === 'int' || v.value.kind === 'bool' || v.value.kind === 'float') ? pyNumber(v) : null;
  if (s === 'bin' || s === 'binary') layer.quantization = -1;
  else if (n !== null && [1, 2, 4, 8].includes(n)) layer.quantization = n;
  else {
    sink.izer(
      22,
      'error',
      valueRange(e),
      layer.yamlIndex,
      `\`quantization\` must be 1, 2, 4 or 8 (unquoted) or \`binary\`; \`${v ? pyRepr(v) : 'None'}\` is not one of them.`,
    );
  }
}

export function readSimpleInts(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const num = (key: string, what = 'an integer'): number | null => {
    const e = layer.entries.get(key);
    if (!e) return null;
    const n = pyNumber(e.value);
    if (n === null) {
      typeError(ctx, e, what);
      return null;
    }
    return n;
  };
  layer.outputShift = num('output_shift');
  layer.inChannels = num('in_channels');
  layer.outChannels = num('out_channels');
  const rg = num('in_skip') ?? num('read_gap');
  if (rg !== null) layer.readGap = rg;
  const ics = num('in_channel_skip');
  if (ics !== null) layer.inChannelSkip = ics;
  layer.inOffset = num('in_offset', 'a byte offset (an integer such as 0x4000)');
  layer.outOffset = num('out_offset', 'a byte offset (an integer such as 0x4000)');
  const wg = num('write_gap');
  if (wg !== null) layer.writeGap = wg;

  const d = layer.entries.get('in_dim');
  if (d) {
    const v = d.value;
    const i = pyInt(v);
    if (i !== null) layer.inDim = [Number(i), 1];
    else if (v && v.type === 'seq' && v.items.length <= 2) {
      const nums = v.items.map((x) => pyNumber(x));
      if (nums.length === 2 && nums[0] !== null && nums[1] !== null) layer.inDim = [nums[0], nums[1]];
      else if (nums.length < 2)
        sink.add(
          'AX001',
          'error',
          valueRange(d),
          layer.yamlIndex,
          '`in_dim` as a list needs two dimensions `[H, W]`; izer accepts a shorter list here but crashes on it later.',
        );
      else typeError(ctx, d, 'a list of integers');
    } else {
      sink.izer(23, 'error', valueRange(d), layer.yamlIndex, '`in_dim` must be an integer (read as L×1) or a list `[H, W]` of at most two dimensions.');
    }
  }
  const c = layer.entries.get('in_crop');
  if (c) {
    const v = c.value;
    const nums = v && v.type === 'seq' ? v.items.map((x) => pyNumber(x)) : [];
    if (nums.length === 2 && nums[0] !== null && nums[1] !== null) layer.inCrop = [nums[0], nums[1]];
    else typeError(ctx, c, 'a list `[start, end]` of two integers');
  }
  if (!layer.entries.has('out_offset')) {
    sink.izer(
      25,
      'warning',
      firstKeyRange(layer.node),
      layer.yamlIndex,
      "No `out_offset`: izer writes this layer's output at offset 0. Give it explicitly (usually alternating between 0 and half the data memory).",
    );
  }
}

export function readBooleans(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const flag = (key: string): boolean | null => {
    const e = layer.entries.get(key);
    if (!e) return null;
    const v = e.value;
    const truthy = pyTruthy(v);
    if (v && v.type === 'scalar' && v.value.kind === 'str') {
      const low = v.value.value.toLowerCase();
      if (['false', 'no', 'off', '0', 'none'].includes(low)) {
        sink.add(
          'AX002',
          'warning',
          valueRange(e),
          layer.yamlIndex,
          `\`${key}: "${v.value.value}"\` is a string, and izer treats every non-empty string as true. Write \`${key}: false\` without quotes if you mean false.`,
          {
            fix: { kind: 'replaceValue', range: valueRange(e), newText: 'false', title: `Use ${key}: false` },
          },
        );
      }
    }
    return truthy;
  };
  layer.poolFirst = flag('pool_first') ?? LAYER_DEFAULTS.poolFirst;
  layer.streaming = flag('streaming') ?? LAYER_DEFAULTS.streaming;
  layer.flatten = flag('flatten') ?? LAYER_DEFAULTS.flatten;
  layer.bypass = flag('bypass') ?? LAYER_DEFAULTS.bypass;
  layer.calcx4 = flag('calcx4') ?? LAYER_DEFAULTS.calcx4;
  layer.tcalc = flag('tcalc') ?? LAYER_DEFAULTS.tcalc;
  layer.readahead = flag('readahead') ?? LAYER_DEFAULTS.readahead;
  layer.output = flag('output') ?? LAYER_DEFAULTS.output;
}

export function readDataFormat(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('data_format');
  if (!e) return;
  const s = pyStr(e.value);
  if (s === null) {
    typeError(ctx, e, '`HWC` or `CHW`');
    return;
  }
  const low = s.toLowerCase();
  if (low === 'chw' || low === 'big') layer.dataFormat = 'chw';
  else if (low !== 'hwc' && low !== 'little') {
    sink.izer(37, 'error', valueRange(e), layer.yamlIndex, `Unknown \`data_format\` \`${s}\`; use \`HWC\` (or \`little\`) or \`CHW\` (or \`big\`).`, {
      fix: {
        kind: 'replaceValue',
        range: valueRange(e),
        newText: closestKeys(low, ['hwc', 'chw'])[0]?.toUpperCase() ?? 'HWC',
        title: 'Use a valid data format',
      },
    });
  }
}

export function readOutputWidth(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('output_width');
  if (!e) return;
  const n = e.value && e.value.type === 'scalar' && e.value.value.kind !== 'str' ? pyNumber(e.value) : null;
  if (n !== 8 && n !== 32)
    sink.izer(38, 'error', valueRange(e), layer.yamlIndex, `\`output_width\` must be 8 or 32, not \`${e.value ? pyRepr(e.value) : 'None'}\`.`);
  else layer.outputWidth = n;
}

export function readGroupsAndBias(ctx: LayerCtx): void {
  const { layer } = ctx;
  const g = layer.entries.get('conv_groups') ?? layer.entries.get('groups');
  if (g) {
    const n = pyNumber(g.value);
    if (n === null) typeError(ctx, g, 'an integer');
    else layer.groups = n;
  }
  const b = layer.entries.get('bias_quadrant') ?? layer.entries.get('bias_group');
  if (b) {
    const v = b.value;
    const i = pyNumber(v);
    if (i !== null) layer.biasGroup = [i];
    else if (v && v.type === 'seq' && v.items.every((x) => pyNumber(x) !== null)) layer.biasGroup = v.items.map((x) => pyNumber(x)!);
    else typeError(ctx, b, 'a quadrant number 0–3 or a list of them');
  }
}
