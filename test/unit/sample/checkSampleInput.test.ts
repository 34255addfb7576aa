import * as assert from 'node:assert/strict';
import { checkSampleInput } from '../../../server/src/engine/sample/checkSampleInput';
import { readNpy, writeNpy } from '../../../server/src/engine/sample/npy';
import { DiagnosticSink } from '../../../server/src/engine/diagnosticSink';
import type { SampleInput } from '../../../server/src/engine/sample/npy';
import type { Range } from '../../../server/src/engine/yaml/yamlTree';

const ANCHOR: Range = [5, 9];

function check(sample: SampleInput) {
  const sink = new DiagnosticSink();
  const ok = checkSampleInput(sample, sink, ANCHOR, '`tests/x.npy`');
  return { ok, diags: sink.items };
}

describe('sample input checks (izer rules #84, #85)', () => {
  it('accepts int64 data within signed 8 bits', () => {
    const { ok, diags } = check(readNpy(writeNpy([1, 2, 2], [-128, 0, 5, 127])));
    assert.equal(ok, true);
    assert.deepEqual(diags, []);
  });

  it('#84: any dtype other than int64, on the anchor, naming the dtype', () => {
    const s: SampleInput = { shape: [2], dtype: 'float32', values: new Float64Array([1, 2]), min: 1, max: 2 };
    const { ok, diags } = check(s);
    assert.equal(ok, false);
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity]),
      [['IZ084', 'error']],
    );
    assert.deepEqual(diags[0].range, ANCHOR);
    assert.match(diags[0].message, /float32/);
    assert.match(diags[0].message, /`tests\/x\.npy`/);
  });

  it('#85: values outside −128 … 127, with the range found', () => {
    const { ok, diags } = check(readNpy(writeNpy([3], [-129, 0, 200])));
    assert.equal(ok, false);
    assert.deepEqual(
      diags.map((d) => d.code),
      ['IZ085'],
    );
    assert.match(diags[0].message, /-129 to 200/);
  });

  it('reports both when a float array is also out of range', () => {
    const s: SampleInput = { shape: [2], dtype: 'float64', values: new Float64Array([0.5, 300.25]), min: 0.5, max: 300.25 };
    assert.deepEqual(
      check(s).diags.map((d) => d.code),
      ['IZ084', 'IZ085'],
    );
  });
});
