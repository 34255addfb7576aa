// The model reader on small model sources written for the test: what it builds for sequential, residual and
// concatenating models, loops and keyword defaults, and how it refuses what it cannot express (with the line).
import * as assert from 'node:assert/strict';
import { lowerGraph, NetworkLayer } from '../../../server/src/engine/modelReader/lowerGraph';
import { listModels, readModel } from '../../../server/src/engine/modelReader/readModel';
import { parsePython } from '../../../server/src/engine/modelReader/pythonSyntax';
import type { ModuleLoader } from '../../../server/src/engine/modelReader/interpreter';
import { ModelReadError } from '../../../server/src/engine/modelReader/values';

const noSiblings: ModuleLoader = () => null;

function model(body: string, factory = 'net', extra = ''): string {
  return `import torch
from torch import nn

import ai8x

${extra}
class Net(nn.Module):
${body}

def ${factory}(pretrained=False, **kwargs):
    assert not pretrained
    return Net(**kwargs)


models = [
    {
        'name': '${factory}',
        'min_input': 1,
        'dim': 2,
    },
]
`;
}

function read(source: string, inputShape: number[], args: Record<string, number> = {}, loader = noSiblings): NetworkLayer[] {
  const r = readModel({ file: '/m/net.py', source, loader, arch: 'net', inputShape, constructorArgs: [args] });
  return lowerGraph(r.graph);
}

function refusal(source: string, inputShape: number[]): ModelReadError {
  try {
    read(source, inputShape);
  } catch (e) {
    if (e instanceof ModelReadError) return e;
    throw e;
  }
  throw new Error('expected the model to be refused');
}

const lineOf = (source: string, needle: string) => source.slice(0, source.indexOf(needle)).split('\n').length;
const idx = (layers: NetworkLayer[], l: NetworkLayer | 'input') => (l === 'input' ? -1 : layers.indexOf(l));

