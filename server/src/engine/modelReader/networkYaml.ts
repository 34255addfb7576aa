// The network YAML for the layers read from a model, in the style of the shipped networks: a header naming where
// it comes from, the device modeline, `arch` and `dataset`, and one commented block per layer naming the model's
// module and its source line. `processors` and `out_offset` start as placeholders for the allocator to fill in.
import type { NetworkLayer } from './lowerGraph';

export interface NetworkYamlInput {
  arch: string;
  dataset: string;
  device: string;
  modelFile: string;
  className: string;
  checkpoint: string;
  sampleInput: string | null;
  izerFlags: string[];
  layers: NetworkLayer[];
  /** The first layer reads CHW data (one channel per data memory) instead of HWC. */
  chw: boolean;
}

const quote = (s: string) => (/[\s"]/.test(s) ? `"${s.replace(/"/g, '\\"')}"` : s);

export function networkYaml(n: NetworkYamlInput): string {
  const lines: string[] = [];
  lines.push('---');
  lines.push(`# ${n.arch}: written by \`ai8x new-network\` from ${n.modelFile} (class ${n.className}) and its checkpoint.`);
  const modeline = [`device=${n.device}`, `checkpoint=${quote(n.checkpoint)}`];
  if (n.sampleInput) modeline.push(`sample-input=${quote(n.sampleInput)}`);
  if (n.izerFlags.length) modeline.push(`izer-flags=${quote(n.izerFlags.join(' '))}`);
  lines.push(`# ai8x: ${modeline.join(' ')}`);
  lines.push('');
  lines.push(`arch: ${n.arch}`);
  lines.push(`dataset: ${n.dataset}`);
  lines.push('');
  lines.push('layers:');
  const index = new Map(n.layers.map((l, i) => [l, i]));
  n.layers.forEach((l, i) => {
    lines.push(`  # Layer ${i}: ${describeOrigin(l, index)}`);
    const keys: string[] = ['processors: 0x0000000000000001', 'out_offset: 0x0000'];
    const a = l.layer;
    if (i === 0) keys.push(`data_format: ${n.chw ? 'CHW' : 'HWC'}`);
    const inputs = l.inputs.map((x) => (x === 'input' ? -1 : index.get(x)!));
    const previous = i === 0 ? [-1] : [i - 1];
    if (inputs.length !== 1 || inputs[0] !== previous[0]) keys.push(`in_sequences: ${inputs.length === 1 ? inputs[0] : `[${inputs.join(', ')}]`}`);
    if (l.inDim) keys.push(`in_dim: ${a?.op === 'conv1d' && l.inDim[1] === 1 ? l.inDim[0] : `[${l.inDim[0]}, ${l.inDim[1]}]`}`);
    if (l.streaming) keys.push('streaming: true');
    if (l.readGap) keys.push(`read_gap: ${l.readGap}`);
    if (l.eltwise) {
      keys.push(`eltwise: ${l.eltwise}`);
      if (l.inputs.length !== 2) keys.push(`operands: ${l.inputs.length}`);
    }
    if (a && a.pooling) {
      keys.push(`${a.pooling}_pool: ${pairText(a.poolSize, a.op === 'conv1d' || l.inShape.oneD)}`);
      keys.push(`pool_stride: ${pairText(a.poolStride, a.op === 'conv1d' || l.inShape.oneD)}`);
      if (a.poolDilation[0] !== 1 || a.poolDilation[1] !== 1) keys.push(`pool_dilation: ${pairText(a.poolDilation, a.op === 'conv1d')}`);
    }
    if (l.eltwise && a && a.pooling && !l.poolFirst) keys.push('pool_first: false');
    if (!a || a.op === 'none') keys.push('op: passthrough');
    else {
      const op = a.op === 'linear' ? 'mlp' : a.op;
      keys.push(`op: ${op}`);
      if (a.op === 'conv2d' || a.op === 'convtranspose2d') keys.push(`kernel_size: ${a.kernel[0]}x${a.kernel[1]}`);
      if (a.op === 'conv1d') keys.push(`kernel_size: ${a.kernel[0]}`);
      if (a.op !== 'linear') keys.push(`pad: ${a.op === 'conv1d' ? a.padding[0] : a.padding[0] === a.padding[1] ? a.padding[0] : `[${a.padding.join(', ')}]`}`);
      if (a.op !== 'linear' && a.op !== 'convtranspose2d' && (a.stride[0] !== 1 || a.stride[1] !== 1))
        keys.push(`stride: ${a.op === 'conv1d' ? a.stride[0] : a.stride[0]}`);
      if (a.op === 'conv1d' && a.dilation[0] !== 1) keys.push(`dilation: ${a.dilation[0]}`);
      if (a.groups > 1) keys.push(`groups: ${a.groups}`);
      if (l.flatten) keys.push('flatten: true');
      keys.push(`activate: ${a.activation === 'relu' ? 'ReLU' : a.activation === 'abs' ? 'Abs' : 'None'}`);
      if (a.wide) keys.push('output_width: 32');
    }
    if (l.writeGap) keys.push(`write_gap: ${l.writeGap}`);
    if (l.output) keys.push('output: true');
    keys.forEach((k, j) => lines.push(`${j === 0 ? '  - ' : '    '}${k}`));
    lines.push('');
  });
  return lines.join('\n');
}

function pairText(p: [number, number], oneD: boolean): string {
  return oneD || p[0] === p[1] ? String(p[0]) : `[${p[0]}, ${p[1]}]`;
}

function describeOrigin(l: NetworkLayer, index: Map<NetworkLayer, number>): string {
  const o = l.origin;
  switch (o.kind) {
    case 'layer':
      return `${o.path} = ai8x.${o.className} (${basename(o.file)} line ${o.line})`;
    case 'eltwise':
      return `${o.path}: element-wise ${l.eltwise} (${basename(o.file)} line ${o.line})`;
    case 'copy':
      return `copy of ${o.of === 'input' ? 'the input' : `layer ${index.get(o.of)}`} with write_gap ${l.writeGap} (${o.reason})`;
  }
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}
