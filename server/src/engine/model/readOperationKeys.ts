// The layer keys that say what a layer computes: operation, activation, element-wise operation and operands,
// pooling, kernel, stride, padding and dilation.
import { pyNumber, pyStr, pyStrLower } from '../yaml/pyValue';
import { closestKeys } from './didYouMean';
import type { Activation, EltwiseOp, Operator } from './network';
import type { ReadOptions } from './readNetwork';
import { type LayerCtx, firstKeyRange, valueRange, typeError, readPairValue } from './keyReading';
import { ELTWISE_OPERANDS, OPERATOR_DEFAULTS } from './layerDefaults';

export function readPooling(ctx: LayerCtx): void {
  const { layer } = ctx;
  const mp = layer.entries.get('max_pool');
  const ap = layer.entries.get('avg_pool');
  const e = mp ?? ap;
  if (e) {
    const p = readPairValue(ctx, e);
    if (p) layer.pool = p;
    layer.poolAvg = !mp;
    if (mp && ap) {
      ctx.sink.add(
        'AX005',
        'warning',
        ap.key.range,
        layer.yamlIndex,
        'Both `max_pool` and `avg_pool` are given; izer silently uses `max_pool` and ignores `avg_pool`.',
        {
          related: [{ range: mp.key.range, message: '`max_pool` wins' }],
        },
      );
    }
  }
  const ps = layer.entries.get('pool_stride');
  if (ps) {
    const p = readPairValue(ctx, ps);
    if (p) layer.poolStride = p;
    layer.poolStrideGiven = true;
  }
}

export function readActivation(ctx: LayerCtx, options: ReadOptions): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('activate') ?? layer.entries.get('activation');
  if (!e) return;
  const s = pyStr(e.value);
  if (s === null) {
    typeError(ctx, e, 'one of `ReLU`, `Abs` or `None` as text');
    return;
  }
  const low = s.toLowerCase();
  let act: Activation = null;
  if (low === 'relu') act = 'relu';
  else if (low === 'abs') act = 'abs';
  else if (low !== 'none') {
    sink.izer(27, 'error', valueRange(e), layer.yamlIndex, `Unknown activation \`${s}\`; the accelerator supports \`ReLU\`, \`Abs\` and \`None\`.`, {
      fix: { kind: 'replaceValue', range: valueRange(e), newText: 'ReLU', title: 'Use ReLU' },
    });
  }
  layer.activation = options.ignoreActivation ? null : act;
}

const OP_TABLE: Record<string, { op: Operator; eltwise?: EltwiseOp }> = {
  conv1d: { op: 'conv1d' },
  conv2d: { op: 'conv2d' },
  convtranspose2d: { op: 'convtranspose2d' },
  none: { op: 'none' },
  passthrough: { op: 'none' },
  add: { op: 'none', eltwise: 'add' },
  or: { op: 'none', eltwise: 'or' },
  bitwiseor: { op: 'none', eltwise: 'or' },
  bitwise_or: { op: 'none', eltwise: 'or' },
  sub: { op: 'none', eltwise: 'sub' },
  xor: { op: 'none', eltwise: 'xor' },
  bitwisexor: { op: 'none', eltwise: 'xor' },
  bitwise_xor: { op: 'none', eltwise: 'xor' },
  linear: { op: 'linear' },
  fc: { op: 'linear' },
  mlp: { op: 'linear' },
};

