import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeviceName } from '../../../server/src/engine/device/devices';
import { LineIndex } from '../../../server/src/engine/lineIndex';
import { parseYamlTree } from '../../../server/src/engine/yaml/yamlTree';
import { parseIzerOutput } from '../../../server/src/synthesis/izerOutput';
import { mapIzerMessages } from '../../../server/src/synthesis/mapToYaml';
import { requireShared } from '../../support/shared';
import { lineOf, TINY_NETWORK } from './standIn';

function placeOf(stderr: string, text = TINY_NETWORK, device: DeviceName = 'MAX78000') {
  const d = mapIzerMessages(parseIzerOutput('', stderr), text, device);
  const lines = new LineIndex(text);
  return d.map((x) => ({ line: lines.position(x.range[0]).line, layer: x.layer, code: x.code, text: text.slice(x.range[0], x.range[1]) }));
}

describe('placing izer messages on YAML lines', () => {
  it('"Layer N" with a key in backticks → that key of izer\'s layer N', () => {
    const [p] = placeOf('ERROR: Layer 3 (fc): `output_width` must be 8 when activation is used.\n');
    assert.strictEqual(p.layer, 3);
    assert.strictEqual(p.text, 'output_width: 32');
  });

  it('"(found in layer sequence N …)" → the key of that layer, through key aliases', () => {
    const [p] = placeOf('ERROR: Unknown value "Sigmoid" for `activation` (found in layer sequence 2 in YAML configuration).\n');
    assert.strictEqual(p.layer, 2);
    assert.strictEqual(p.text, 'activate: ReLU');
    assert.strictEqual(p.line, lineOf(TINY_NETWORK, 'activate', lineOf(TINY_NETWORK, 'name: conv3')));
  });

  it('a layer without the key named → the first line of that layer', () => {
    const [p] = placeOf('ERROR: Layer 1: `read_gap` 0 does not match the `write_gap` 1 of layer 0 that created the input for this layer.\n');
    assert.strictEqual(p.layer, 1);
    assert.strictEqual(p.line, lineOf(TINY_NETWORK, '- processors: 0xfffffffffffffff0'));
  });

  it('"in layer N" and "layer N" later in the sentence', () => {
    assert.strictEqual(placeOf('WARNING: Using default pool stride of 1 in layer 2.\n')[0].layer, 2);
    assert.strictEqual(
      placeOf('ERROR: Processor 4: Layer 1 output for CHW=0,0,0 is overwriting input at offset 0x00408000 that was created by layer 0, CHW=0,0,0.\n')[0].layer,
      1,
    );
  });

  it('follows `sequence` overrides: "Layer N" is izer\'s layer number, not the list position', () => {
    const text = `arch: x\ndataset: y\nlayers:\n  - sequence: 1\n    processors: 1\n    out_offset: 0\n  - sequence: 0\n    processors: 1\n    pad: 5\n`;
    const [p] = placeOf('ERROR: Layer 0: conv2d does not support `pad` >= 3 (currently set to 5).\n', text);
    assert.strictEqual(p.layer, 1);
    assert.strictEqual(p.text, 'pad: 5');
  });

  it('unknown keys → each place the key is written', () => {
    const text = TINY_NETWORK.replace('    pool_stride: 2', '    pool_strde: 2').replace('    flatten: true', '    flaten: true');
    const ps = placeOf("ERROR: Configuration file x.yaml contains unknown key(s) for `layers`: {'pool_strde', 'flaten'}.\n", text);
    assert.deepStrictEqual(
      ps.map((p) => [p.layer, p.text]),
      [
        [1, 'pool_strde'],
        [3, 'flaten'],
      ],
    );
    const top = placeOf("ERROR: Configuration file x.yaml contains unknown key(s): {'layer'}.\n", 'arch: a\ndataset: b\nlayer: []\n');
    assert.deepStrictEqual(
      top.map((p) => [p.line, p.text]),
      [[2, 'layer']],
    );
  });

  it('a checkpoint that belongs to another network → `arch`', () => {
    const [p] = placeOf(
      'ERROR: Network architecture of configuration file (ai85net5) does not match network architecture of checkpoint file (ai85netextrasmall).\n',
    );
    assert.strictEqual(p.text, 'arch: ai85net5');
    assert.strictEqual(p.layer, null);
  });

  it('yamllint line:column → that position; messages about no particular place → the first content line', () => {
    const [lint] = placeOf('ERROR:     9:5      error    trailing spaces  (trailing-spaces)\n');
    assert.strictEqual(lint.line, 8);
    assert.strictEqual(lint.code, 'AX503');
    assert.strictEqual(lint.layer, 0);
    const [file] = placeOf('ERROR: Streaming in the first layer requires use of a FIFO.\n');
    assert.strictEqual(file.line, lineOf(TINY_NETWORK, 'arch:'));
    assert.strictEqual(file.layer, null);
  });

  describe("on the oracle's mutated networks (what real izer said)", () => {
    let dir: string;
    before(function () {
      dir = requireShared(this, 'oracle', 'mutations');
    });

    it('puts each layer-specific first error inside the layer izer names', function () {
      const cases = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8')) as {
        id: string;
        yaml: string;
        device: DeviceName;
        izer_error_lines_no_yamllint: string[];
        izer_layer_referenced: number[] | null;
      }[];
      let checked = 0;
      const wrong: string[] = [];
      for (const c of cases) {
        const first = c.izer_error_lines_no_yamllint?.[0];
        if (!first || !c.izer_layer_referenced || c.izer_layer_referenced.length !== 1) continue;
        const text = fs.readFileSync(path.join(dir, c.yaml), 'utf8');
        const [d] = mapIzerMessages(parseIzerOutput('', first + '\n'), text, c.device);
        const items = (
          parseYamlTree(text).root as { entries: { keyName: string | null; value: { type: string; items: { range: readonly [number, number] }[] } }[] }
        ).entries.find((e) => e.keyName === 'layers')!.value.items;
        const want = items[c.izer_layer_referenced[0]];
        checked++;
        if (!d || d.range[0] < want.range[0] || d.range[0] >= want.range[1]) wrong.push(`${c.id}: ${first} → layer ${d?.layer}`);
      }
      console.log(`      ${checked - wrong.length} of ${checked} first errors naming one layer are inside it (of ${cases.length} mutation cases)`);
      assert.ok(checked >= 50, `only ${checked} cases checked`);
      assert.deepStrictEqual(wrong, []);
    });

    it('puts yamllint findings on the line yamllint names', function () {
      const cases = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8')) as {
        id: string;
        yaml: string;
        device: DeviceName;
        izer_error_lines: string[];
        izer_warning_lines: string[];
      }[];
      let checked = 0;
      for (const c of cases) {
        const lines = [...(c.izer_error_lines ?? []), ...(c.izer_warning_lines ?? [])].filter((l) => /^(ERROR|WARNING):\s+\d+:\d+\s/.test(l));
        if (!lines.length) continue;
        const text = fs.readFileSync(path.join(dir, c.yaml), 'utf8');
        const idx = new LineIndex(text);
        for (const l of lines) {
          const [d] = mapIzerMessages(parseIzerOutput('', l + '\n'), text, c.device);
          const want = Number(/(\d+):/.exec(l)![1]) - 1;
          assert.strictEqual(idx.position(d.range[0]).line, want, `${c.id}: ${l}`);
          checked++;
        }
      }
      console.log(`      ${checked} yamllint lines of ${cases.length} mutation cases on the line yamllint names`);
      assert.ok(checked >= 3, `only ${checked} yamllint lines checked`);
    });
  });
});
