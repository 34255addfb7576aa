// Check results cross from the check workers to the server's thread by structured clone (postMessage): they must
// hold no functions, and every class instance in them must get its prototype back (rehydrateCheckResult), so that
// the services on the server's thread answer exactly as on the original.
import * as assert from 'node:assert/strict';
import { deserialize, serialize } from 'node:v8';
import { checkNetwork, CheckResult } from '../../../server/src/engine/check';
import { hoverAt } from '../../../server/src/engine/services/hover';
import { layerSymbols } from '../../../server/src/engine/services/symbols';
import { layerInlayHints } from '../../../server/src/engine/services/inlayHints';
import { kernelMapModel } from '../../../server/src/engine/services/kernelMapView';
import { dataMemoryModel } from '../../../server/src/engine/services/dataMemoryView';
import { rehydrateCheckResult } from '../../../server/src/lsp/state/documentState';
import { syntheticInputs } from '../../support/syntheticNetwork';

const NET = `arch: synthnet
dataset: shapes
layers:
  - processors: 0x0000000000000001
    out_offset: 0x2000
    op: conv2d
    pad: 1
    activate: ReLU
  - processors: 0x000000000000000f
    out_offset: 0x0000
    op: conv2d
    pad: 1
    activate: ReLU
  - processors: 0x000000000000000f
    out_offset: 0x2000
    op: conv2d
    pad: 1
    activate: None
`;

const inputs = syntheticInputs(
  [
    { key: 'conv0', shape: [4, 1, 3, 3], bias: true },
    { key: 'conv1', shape: [4, 4, 3, 3] },
    { key: 'conv2', shape: [2, 4, 3, 3] },
  ],
  [1, 8, 8],
);

/** Paths of values that are neither plain data nor a known class instance. */
function unusual(v: unknown, path: string, seen = new Set<unknown>(), out: string[] = []): string[] {
  if (typeof v === 'function') out.push(`${path}: a function`);
  if (v === null || typeof v !== 'object' || seen.has(v)) return out;
  seen.add(v);
  if (ArrayBuffer.isView(v)) return out;
  const proto = Object.getPrototypeOf(v);
  if (v instanceof Map) v.forEach((x, k) => (unusual(k, `${path}.<key>`, seen, out), unusual(x, `${path}.get(${String(k)})`, seen, out)));
  else if (v instanceof Set) v.forEach((x) => unusual(x, `${path}.<item>`, seen, out));
  else if (proto !== Object.prototype && proto !== Array.prototype && proto !== null && !(path === 'result.lines'))
    out.push(`${path}: an instance of ${proto?.constructor?.name ?? 'a class'}`);
  if (!(v instanceof Map) && !(v instanceof Set)) for (const [k, x] of Object.entries(v)) unusual(x, `${path}.${k}`, seen, out);
  return out;
}

describe('check results across threads', () => {
  const original = checkNetwork({ text: NET, fileName: 'synthnet.yaml', deviceOverride: 'MAX78000', resolveInputs: () => inputs });
  const cloned = rehydrateCheckResult(deserialize(serialize(original)) as CheckResult)!;

  it('a checked network with its checkpoint is plain data besides its LineIndex', () => {
    assert.ok(original.analysis?.plan, 'the network was analysed with its checkpoint');
    assert.deepEqual(unusual(original, 'result'), []);
  });

  it('the services answer the same on the clone', () => {
    assert.equal(cloned.lines.position(NET.indexOf('op: conv2d')).line, 5);
    for (let offset = 0; offset < NET.length; offset += 7) assert.deepEqual(hoverAt(cloned, offset), hoverAt(original, offset), `hover at ${offset}`);
    assert.deepEqual(layerSymbols(cloned.model), layerSymbols(original.model));
    assert.deepEqual(layerInlayHints(cloned), layerInlayHints(original));
    assert.deepEqual(kernelMapModel(cloned), kernelMapModel(original));
    assert.deepEqual(dataMemoryModel(cloned), dataMemoryModel(original));
  });
});