export function readOperation(ctx: LayerCtx, lastOpText: string | null): string | null {
  const { layer, sink } = ctx;
  const key = ['convolution', 'operation', 'operator', 'op'].find((k) => layer.entries.has(k));
  if (key) {
    const e = layer.entries.get(key)!;
    layer.opKey = key;
    const s = pyStr(e.value);
    if (s === null) {
      typeError(ctx, e, 'an operation name such as `conv2d`');
    } else {
      const low = s.toLowerCase();
      layer.opText = low;
      lastOpText = low;
      const hit = OP_TABLE[low];
      if (!hit) {
        const cands = closestKeys(low, Object.keys(OP_TABLE));
        sink.izer(
          29,
          'error',
          valueRange(e),
          layer.yamlIndex,
          `Unknown operation \`${s}\`.${cands.length ? ` Did you mean \`${cands[0]}\`?` : ''} izer knows conv1d, conv2d, convtranspose2d, linear (fc, mlp), passthrough (none), add, sub, or, xor.`,
          {
            fix: cands.length ? { kind: 'replaceValue', range: valueRange(e), newText: cands[0], title: `Change to \`${cands[0]}\``, typo: true } : undefined,
          },
        );
      } else {
        layer.op = hit.op;
        if (hit.eltwise) {
          layer.eltwise = hit.eltwise;
          layer.operands = ELTWISE_OPERANDS;
        }
        if (hit.op === 'none' || hit.op === 'linear') layer.pad = [...OPERATOR_DEFAULTS[hit.op].pad];
        if (hit.op === 'linear') layer.kernelSize = [...OPERATOR_DEFAULTS.linear.kernelSize];
      }
    }
  } else {
    sink.izer(30, 'warning', firstKeyRange(layer.node), layer.yamlIndex, 'No operation given: izer assumes `op: conv2d`. Say it explicitly.');
  }
  const hasAct = layer.entries.has('activate') || layer.entries.has('activation');
  if (layer.op !== 'none' && !hasAct) {
    if (lastOpText === null) {
      sink.add(
        'AX003',
        'error',
        firstKeyRange(layer.node),
        layer.yamlIndex,
        'izer crashes (UnboundLocalError) on a first layer that has neither an operation key nor an activation key. Add `op:` or `activate:`.',
      );
    } else {
      sink.izer(
        31,
        'information',
        firstKeyRange(layer.node),
        layer.yamlIndex,
        `No activation given for this ${layer.op === 'linear' ? 'linear' : layer.op} layer: izer uses none. Add \`activate: None\` (or ReLU/Abs) to say so.`,
      );
    }
  }
  return lastOpText;
}

export function readPadDilation(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const p = layer.entries.get('pad');
  if (p) {
    const n = pyNumber(p.value);
    if (n === null) typeError(ctx, p, 'a non-negative integer');
    else if (n < 0)
      sink.izer(32, 'error', valueRange(p), layer.yamlIndex, `\`pad\` cannot be negative (${n}).`, {
        fix: { kind: 'replaceValue', range: valueRange(p), newText: '0', title: 'Use pad: 0' },
      });
    else {
      layer.pad = [n, n];
      layer.padGiven = true;
    }
  }
  const d = layer.entries.get('dilation');
  if (d) {
    const v = readPairValue(ctx, d);
    if (v) layer.dilation = v;
    if (layer.op === 'none')
      sink.izer(33, 'error', d.key.range, layer.yamlIndex, '`dilation` needs a convolution; this layer is a passthrough or element-wise layer.');
  }
}

export function readEltwise(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('eltwise');
  if (!e) return;
  const s = pyStr(e.value);
  if (s === null) {
    typeError(ctx, e, 'one of `add`, `sub`, `or`, `xor`');
    return;
  }
  const low = s.toLowerCase();
  if (low === 'add' || low === 'or' || low === 'sub' || low === 'xor') {
    layer.eltwise = low;
    layer.operands = ELTWISE_OPERANDS;
  } else {
    sink.izer(
      34,
      'error',
      valueRange(e),
      layer.yamlIndex,
      `Unknown \`eltwise\` value \`${s}\`; use add, sub, or or xor (the long forms like \`bitwise_or\` are only accepted in \`op\`).`,
    );
  }
}

export function readOperands(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('operands');
  if (!e) return;
  if (layer.eltwise === null) {
    sink.izer(35, 'error', e.key.range, layer.yamlIndex, '`operands` only applies to element-wise operations (`op: add/sub/or/xor` or `eltwise`).');
    return;
  }
  const n = pyNumber(e.value);
  if (n === null) typeError(ctx, e, 'an integer from 2 to 16');
  else if (n < 2 || n > 16) sink.izer(36, 'error', valueRange(e), layer.yamlIndex, `\`operands\` must be 2 to 16, not ${n}.`);
  else layer.operands = n;
}

