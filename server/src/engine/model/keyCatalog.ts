// Every key izer accepts in a network YAML, with the documentation hovers, completion and the JSON schema show.
// The layer defaults that are values are written from the reader's own tables (layerDefaults).
import { ELTWISE_OPERANDS, LAYER_DEFAULTS as D, OPERATOR_DEFAULTS as OP } from './layerDefaults';
import type { Pair } from './network';

export type KeyScope = 'global' | 'layer' | 'unload' | 'data_buffer';

export type ValueShape = 'string' | 'int' | 'mask' | 'bool' | 'intOrPair' | 'intOrList' | 'enum' | 'kernel' | 'layerRef' | 'layerRefs' | 'list' | 'pair';

export interface KeyDoc {
  key: string;
  scope: KeyScope;
  /** Other spellings of the same key; using two of one group in a layer is an error. */
  aliases?: string[];
  shape: ValueShape;
  summary: string;
  values?: string;
  /** Values offered by completion (lower case; izer compares case-insensitively unless noted). */
  enumValues?: string[];
  defaultValue: string;
  device?: string;
  required?: boolean;
}

/** A default pair as the documentation writes it: [1, 1] as 1. */
const side = (p: Pair): string => (p[0] === p[1] ? `${p[0]}` : `[${p[0]}, ${p[1]}]`);
const kernel = (k: Pair): string => `${k[0]}x${k[1]}`;

const G = (d: Omit<KeyDoc, 'scope'>): KeyDoc => ({ ...d, scope: 'global' });
const L = (d: Omit<KeyDoc, 'scope'>): KeyDoc => ({ ...d, scope: 'layer' });

export const GLOBAL_KEYS: KeyDoc[] = [
  G({
    key: 'arch',
    shape: 'string',
    required: true,
    summary:
      'Name of the trained model architecture. It must match the `arch` stored in the checkpoint (case does not matter). The special value `test` makes izer use built-in sample weights instead of a checkpoint.',
    defaultValue: 'required',
  }),
  G({
    key: 'dataset',
    shape: 'string',
    required: true,
    summary:
      'Name of the dataset. Besides documenting the network, it picks the default sample input `tests/sample_<dataset>.npy` (lower case) when no sample input file is given.',
    defaultValue: 'required',
  }),
  G({
    key: 'layers',
    shape: 'list',
    required: true,
    summary: 'The layers of the network, in sequence order. Each item describes one hardware layer.',
    defaultValue: 'required',
  }),
  G({
    key: 'output_map',
    shape: 'mask',
    summary:
      "Output processor map of the final layer. It takes precedence over that layer's `output_processors`. Unlike `processors`, a string with dots or underscores is not converted here, so write it as a plain hex number.",
    defaultValue: 'packed from processor 0 (one processor per output channel per pass)',
  }),
  G({
    key: 'unload',
    shape: 'list',
    summary:
      'Custom description of what `cnn_unload()` reads back. Each item needs `processors`, `channels`, `dim` and `offset`; `width` and `write_gap` are optional.',
    defaultValue: 'none (izer derives the unload code from the output layers)',
  }),
  G({
    key: 'data_buffer',
    shape: 'list',
    summary:
      'A rolling data buffer in data memory that layers can read through `in_sequences` and update with `buffer_shift`/`buffer_insert`. Items need `processors`, `dim`, `channels`, `offset` and `name`. Only the first item is used.',
    defaultValue: 'none',
  }),
  G({
    key: 'snoop',
    shape: 'list',
    summary: 'Raw values for the snoop registers: a list of exactly 32 integers.',
    defaultValue: 'none',
    device: 'MAX78002 only; an error on MAX78000.',
  }),
  G({ key: 'bias', shape: 'string', summary: 'Test networks only (`arch: test`): selects the bias file `tests/bias_<bias>.npy`.', defaultValue: 'none' }),
  G({
    key: 'weights',
    shape: 'string',
    summary: 'Test networks only (`arch: test`): selects the weight file `tests/<weights>.npy`.',
    defaultValue: 'tests/weights_<dataset>.npy',
  }),
];

