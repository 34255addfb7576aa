// The shapes of the data izer's simulation passes from layer to layer (create_net's simulation loop),
// without computing values: concatenation of `in_sequences`, splitting into operands, cropping,
// reshaping to `in_dim`, pooling — and the checks izer makes on them (rules #275–#277). izer's data
// buffer is indexed by the *next* layer, so `in_sequences` reads "the output stored for layer i + 1".
import { PassContext, reportLayer } from './passContext';
import type { IzerState } from './izerState';

type Shape = number[];

const prod = (s: Shape) => s.reduce((a, b) => a * b, 1);
const same = (a: Shape, b: Shape) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Why a flattening layer's input does not fit: what its weights were trained on, compared with what arrives. */
function flattenHint(features: number | null, pooled: Shape): string {
  if (features === null) return '';
  const arriving = prod(pooled);
  const perChannel = features / pooled[0];
  const side = Math.sqrt(perChannel);
  const trained = Number.isInteger(side)
    ? ` (e.g. ${pooled[0]}×${side}×${side})`
    : Number.isInteger(perChannel)
      ? ` (e.g. ${pooled[0]} channels of ${perChannel})`
      : '';
  return ` Its weights in the checkpoint expect ${features} inputs${trained}, but ${arriving} arrive: the layers before it produce ${arriving > features ? 'more' : 'less'} data than the network was trained with. Check their pooling, strides and padding.`;
}

export function runDataShapeChecks(ctx: PassContext, s: IzerState): void {
  if (!s.channelsKnown || !s.dimsKnown || !s.inputSize) return;
  const buf: (Shape | null)[] = new Array(s.layers + 1).fill(null);
  let ll = s.startLayer;
  buf[ll] = [...s.inputSize];
  const seen = new Set<number>();
  while (ll >= 0 && ll < s.layers && !seen.has(ll)) {
    seen.add(ll);
    const inDim = s.inputDim[ll];
    const pooledDim = s.pooledDim[ll];
    if (!inDim || !pooledDim) return;
    const ins = s.inSequences[ll];
    let data: Shape | null;
    if (ins && ins.length > 1) {
      const parts = ins.map((i) => buf[i + 1] ?? null);
      if (parts.some((p) => p === null)) return;
      const ps = parts as Shape[];
      if (ps.every((p) => p.length === ps[0].length && same(p.slice(1), ps[0].slice(1)))) data = [ps.reduce((a, p) => a + p[0], 0), ...ps[0].slice(1)];
      else if (ps.every((p) => p[0] === ps[0][0]) && ps.reduce((a, p) => a + prod(p) / p[0], 0) === inDim[0] * inDim[1]) data = [ps[0][0], inDim[0], inDim[1]];
      else {
        reportLayer(
          ctx,
          ll,
          276,
          'error',
          ['in_sequences', 'in_dim'],
          `The outputs listed in \`in_sequences\` (${ps.map((p) => p.join('×')).join(', ')}) cannot be concatenated, neither by channels nor as pixels of \`in_dim\` ${inDim.join('×')}.`,
        );
        return;
      }
    } else if (ins && ins[0] === -2) {
      const db = ctx.model.dataBuffer;
      data = db ? [db.dim[0], db.channels, db.dim[1]] : null;
    } else if (ins) data = buf[ins[0] + 1] ?? null;
    else data = buf[ll];
    if (!data) return;

    const ops = s.operands[ll];
    const c = data[0];
    if (ops > 1 && c % ops !== 0) {
      reportLayer(
        ctx,
        ll,
        'AX304',
        'error',
        ['in_sequences', 'operands', 'eltwise'],
        `The ${c} input channels cannot be split evenly into ${ops} operands; izer stops with a Python exception. Element-wise operations need \`in_sequences\` listing one input per operand.`,
      );
      return;
    }
    let per: Shape = [c / ops, ...data.slice(1)];
    if (ops > 1 && !s.poolFirst[ll]) {
      // the element-wise result keeps the operand shape
    }
    const crop = s.inputCrop[ll];
    if ((crop[0] !== 0 || crop[1] !== 0) && per.length >= 2) {
      // numpy's data[:, :, a:-b] (with b = 0 this is empty)
      const h = per[1];
      const stop = crop[1] === 0 ? 0 : h - crop[1];
      per = [per[0], Math.max(0, stop - crop[0]), ...per.slice(2)];
    }
    const elems = prod(per);
    const op = s.operator[ll];
    let view: Shape;
    if (op === 'conv1d') {
      if (elems % inDim[0] !== 0) {
        reportLayer(
          ctx,
          ll,
          275,
          'error',
          ['in_dim', 'in_channels'],
          `The input data (${per.join('×')}) cannot be arranged as rows of length ${inDim[0]}; izer stops with a Python exception.`,
        );
        return;
      }
      view = [elems / inDim[0], inDim[0]];
    } else if (s.bufferShift[ll] === null) {
      if (elems % (inDim[0] * inDim[1]) !== 0) {
        reportLayer(
          ctx,
          ll,
          275,
          'error',
          ['in_dim', 'in_channels'],
          `The input data (${per.join('×')}) cannot be reshaped to ${inDim[0]}×${inDim[1]} pixels per channel; izer stops with a Python exception.`,
        );
        return;
      }
      view = [elems / (inDim[0] * inDim[1]), inDim[0], inDim[1]];
    } else view = per;

    const pool = s.pool[ll];
    const ps = s.poolStride[ll];
    const pd = s.poolDilation[ll];
    const pooled: Shape =
      op !== 'conv1d'
        ? [view[0], Math.floor((view[1] + ps[0] - pool[0] - pd[0] + 1) / ps[0]), Math.floor(((view[2] ?? 1) + ps[1] - pool[1] - pd[1] + 1) / ps[1])]
        : [view[0], Math.floor((view[1] + ps[0] - pool[0] - pd[0] + 1) / ps[0])];
    const inChan = s.inputChannels[ll];
    const expected = op === 'conv1d' ? `${inChan}×${pooledDim[0]}` : `${inChan}×${pooledDim[0]}×${pooledDim[1]}`;
    const ok =
      op === 'conv1d'
        ? pooled[0] === inChan && pooled[1] === pooledDim[0] && pooledDim[1] === 1
        : s.bufferShift[ll] !== null || (pooled[0] === inChan && pooled[1] === pooledDim[0] && pooled[2] === pooledDim[1]);
    if (!ok) {
      const why =
        ops > 1 && !ins
          ? ` The ${c} channels of the previous layer are split into ${ops} operands of ${c / ops}; an element-wise layer needs \`in_sequences\` naming one input per operand.`
          : flattenHint(s.flattenInputs[ll], pooled);
      reportLayer(
        ctx,
        ll,
        277,
        'error',
        ops > 1 && !ins ? ['eltwise', 'op', 'operation', 'operands'] : ['in_sequences', 'in_dim', 'in_channels'],
        `The data reaching this layer is ${pooled.join('×')} after pooling, but the layer is set up for ${expected}.${why}`,
      );
      return;
    }
    const out: Shape = op === 'conv1d' ? [s.outputChannels[ll], s.outputDim[ll][0]] : [s.outputChannels[ll], s.outputDim[ll][0], s.outputDim[ll][1]];
    const next = s.simulatedSequence[ll] !== null ? s.simulatedSequence[ll]! : s.nextSequence[ll];
    if (next === -1) break;
    buf[next] = out;
    ll = next;
  }
}