export function readKernel(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('kernel_size');
  if (!e) {
    if (layer.op === 'conv1d') layer.kernelSize = [...OPERATOR_DEFAULTS.conv1d.kernelSize];
    return;
  }
  if (layer.op === 'linear') {
    sink.izer(39, 'error', e.key.range, layer.yamlIndex, 'A linear (fc/mlp) layer always uses 1×1 kernels; remove `kernel_size`.', {
      fix: { kind: 'removeEntry', range: e.range, title: 'Remove kernel_size' },
    });
    return;
  }
  const val = e.value ? pyStrLower(e.value) : 'none';
  if (layer.op === 'conv2d' || layer.op === 'convtranspose2d') {
    const allowed = layer.op === 'conv2d' ? ['1x1', '3x3'] : ['3x3'];
    if (!allowed.includes(val)) {
      sink.izer(
        40,
        'error',
        valueRange(e),
        layer.yamlIndex,
        `${layer.op === 'conv2d' ? 'Conv2d' : 'ConvTranspose2d'} supports \`kernel_size\` ${allowed.join(' or ')} only, not \`${val}\`.`,
      );
      return;
    }
    layer.kernelSize = [Number(val[0]), Number(val[2])];
  } else {
    const n = /^\s*[-+]?\d+\s*$/.test(val) ? Number(val) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 9) {
      sink.izer(
        40,
        'error',
        valueRange(e),
        layer.yamlIndex,
        `This ${layer.op === 'conv1d' ? 'Conv1d' : 'passthrough'} layer needs \`kernel_size\` as an integer from 1 to 9, not \`${val}\`.`,
      );
      return;
    }
    layer.kernelSize = [n, 1];
  }
  layer.kernelGiven = true;
}

export function readStride(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('stride');
  if (!e) return;
  const v = e.value;
  let s: number | null;
  if (v && v.type === 'seq') {
    const nums = v.items.map((x) => pyNumber(x));
    if (nums.length < 2 || nums[0] === null || nums[1] === null) {
      typeError(ctx, e, 'an integer or a list of two equal integers');
      return;
    }
    if (nums[0] !== nums[1]) {
      sink.izer(41, 'error', valueRange(e), layer.yamlIndex, '`stride` must be the same in both dimensions.');
      return;
    }
    s = nums[0];
  } else {
    s = pyNumber(v);
    if (s === null) {
      typeError(ctx, e, 'an integer');
      return;
    }
  }
  const pooling = layer.entries.has('max_pool') || layer.entries.has('avg_pool');
  if (pooling) {
    if (s !== 1) sink.izer(42, 'error', valueRange(e), layer.yamlIndex, 'A layer that pools must use `stride: 1`; use `pool_stride` to downsample.');
  } else {
    if (layer.op === 'convtranspose2d' && s !== 2)
      sink.izer(43, 'error', valueRange(e), layer.yamlIndex, 'ConvTranspose2d always uses stride 2; remove `stride` or set it to 2.');
    layer.stride = [s, s];
  }
}

export function readPoolDilationOutputPad(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const pd = layer.entries.get('pool_dilation');
  if (pd) {
    const v = readPairValue(ctx, pd);
    if (v) layer.poolDilation = v;
    if (!(layer.entries.has('max_pool') || layer.entries.has('avg_pool'))) {
      sink.izer(46, 'error', pd.key.range, layer.yamlIndex, '`pool_dilation` needs `max_pool` or `avg_pool` in the same layer.');
    }
  }
  const op = layer.entries.get('output_pad');
  if (op) {
    const n = pyNumber(op.value);
    if (n === null) typeError(ctx, op, 'a non-negative integer');
    else if (n < 0) sink.izer(47, 'error', valueRange(op), layer.yamlIndex, `\`output_pad\` cannot be negative (${n}).`);
    else layer.outputPad = [n, n];
  } else if (layer.op === 'convtranspose2d') layer.outputPad = [...OPERATOR_DEFAULTS.convtranspose2d.outputPad];
}
