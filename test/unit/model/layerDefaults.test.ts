// Every layer starts from izer's defaults as settings of its own: a reader that changes one layer's pair (pool,
// stride, kernel size …) must not change another layer's or the defaults.
import * as assert from 'node:assert/strict';
import { LAYER_DEFAULTS, newLayer } from '../../../server/src/engine/model/layerDefaults';
import { readNetwork } from '../../../server/src/engine/model/readNetwork';
import { parseYamlTree, YMap } from '../../../server/src/engine/yaml/yamlTree';
import { deviceByName } from '../../../server/src/engine/device/devices';
import { DiagnosticSink } from '../../../server/src/engine/diagnosticSink';

describe('layer defaults', () => {
  it('hold only primitives and number pairs, which is what newLayer copies', () => {
    for (const [key, value] of Object.entries(LAYER_DEFAULTS)) {
      if (Array.isArray(value))
        assert.ok(
          value.every((x) => typeof x === 'number'),
          key,
        );
      else assert.ok(value === null || typeof value !== 'object', `${key} is an object; newLayer would share it between layers`);
    }
  });

  it('newLayer gives each layer the defaults in pairs of its own', () => {
    const node = parseYamlTree('a: 1\n').root as YMap;
    const a = newLayer(node, 0, new Map());
    const b = newLayer(node, 1, new Map());
    for (const [key, value] of Object.entries(LAYER_DEFAULTS)) {
      assert.deepEqual(a[key as keyof typeof a], value, key);
      if (Array.isArray(value)) assert.notEqual(a[key as keyof typeof a], b[key as keyof typeof b], `${key} is shared`);
    }
    a.pool[0] = 4;
    assert.deepEqual(b.pool, [1, 1]);
    assert.deepEqual(LAYER_DEFAULTS.pool, [1, 1]);
  });

  it('a layer read from YAML changes only its own settings', () => {
    const yaml = 'arch: a\ndataset: d\nlayers:\n  - processors: 0xf\n    max_pool: 2\n    pool_stride: 2\n  - processors: 0xf\n';
    const model = readNetwork(parseYamlTree(yaml), deviceByName('MAX78000'), new DiagnosticSink());
    assert.deepEqual(model.layers[0].pool, [2, 2]);
    assert.deepEqual(model.layers[1].pool, [1, 1]);
    assert.deepEqual(model.layers[1].poolStride, [1, 1]);
  });
});