describe('model reader', () => {
  it('lists the models table', () => {
    assert.deepEqual(
      listModels(model('    pass', 'abc')).map((m) => m.name),
      ['abc'],
    );
  });

  it('sequential: one layer per ai8x call, with pooling, padding, activation, flatten and a wide output; defaults resolve as Python would', () => {
    const src = model(`    def __init__(self, num_classes=10, num_channels=3, dimensions=(28, 28), planes=8, bias=False, **kwargs):
        super().__init__()
        dim = dimensions[0]
        pad = 2 if dim == 28 else 1
        self.conv1 = ai8x.FusedConv2dReLU(num_channels, planes, 3, padding=1, bias=bias, **kwargs)
        self.conv2 = ai8x.FusedMaxPoolConv2dReLU(planes, planes * 2, 3, pool_size=2, pool_stride=2, padding=pad, **kwargs)
        dim //= 2
        if pad == 2:
            dim += 2
        self.drop = nn.Dropout(0.2)
        self.fc = ai8x.Linear(planes * 2 * dim * dim, num_classes, bias=True, wide=True, **kwargs)

    def forward(self, x):
        x = self.conv1(x)
        x = self.conv2(x)
        x = self.drop(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)`);
    const layers = read(src, [1, 28, 28], { num_channels: 1 });
    assert.deepEqual(
      layers.map((l) => [l.layer!.op, l.layer!.pooling, l.layer!.padding[0], l.layer!.activation, l.flatten, l.layer!.wide, l.outShape.c, l.outShape.h]),
      [
        ['conv2d', null, 1, 'relu', false, false, 8, 28],
        ['conv2d', 'max', 2, 'relu', false, false, 16, 16],
        ['linear', null, 0, null, true, true, 10, 1],
      ],
    );
    assert.deepEqual(
      layers.map((l) => l.weightPath),
      ['conv1', 'conv2', 'fc'],
    );
  });

  it('residual: the add is fused into the next convolution, its operands interleaved, a copy for the operand read twice', () => {
    const src = model(`    def __init__(self, num_channels=3, **kwargs):
        super().__init__()
        self.conv1 = ai8x.FusedConv2dReLU(num_channels, 16, 3, padding=1)
        self.conv2 = ai8x.FusedConv2dReLU(16, 16, 3, padding=1)
        self.resid = ai8x.Add()
        self.conv3 = ai8x.FusedConv2dReLU(16, 10, 1, padding=0)

    def forward(self, x):
        x_res = self.conv1(x)
        x = self.conv2(x_res)
        x = self.resid(x, x_res)
        return self.conv3(x)`);
    const layers = read(src, [3, 8, 8]);
    const names = layers.map((l) => (l.origin.kind === 'layer' ? l.origin.path : l.origin.kind));
    assert.deepEqual(names, ['conv1', 'copy', 'conv2', 'conv3']);
    const [conv1, copy, conv2, conv3] = layers;
    assert.equal(copy.writeGap, 1, 'the copy of conv1 writes word-interleaved');
    assert.equal(conv2.writeGap, 1, 'conv2 is read only by the add: it writes interleaved itself');
    assert.deepEqual(
      conv2.inputs.map((x) => idx(layers, x)),
      [0],
      'conv2 reads conv1 (not the copy before it)',
    );
    assert.equal(conv3.eltwise, 'add');
    assert.deepEqual(
      conv3.inputs.map((x) => idx(layers, x)),
      [2, 1],
      'the operands in the order of the call: conv2, then (a copy of) conv1',
    );
    assert.equal(conv1.writeGap, 0, 'conv1 keeps its plain layout for conv2');
  });

  it('concatenation and several outputs: in_sequences in torch.cat order; host-side heads make their layers outputs', () => {
    const src = model(`    def __init__(self, **kwargs):
        super().__init__()
        self.a = ai8x.FusedConv2dReLU(3, 8, 3, padding=1)
        self.b = ai8x.FusedConv2dReLU(8, 8, 3, padding=1)
        self.c = ai8x.FusedConv2dReLU(16, 4, 1, padding=0)
        self.head = ai8x.Conv2d(8, 6, 1, padding=0)

    def forward(self, x):
        a = self.a(x)
        b = self.b(a)
        y = torch.cat((b, a), dim=1)
        y = self.c(y)
        h = self.head(b)
        h = h.permute(0, 2, 3, 1).contiguous().view(x.size(0), -1, 3)
        return y, h`);
    const layers = read(src, [3, 8, 8]);
    const c = layers[2];
    assert.deepEqual(
      c.inputs.map((x) => idx(layers, x)),
      [1, 0],
    );
    assert.equal(c.inShape.c, 16);
    assert.deepEqual(
      layers.map((l) => l.output),
      [false, false, true, true],
    );
  });

  it('loops with constant bounds over ModuleList, and a view() that keeps the channels becomes in_dim', () => {
    const src = model(`    def __init__(self, num_channels=4, depth=3, **kwargs):
        super().__init__()
        self.convs = nn.ModuleList()
        for i in range(depth):
            self.convs.append(ai8x.FusedConv1dReLU(num_channels if i == 0 else 8, 8, 3, padding=1))
        self.conv2d = ai8x.FusedConv2dReLU(8, 4, 3, padding=1)

    def forward(self, x):
        for c in self.convs:
            x = c(x)
        x = x.view(x.shape[0], x.shape[1], 4, -1)
        return self.conv2d(x)`);
    const layers = read(src, [4, 16]);
    assert.deepEqual(
      layers.map((l) => l.weightPath),
      ['convs.0', 'convs.1', 'convs.2', 'conv2d'],
    );
    assert.deepEqual(layers[3].inDim, [4, 4]);
    assert.equal(layers[0].layer!.op, 'conv1d');
  });

  it('reads ai8x_blocks-style sibling modules', () => {
    const blocks = `import ai8x
from torch import nn


class Block(nn.Module):
    def __init__(self, c, **kwargs):
        super().__init__()
        self.conv = ai8x.FusedConv2dReLU(c, c, 3, padding=1)

    def forward(self, x):
        return self.conv(x)
`;
    const loader: ModuleLoader = (name) => (name === 'ai8x_blocks' ? { file: '/m/ai8x_blocks.py', module: parsePython(blocks) } : null);
    const src = model(
      `    def __init__(self, **kwargs):
        super().__init__()
        self.first = ai8x.FusedConv2dReLU(3, 8, 3, padding=1)
        self.block = ai8x_blocks.Block(8)

    def forward(self, x):
        return self.block(self.first(x))`,
      'net',
      'import ai8x_blocks\n',
    );
    assert.deepEqual(
      read(src, [3, 8, 8], {}, loader).map((l) => l.weightPath),
      ['first', 'block.conv'],
    );
  });

  it('refuses what it cannot express, naming the construct and the line', () => {
    const whileLoop = model(`    def __init__(self, **kwargs):
        super().__init__()
        n = 0
        while n < 3:
            n += 1
        self.conv = ai8x.FusedConv2dReLU(3, 8, 3, padding=1)

    def forward(self, x):
        return self.conv(x)`);
    const a = refusal(whileLoop, [3, 8, 8]);
    assert.match(a.message, /a while loop is not supported/);
    assert.equal(a.line, lineOf(whileLoop, 'while n < 3'));

    const unknownArg = model(`    def __init__(self, **kwargs):
        super().__init__()
        self.conv = ai8x.FusedConv2dReLU(3, helper(), 3, padding=1)

    def forward(self, x):
        return self.conv(x)`);
    const b = refusal(unknownArg, [3, 8, 8]);
    assert.match(b.message, /`helper` is not defined/);
    assert.equal(b.line, lineOf(unknownArg, 'helper()'));

    const notAi8x = model(`    def __init__(self, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.conv(x)`);
    assert.match(refusal(notAi8x, [3, 8, 8]).message, /nn\.Conv2d is not an ai8x layer; the accelerator cannot run it/);

    const wrongChannels = model(`    def __init__(self, **kwargs):
        super().__init__()
        self.conv = ai8x.FusedConv2dReLU(4, 8, 3, padding=1)

    def forward(self, x):
        return self.conv(x)`);
    assert.match(refusal(wrongChannels, [3, 8, 8]).message, /`conv` \(ai8x\.FusedConv2dReLU\) expects 4 input channels but receives 3/);

    const noTable = `import ai8x\n\ndef other():\n    return 1\n`;
    assert.match(refusal(noTable, [3, 8, 8]).message, /no entry `net` \(it has no `models` table\)/);
  });
});
