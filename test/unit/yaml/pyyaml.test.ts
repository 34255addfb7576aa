// Values are read the way izer's PyYAML loader reads them (YAML 1.1 implicit typing), and izer's own
// parsing of masks, kernels, dimensions and layer references on top.
import * as assert from 'node:assert';
import { resolvePlainScalar } from '../../../server/src/engine/yaml/pyyamlScalar';
import { parseMaskValue } from '../../../server/src/engine/yaml/pyValue';
import { parseYamlTree } from '../../../server/src/engine/yaml/yamlTree';
import { checkNetwork } from '../../../server/src/engine/check';

describe('PyYAML 1.1 scalars', () => {
  const cases: [string, unknown][] = [
    ['0x10', 16n],
    ['0777', 511n],
    ['0000000000000111', 73n],
    ['09', '09'],
    ['1_000', 1000n],
    ['0b101', 5n],
    ['-0x1', -1n],
    ['1:30', 90n],
    ['yes', true],
    ['Off', false],
    ['y', 'y'],
    ['n', 'n'],
    ['None', 'None'],
    ['~', null],
    ['null', null],
    ['', null],
    ['1.5', 1.5],
    ['1e3', '1e3'],
    ['1.0e+3', 1000],
    ['.inf', Infinity],
    ['3x3', '3x3'],
    ['0x0000.0000.0000.0111', '0x0000.0000.0000.0111'],
    ['0xffffffffffffffff', 0xffffffffffffffffn],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} → ${typeof want === 'bigint' ? want + 'n' : JSON.stringify(want)}`, () => {
      const v = resolvePlainScalar(text);
      const got = v.kind === 'null' ? null : v.value;
      assert.deepStrictEqual(got, want);
    });
  }
});

describe('izer value parsing', () => {
  const scalar = (src: string) => {
    const t = parseYamlTree(`v: ${src}\n`);
    return t.root!.type === 'map' ? t.root!.entries[0].value : null;
  };
  it('processor maps: hex strings with dots or underscores, quoted hex, plain ints', () => {
    assert.strictEqual(parseMaskValue(scalar('0x0000.0000.0000.0111')), 0x111n);
    assert.strictEqual(parseMaskValue(scalar('"0xffff_ffff"')), 0xffffffffn);
    assert.strictEqual(parseMaskValue(scalar("'ff'")), 0xffn);
    assert.strictEqual(parseMaskValue(scalar('0xfffffffffffffff0')), 0xfffffffffffffff0n);
    assert.strictEqual(parseMaskValue(scalar('xyz')), 'xyz');
  });

  it('layer keys: kernel `3x3`/`1`, in_dim int or [H, W], pooling int or list, in_sequences names, numbers and input', () => {
    const text = `arch: a
dataset: d
layers:
  - processors: 0x1
    op: conv1d
    kernel_size: 5
    pad: 0
    activate: None
    out_offset: 0
  - processors: 0x1
    op: conv2d
    kernel_size: 1X1
    pad: 0
    in_dim: [4, 8]
    max_pool: [2, 1]
    pool_stride: 2
    activate: None
    out_offset: 0x4000
    name: second
  - processors: 0x1
    op: add
    in_sequences: [input, SECOND, 0]
    in_dim: 16
    out_offset: 0
`;
    const r = checkNetwork({ text, fileName: 'p.yaml', deviceOverride: 'MAX78002' });
    const [l0, l1, l2] = r.model.layers;
    assert.deepStrictEqual(l0.kernelSize, [5, 1]);
    assert.deepStrictEqual(l0.pad, [0, 0]);
    assert.deepStrictEqual(l1.kernelSize, [1, 1], '`1X1` is read case-insensitively');
    assert.deepStrictEqual(l1.inDim, [4, 8]);
    assert.deepStrictEqual(l1.pool, [2, 1]);
    assert.deepStrictEqual(l1.poolStride, [2, 2]);
    assert.deepStrictEqual(l2.inDim, [16, 1]);
    assert.deepStrictEqual(
      l2.inSequences!.map((x) => x.value),
      ['input', 'SECOND', 0],
    );
    assert.strictEqual(l2.eltwise, 'add');
    assert.strictEqual(l2.operands, 2);
    assert.ok(!r.diagnostics.some((d) => d.code === 'IZ059'), 'names match without case, `input` is the network input');
  });
});
