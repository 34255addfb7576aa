// The ai8x-training layer classes the model reader knows, as our own catalogue: the class name says the
// operation, the pooling in front of it, depthwise, batch-norm (folded before izer sees it) and the activation
// (ai8x.FusedMaxPoolConv2dBNReLU = max pooling, Conv2d, BN, ReLU); each family shares one constructor signature.

export type LayerOperation = 'conv2d' | 'conv1d' | 'convtranspose2d' | 'linear' | 'none';

export interface Ai8xLayer {
  className: string;
  op: LayerOperation;
  pooling: 'max' | 'avg' | null;
  activation: 'relu' | 'abs' | null;
  depthwise: boolean;
  inChannels: number;
  outChannels: number;
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  poolSize: [number, number];
  poolStride: [number, number];
  poolDilation: [number, number];
  groups: number;
  wide: boolean;
  /** `weight_bits` when the model fixes it; null when quantization-aware training chooses it. */
  weightBits: number | null;
}

type Family = 'conv2d' | 'conv1d' | 'linear' | 'pool2d' | 'pool1d';

export type EltwiseOperation = 'add' | 'sub' | 'xor' | 'or';

/** What a class name means, or null when it is no ai8x layer class. */
export function ai8xClass(name: string): { kind: 'layer'; family: Family; className: string } | { kind: 'eltwise'; op: EltwiseOperation } | null {
  const elt: Record<string, EltwiseOperation> = { Add: 'add', Sub: 'sub', Xor: 'xor', Or: 'or' };
  if (elt[name]) return { kind: 'eltwise', op: elt[name] };
  if (/^(MaxPool|AvgPool)2d$/.test(name)) return { kind: 'layer', family: 'pool2d', className: name };
  if (/^(MaxPool|AvgPool)1d$/.test(name)) return { kind: 'layer', family: 'pool1d', className: name };
  const m = /^(Fused)?(MaxPool|AvgPool)?(Depthwise)?(Conv2d|Conv1d|ConvTranspose2d|Linear)(BN)?(ReLU|Abs)?$/.exec(name);
  if (!m) return null;
  const family = m[4] === 'Conv1d' ? 'conv1d' : m[4] === 'Linear' ? 'linear' : 'conv2d';
  return { kind: 'layer', family, className: name };
}

type Signature = { name: string; default?: unknown }[];

const CONV2D: Signature = [
  { name: 'in_channels' },
  { name: 'out_channels' },
  { name: 'kernel_size' },
  { name: 'op', default: 'Conv2d' },
  { name: 'pooling', default: null },
  { name: 'pool_size', default: 2 },
  { name: 'pool_stride', default: 2 },
  { name: 'pool_dilation', default: 1 },
  { name: 'stride', default: 1 },
  { name: 'padding', default: 0 },
  { name: 'dilation', default: 1 },
  { name: 'bias', default: true },
  { name: 'activation', default: null },
  { name: 'wide', default: false },
  { name: 'batchnorm', default: null },
  { name: 'weight_bits', default: null },
  { name: 'bias_bits', default: null },
  { name: 'quantize_activation', default: false },
  { name: 'groups', default: 1 },
  { name: 'eps', default: 1e-5 },
  { name: 'momentum', default: 0.05 },
];

const POOL: Signature = [{ name: 'kernel_size' }, { name: 'stride', default: null }, { name: 'dilation', default: 1 }];

/** Constructor parameters of each family (positional order and defaults), as ai8x-training declares them. */
export const SIGNATURES: Record<Family, Signature> = {
  conv2d: CONV2D,
  // Conv1d's are Conv2d's without `op`.
  conv1d: CONV2D.filter((p) => p.name !== 'op'),
  linear: [
    { name: 'in_features' },
    { name: 'out_features' },
    { name: 'pooling', default: null },
    { name: 'bias', default: null },
    { name: 'activation', default: null },
    { name: 'wide', default: false },
    { name: 'batchnorm', default: null },
    { name: 'weight_bits', default: null },
    { name: 'bias_bits', default: null },
    { name: 'quantize_activation', default: false },
  ],
  pool2d: POOL,
  pool1d: POOL,
};

