// A readable summary of the network at the top of cnn.c: one line per layer with its shapes and operations.
import type { GeneratorInput } from './generatorInput';

export function layerDescriptions(input: GeneratorInput): string {
  const s = input.state;
  const lines = [
    `// ${s.layers - s.firstLayerUsed} layer${s.layers - s.firstLayerUsed === 1 ? '' : 's'}, input in ${s.bigData[s.firstLayerUsed] ? 'CHW' : 'HWC'} format`,
  ];
  for (let r = 0; r < input.flags.repeatLayers; r++) {
    for (let ll = s.firstLayerUsed; ll < s.layers; ll++) {
      const oneD = s.operator[ll] === 'conv1d';
      const dim = (d: readonly number[] | null) => (d ? (oneD ? `${d[0]}` : `${d[0]}x${d[1]}`) : '?');
      const parts: string[] = [];
      const operands = s.operands[ll] > 1 ? `${s.operands[ll]} operands of ` : '';
      parts.push(`${operands}${s.inputChannels[ll]}x${dim(s.inputDim[ll])}${s.streaming[ll] ? ' streamed' : ''}`);
      if (s.flatten[ll]) parts.push(`flattened`);
      const pooled = s.pool[ll][0] > 1 || s.pool[ll][1] > 1;
      if (s.operands[ll] > 1 && !s.poolFirst[ll]) parts.push(`element-wise ${s.eltwise[ll]}`);
      if (pooled) parts.push(`${s.poolAverage[ll] ? 'average' : 'max'} pooling ${dim(s.pool[ll])} stride ${dim(s.poolStride[ll])}`);
      if (s.operands[ll] > 1 && s.poolFirst[ll]) parts.push(`element-wise ${s.eltwise[ll]}`);
      if (s.operator[ll] !== 'none') {
        let conv = s.operator[ll];
        if (s.operator[ll] !== 'linear') conv += ` ${dim(s.kernelSize[ll])} stride ${dim(s.stride[ll])} pad ${dim(s.padding[ll])}`;
        if (s.dilation[ll][0] > 1 || s.dilation[ll][1] > 1) conv += ` dilation ${dim(s.dilation[ll])}`;
        parts.push(conv);
        if (s.activation[ll]) parts.push(s.activation[ll] === 'relu' ? 'ReLU' : 'absolute value');
      } else parts.push('no convolution');
      lines.push(`// Layer ${r * s.layers + ll}: ${parts.join(', ')} -> ${s.outputChannels[ll]}x${dim(s.outputDim[ll])}`);
    }
  }
  return lines.join('\n');
}