export const LAYER_KEYS: KeyDoc[] = [
  L({
    key: 'processors',
    shape: 'mask',
    required: true,
    summary:
      "The 64-bit map of processors that read this layer's input, one bit per processor (bit 0 = processor 0). Each enabled processor handles one input channel per pass, so the number of set bits must equal the input channels per pass. Processors come in 4 quadrants of 16; every 4 neighbouring processors share one data memory.",
    values: 'An integer (usually hex, `0x…`) from 1 to 2^64−1. A string may group digits with `.` or `_`.',
    defaultValue: 'required',
  }),
  L({
    key: 'output_processors',
    shape: 'mask',
    summary: "The 64-bit map of processors whose data memories receive this layer's output. It must have one bit per output channel per pass.",
    values: 'Integer or hex string, 1 to 2^64−1.',
    defaultValue: "the next layer's `processors`; for the final layer the global `output_map`, else packed from processor 0",
  }),
  L({
    key: 'in_offset',
    shape: 'int',
    summary: 'Byte offset inside each data memory instance where this layer reads its input.',
    values: 'Integer (bytes), usually hex.',
    defaultValue: 'first layer: 0; other layers: the `out_offset` of the layer executed before',
  }),
  L({
    key: 'out_offset',
    shape: 'int',
    summary:
      'Byte offset inside each data memory instance where this layer writes its output. The usual plan alternates ("ping-pong") between 0 and half of the data memory so that a layer never overwrites its own input.',
    values: 'Integer (bytes), 0 to 0x1ffff on MAX78000, 0 to 0x4ffff on MAX78002; offset + output size must fit the 32 KiB / 80 KiB instance.',
    defaultValue: '0 (izer warns when it is missing)',
  }),
  L({
    key: 'in_channels',
    shape: 'int',
    summary: 'Overrides the number of input channels that izer derives from the checkpoint and the layer sequence.',
    defaultValue: 'derived',
  }),
  L({ key: 'out_channels', shape: 'int', summary: 'Overrides the number of output channels that izer derives from the checkpoint.', defaultValue: 'derived' }),
  L({
    key: 'in_dim',
    shape: 'intOrPair',
    summary: 'Overrides the input dimensions of this layer, e.g. to reshape 1-D data to 2-D or to describe concatenated inputs.',
    values: 'An integer L (read as L×1) or a list `[H, W]`.',
    defaultValue: 'derived from the sample input or the previous layer',
  }),
  L({
    key: 'in_crop',
    shape: 'pair',
    summary: 'Rows (2-D) or elements (1-D) dropped from the start and the end of the input.',
    values: '`[start, end]`',
    defaultValue: `[${D.inCrop.join(', ')}]`,
  }),
  L({
    key: 'in_skip',
    aliases: ['read_gap'],
    shape: 'int',
    summary: 'Read gap: the number of words skipped between input reads (used to read interleaved element-wise operands).',
    defaultValue: `${D.readGap}`,
    device: 'Non-zero values are MAX78002 only, and only for single-pass layers.',
  }),
  L({
    key: 'read_gap',
    aliases: ['in_skip'],
    shape: 'int',
    summary: 'Read gap: the number of words skipped between input reads (used to read interleaved element-wise operands).',
    defaultValue: `${D.readGap}`,
    device: 'Non-zero values are MAX78002 only, and only for single-pass layers.',
  }),
  L({
    key: 'in_channel_skip',
    shape: 'int',
    summary: "Channels dropped from the input data (only with izer's `--reshape-inputs`).",
    defaultValue: `${D.inChannelSkip}`,
  }),
  L({
    key: 'op',
    aliases: ['operation', 'operator', 'convolution'],
    shape: 'enum',
    enumValues: [
      'conv2d',
      'conv1d',
      'convtranspose2d',
      'linear',
      'fc',
      'mlp',
      'none',
      'passthrough',
      'add',
      'sub',
      'or',
      'xor',
      'bitwiseor',
      'bitwise_or',
      'bitwisexor',
      'bitwise_xor',
    ],
    summary:
      'The main operation of the layer. `none`/`passthrough` only moves (and optionally pools) data; `add`, `sub`, `or`, `xor` are element-wise operations over the inputs listed in `in_sequences`; `linear`/`fc`/`mlp` is a fully connected layer (1×1 kernel on flattened data).',
    values: 'Case-insensitive.',
    defaultValue: `${D.op} (izer warns when no operation is given)`,
  }),
  L({
    key: 'operation',
    aliases: ['op', 'operator', 'convolution'],
    shape: 'enum',
    enumValues: ['conv2d', 'conv1d', 'convtranspose2d', 'linear', 'fc', 'mlp', 'none', 'passthrough', 'add', 'sub', 'or', 'xor'],
    summary: 'Same as `op`.',
    defaultValue: D.op,
  }),
  L({
    key: 'operator',
    aliases: ['op', 'operation', 'convolution'],
    shape: 'enum',
    enumValues: ['conv2d', 'conv1d', 'convtranspose2d', 'linear', 'fc', 'mlp', 'none', 'passthrough', 'add', 'sub', 'or', 'xor'],
    summary: 'Same as `op`.',
    defaultValue: D.op,
  }),
  L({
    key: 'convolution',
    aliases: ['op', 'operation', 'operator'],
    shape: 'enum',
    enumValues: ['conv2d', 'conv1d', 'convtranspose2d', 'linear', 'fc', 'mlp', 'none', 'passthrough', 'add', 'sub', 'or', 'xor'],
    summary: 'Same as `op`.',
    defaultValue: D.op,
  }),
  L({
    key: 'activate',
    aliases: ['activation'],
    shape: 'enum',
    enumValues: ['relu', 'abs', 'none'],
    summary: 'Activation applied to the layer output.',
    values: '`ReLU`, `Abs` or `None` (case-insensitive).',
    defaultValue: `${D.activation ?? 'none'} (izer prints a notice for convolution and linear layers)`,
  }),
  L({
    key: 'activation',
    aliases: ['activate'],
    shape: 'enum',
    enumValues: ['relu', 'abs', 'none'],
    summary: 'Same as `activate`.',
    defaultValue: D.activation ?? 'none',
  }),
  L({
    key: 'eltwise',
    shape: 'enum',
    enumValues: ['add', 'sub', 'or', 'xor'],
    summary:
      'An element-wise operation done in flight before the main operation (e.g. add two inputs, then convolve). Sets the operand count to 2 unless `operands` says otherwise.',
    values: '`add`, `sub`, `or`, `xor` (the long forms such as `bitwiseor` are not accepted here).',
    defaultValue: D.eltwise ?? 'none',
  }),
  L({
    key: 'operands',
    shape: 'int',
    summary: 'Number of inputs combined by the element-wise operation.',
    values: '2 to 16; only with an element-wise `op` or `eltwise`.',
    defaultValue: `${ELTWISE_OPERANDS} for element-wise operations, otherwise ${D.operands}`,
  }),
  L({
    key: 'pool_first',
    shape: 'bool',
    summary: 'For element-wise layers with pooling: pool each operand first (true) or do the element-wise operation first and pool its result (false).',
    values: '`true`/`false`. Note: any non-empty string, even "false", counts as true.',
    defaultValue: `${D.poolFirst}`,
  }),
  L({
    key: 'max_pool',
    shape: 'intOrPair',
    summary: 'Max pooling before the operation.',
    values: 'An integer n (n×n) or `[H, W]`.',
    defaultValue: 'no pooling; if both `max_pool` and `avg_pool` are given, `max_pool` wins',
  }),
  L({
    key: 'avg_pool',
    shape: 'intOrPair',
    summary: "Average pooling before the operation (rounded down, or rounded with izer's `--avg-pool-rounding`).",
    values: 'An integer n (n×n) or `[H, W]`.',
    defaultValue: 'no pooling',
  }),
  L({
    key: 'pool_stride',
    shape: 'intOrPair',
    summary: 'Stride of the pooling window. Almost always equal to the pool size.',
    values: 'An integer n or `[H, W]`; must be square for 2-D data.',
    defaultValue: `${side(D.poolStride)} (izer warns when pooling is used without it)`,
  }),
  L({
    key: 'pool_dilation',
    shape: 'intOrPair',
    summary: 'Dilation of the pooling window; needs pooling in the same layer.',
    values: 'An integer or `[H, W]`.',
    defaultValue: side(D.poolDilation),
    device: 'Values above 1 are MAX78002 only (up to 16).',
  }),
  L({
    key: 'quantization',
    shape: 'enum',
    enumValues: ['8', '4', '2', '1', 'binary'],
    summary: 'Weight bit width. Normally taken from the checkpoint; set it only to override.',
    values: '`1`, `2`, `4`, `8` (unquoted numbers) or `bin`/`binary` (±1 weights).',
    defaultValue: 'from the checkpoint (`weight_bits`, else 8)',
    device: 'Binary weights are MAX78002 only.',
  }),
  L({
    key: 'output_shift',
    shape: 'int',
    summary:
      'Extra right shift (negative values shift left) of the accumulator before clipping to 8 bits. izer adds the implicit shift 8 − bits on top; the total must lie in [−15, 15].',
    defaultValue: "the checkpoint's `output_shift`, else 0",
  }),
  L({
    key: 'output_width',
    shape: 'enum',
    enumValues: ['8', '32'],
    summary: 'Bits per output value. 32 writes the unclipped accumulator (for the final layer of a classifier); it needs no activation.',
    values: '`8` or `32`.',
    defaultValue: `${D.outputWidth}`,
  }),
  L({
    key: 'data_format',
    shape: 'enum',
    enumValues: ['hwc', 'chw', 'little', 'big'],
    summary:
      'Layout of the input data. HWC packs 4 channels per 32-bit word; CHW (`big`) stores one channel per data memory and needs each input channel on a different group of 4 processors.',
    values: '`HWC`/`little` or `CHW`/`big`; CHW only in the first layer.',
    defaultValue: D.dataFormat.toUpperCase(),
  }),
  L({
    key: 'kernel_size',
    shape: 'kernel',
    enumValues: ['3x3', '1x1'],
    summary: 'Kernel size.',
    values: '`3x3` or `1x1` for Conv2d, `3x3` for ConvTranspose2d, an integer 1 to 9 for Conv1d. Not allowed on linear layers.',
    defaultValue: `${kernel(D.kernelSize)} (Conv2d/ConvTranspose2d), ${OP.conv1d.kernelSize[0]} (Conv1d), ${kernel(OP.linear.kernelSize)} (linear, passthrough)`,
  }),
  L({
    key: 'stride',
    shape: 'intOrPair',
    summary: 'Convolution stride.',
    values: '1; ConvTranspose2d always uses 2. A list must have equal elements.',
    defaultValue: `${side(D.stride)} (${side(OP.convtranspose2d.stride)} for ConvTranspose2d)`,
  }),
  L({
    key: 'pad',
    shape: 'int',
    summary: 'Zero padding on each side of the input.',
    values: '0, 1 or 2; must be smaller than the kernel size (so `pad: 0` for 1×1 kernels).',
    defaultValue: `${side(D.pad)} for convolutions, ${side(OP.linear.pad)} for linear, passthrough and element-wise layers`,
  }),
  L({
    key: 'output_pad',
    shape: 'int',
    summary: 'Output padding of a ConvTranspose2d layer.',
    values: '1 for ConvTranspose2d, 0 otherwise.',
    defaultValue: `${side(OP.convtranspose2d.outputPad)} for ConvTranspose2d, else ${side(D.outputPad)}`,
  }),
  L({
    key: 'dilation',
    shape: 'intOrPair',
    summary: 'Kernel dilation.',
    values: 'Above 1 only for Conv1d (up to 1023 on MAX78000, 2047 on MAX78002).',
    defaultValue: side(D.dilation),
  }),
  L({
    key: 'groups',
    aliases: ['conv_groups'],
    shape: 'int',
    summary: 'Convolution groups. Values above 1 make a depth-wise convolution: groups, input channels and output channels must all be equal.',
    defaultValue: `${D.groups}`,
    device: 'Depth-wise convolutions are MAX78002 only.',
  }),
  L({
    key: 'conv_groups',
    aliases: ['groups'],
    shape: 'int',
    summary: 'Same as `groups`.',
    defaultValue: `${D.groups}`,
    device: 'Values above 1 are MAX78002 only.',
  }),
  L({
    key: 'flatten',
    shape: 'bool',
    summary: 'Flatten the (pooled) 2-D input into channels for a linear layer. The flattened H×W must be at most 256.',
    values: '`true`/`false`.',
    defaultValue: `${D.flatten}`,
  }),
  L({
    key: 'streaming',
    shape: 'bool',
    summary:
      "Streaming mode: the layer starts computing while its input is still arriving. Streaming layers must form a prefix of the execution order, and the first layer streaming needs izer's `--fifo`.",
    values: '`true`/`false`.',
    defaultValue: `${D.streaming}`,
  }),
  L({
    key: 'in_sequences',
    shape: 'layerRefs',
    summary:
      "The layers whose outputs form this layer's input: one layer, or a list that is concatenated (channels) or combined by the element-wise operation. Items are layer numbers, layer `name`s, or `input` for the network input.",
    defaultValue: 'the layer executed before',
  }),
  L({
    key: 'next_sequence',
    shape: 'layerRef',
    summary: 'The layer executed after this one, by number or `name`; `stop` ends the network.',
    defaultValue: 'the next layer in the file',
    device: 'Jumps (anything but the next layer or stop) are MAX78002 only.',
  }),
  L({
    key: 'simulated_sequence',
    shape: 'layerRef',
    summary: "Like `next_sequence`, but only for izer's simulation and known-answer test.",
    defaultValue: 'none',
  }),
  L({ key: 'snoop_sequence', shape: 'int', summary: 'Link-layer target used together with `snoop`.', defaultValue: 'none', device: 'MAX78002.' }),
  L({
    key: 'sequence',
    shape: 'int',
    summary: "Sets this layer's sequence number; the following layers continue from it. Unused numbers are removed afterwards and the layers renumbered.",
    defaultValue: 'previous + 1 (the first layer is 0)',
  }),
  L({
    key: 'write_gap',
    shape: 'int',
    summary: 'Output write gap: words left free between written words, used to interleave the operands of a later element-wise layer.',
    defaultValue: `${D.writeGap}`,
  }),
  L({ key: 'bypass', shape: 'bool', summary: 'Kernel bypass: the layer uses no weights.', defaultValue: `${D.bypass}`, device: 'MAX78002 only.' }),
  L({
    key: 'bias_group',
    aliases: ['bias_quadrant'],
    shape: 'intOrList',
    summary: "Quadrants (0–3) allowed to hold this layer's bias values.",
    defaultValue: 'any quadrant the network uses',
  }),
  L({ key: 'bias_quadrant', aliases: ['bias_group'], shape: 'intOrList', summary: 'Same as `bias_group`.', defaultValue: 'any quadrant the network uses' }),
  L({ key: 'calcx4', shape: 'bool', summary: 'Rearranged kernels for ×4 calculation.', defaultValue: `${D.calcx4}`, device: 'MAX78002 only.' }),
  L({ key: 'readahead', shape: 'bool', summary: 'Read-ahead mode.', defaultValue: `${D.readahead}`, device: 'MAX78002 only.' }),
  L({ key: 'tcalc', shape: 'bool', summary: 'Temporal calculation mode.', defaultValue: 'readahead and more than one input pass' }),
  L({
    key: 'output',
    shape: 'bool',
    summary: 'Marks an output layer: it is unloaded by `cnn_unload()` and checked by the known-answer test.',
    defaultValue: 'only the final layer, when no layer sets it',
  }),
  L({
    key: 'name',
    shape: 'string',
    summary:
      'A name for the layer that `in_sequences`, `next_sequence`, `simulated_sequence` and `weight_source` can use instead of its number. Names compare case-insensitively; `input` and `stop` are reserved.',
    defaultValue: 'none',
  }),
  L({
    key: 'weight_source',
    shape: 'layerRef',
    summary: 'Reuse the weights, bias, channel counts and output shift of another layer. This layer then takes no weights from the checkpoint.',
    defaultValue: 'none',
  }),
  L({
    key: 'buffer_shift',
    shape: 'int',
    summary: 'Shift the data buffer named in `in_sequences` by this many entries (passthrough layers only).',
    defaultValue: 'none',
  }),
  L({
    key: 'buffer_insert',
    shape: 'int',
    summary: "Insert this layer's output into the data buffer; needs `out_offset` in the same layer.",
    defaultValue: 'none',
  }),
];

export const UNLOAD_KEYS = ['processors', 'dim', 'offset', 'width', 'write_gap', 'channels'];
export const UNLOAD_REQUIRED = ['processors', 'channels', 'dim', 'offset'];
export const DATA_BUFFER_KEYS = ['processors', 'dim', 'offset', 'width', 'channels', 'name'];
export const DATA_BUFFER_REQUIRED = ['processors', 'dim', 'channels', 'offset', 'name'];

export const GLOBAL_KEY_NAMES: ReadonlySet<string> = new Set(GLOBAL_KEYS.map((k) => k.key));
export const LAYER_KEY_NAMES: ReadonlySet<string> = new Set(LAYER_KEYS.map((k) => k.key));

export const ALIAS_GROUPS: readonly (readonly string[])[] = [
  ['convolution', 'operation', 'operator', 'op'],
  ['activate', 'activation'],
  ['groups', 'conv_groups'],
  ['in_skip', 'read_gap'],
  ['bias_group', 'bias_quadrant'],
];

export function findKeyDoc(scope: KeyScope, key: string): KeyDoc | undefined {
  const list = scope === 'global' ? GLOBAL_KEYS : LAYER_KEYS;
  return list.find((k) => k.key === key);
}