/** Builds the layer from its class and the (already evaluated) constructor arguments. */
export function makeLayer(className: string, family: Family, args: Map<string, unknown>): Ai8xLayer | string {
  const m = /^(Fused)?(MaxPool|AvgPool)?(Depthwise)?(Conv2d|Conv1d|ConvTranspose2d|Linear)(BN)?(ReLU|Abs)?$/.exec(className);
  const pair = (v: unknown, what: string): [number, number] | string => {
    if (typeof v === 'number') return [v, v];
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
    if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return [v[0], 1];
    return `\`${what}\` is ${JSON.stringify(v)}, not a number or a pair of numbers`;
  };
  const one = (v: unknown, what: string): number | string => (typeof v === 'number' ? v : `\`${what}\` is ${JSON.stringify(v)}, not a number`);
  if (family === 'pool2d' || family === 'pool1d') {
    const size = pair(args.get('kernel_size'), 'kernel_size');
    if (typeof size === 'string') return size;
    const strideArg = args.get('stride');
    const stride = strideArg === null || strideArg === undefined ? size : pair(strideArg, 'stride');
    if (typeof stride === 'string') return stride;
    const dil = pair(args.get('dilation') ?? 1, 'dilation');
    if (typeof dil === 'string') return dil;
    const oneD = family === 'pool1d';
    return {
      className,
      op: 'none',
      pooling: className.startsWith('Max') ? 'max' : 'avg',
      activation: null,
      depthwise: false,
      inChannels: 0,
      outChannels: 0,
      kernel: [1, 1],
      stride: [1, 1],
      padding: [0, 0],
      dilation: [1, 1],
      poolSize: oneD ? [size[0], 1] : size,
      poolStride: oneD ? [stride[0], 1] : stride,
      poolDilation: oneD ? [dil[0], 1] : dil,
      groups: 1,
      wide: false,
      weightBits: null,
    };
  }
  if (!m) return `\`${className}\` is not an ai8x layer class`;
  const oneD = family === 'conv1d';
  const linear = family === 'linear';
  const inCh = one(args.get(linear ? 'in_features' : 'in_channels'), linear ? 'in_features' : 'in_channels');
  const outCh = one(args.get(linear ? 'out_features' : 'out_channels'), linear ? 'out_features' : 'out_channels');
  if (typeof inCh === 'string') return inCh;
  if (typeof outCh === 'string') return outCh;
  const widen = (v: [number, number]): [number, number] => (oneD ? [v[0], 1] : v);
  const get = (name: string, what = name) => {
    const p = pair(args.get(name), what);
    return typeof p === 'string' ? p : widen(p);
  };
  const kernel = linear ? ([1, 1] as [number, number]) : get('kernel_size');
  const stride = linear ? ([1, 1] as [number, number]) : get('stride');
  const padding = linear ? ([0, 0] as [number, number]) : get('padding');
  const dilation = linear ? ([1, 1] as [number, number]) : get('dilation');
  const poolSize = linear ? ([1, 1] as [number, number]) : get('pool_size');
  let poolStride: [number, number] | string = linear ? [1, 1] : args.get('pool_stride') === null ? poolSize : get('pool_stride');
  const poolDilation = linear ? ([1, 1] as [number, number]) : get('pool_dilation');
  for (const v of [kernel, stride, padding, dilation, poolSize, poolStride, poolDilation]) if (typeof v === 'string') return v;
  poolStride = poolStride as [number, number];
  const pooling = m[2] === 'MaxPool' ? 'max' : m[2] === 'AvgPool' ? 'avg' : null;
  const depthwise = m[3] === 'Depthwise';
  const groupsArg = args.get('groups');
  const groups = depthwise ? inCh : typeof groupsArg === 'number' ? groupsArg : 1;
  return {
    className,
    op: m[4] === 'ConvTranspose2d' ? 'convtranspose2d' : oneD ? 'conv1d' : linear ? 'linear' : 'conv2d',
    pooling,
    activation: m[6] === 'ReLU' ? 'relu' : m[6] === 'Abs' ? 'abs' : null,
    depthwise,
    inChannels: inCh,
    outChannels: outCh,
    kernel: kernel as [number, number],
    stride: stride as [number, number],
    padding: padding as [number, number],
    dilation: dilation as [number, number],
    poolSize: pooling ? (poolSize as [number, number]) : [1, 1],
    poolStride: pooling ? poolStride : [1, 1],
    poolDilation: pooling ? (poolDilation as [number, number]) : [1, 1],
    groups,
    wide: args.get('wide') === true,
    weightBits: typeof args.get('weight_bits') === 'number' ? (args.get('weight_bits') as number) : null,
  };
}
