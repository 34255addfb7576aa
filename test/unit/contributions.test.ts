// The static contributions: the JSON schema matches the key catalogue, and the TextMate injection grammar tokenizes
// processor masks and offsets inside VS Code 1.100.3's own YAML grammar (from the installed code-server, with the
// vscode-textmate and Oniguruma builds VS Code uses).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { networkJsonSchema } from '../../server/src/engine/model/jsonSchema';
import { LAYER_KEYS, GLOBAL_KEYS } from '../../server/src/engine/model/keyCatalog';
import { repoRoot } from '../support/shared';
import { requireCodeServer, yamlTokenizer, YamlTokenizer } from '../support/vscodeTextMate';

describe('contributions', () => {
  it('schemas/ai8x-network.schema.json is what the key catalogue generates (run `npm run gen:schema`)', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'schemas', 'ai8x-network.schema.json'), 'utf8'));
    assert.deepStrictEqual(committed, JSON.parse(JSON.stringify(networkJsonSchema())));
    const layerProps = Object.keys(committed.properties.layers.items.properties);
    assert.deepStrictEqual(layerProps.sort(), LAYER_KEYS.map((k) => k.key).sort());
    assert.deepStrictEqual(Object.keys(committed.properties).sort(), GLOBAL_KEYS.map((k) => k.key).sort());
  });

  it('package.json contributes the schema, the grammar and the settings the server reads', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8'));
    assert.strictEqual(pkg.engines.vscode, '^1.100.0');
    assert.ok(pkg.contributes.yamlValidation.some((v: { url: string }) => v.url === './schemas/ai8x-network.schema.json'));
    const grammar = pkg.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === 'ai8x.network.injection');
    assert.deepStrictEqual(grammar.injectTo, ['source.yaml']);
    for (const key of ['ai8x.device', 'ai8x.networkFiles', 'ai8x.validation.delay', 'ai8x.izerFlags', 'ai8x.associations', 'ai8x.inlayHints.enabled']) {
      assert.ok(pkg.contributes.configuration.properties[key], `setting ${key}`);
    }
    assert.strictEqual(pkg.bin.ai8x, './dist/cli.js');
  });

  describe('TextMate injection for masks and offsets, with VS Code 1.100.3 YAML grammar', () => {
    let vscodeDir: string;
    let yaml: YamlTokenizer;
    before(async function () {
      vscodeDir = requireCodeServer(this);
      yaml = await yamlTokenizer(vscodeDir, { injection: true });
    });

    /** The tokens of the last line of `doc`, tokenized as a whole document. */
    function lastLine(doc: string): { text: string; scopes: string[] }[] {
      return yaml.tokenize(doc).at(-1)!;
    }
    const ours = (t: { scopes: string[] }) => t.scopes.some((s) => s.endsWith('.ai8x'));
    const quadrant = (tokens: { text: string; scopes: string[] }[], q: number) =>
      tokens.find((x) => x.scopes.includes(`constant.numeric.hex.mask.quadrant${q}.ai8x`))?.text;

    it('splits a 64-bit processor map into its four quadrants and leaves `- `, the key and `:` to the YAML grammar', () => {
      const t = lastLine('layers:\n  - processors: 0x0000000fffff0000');
      assert.deepStrictEqual(
        [3, 2, 1, 0].map((q) => quadrant(t, q)),
        ['0000', '000f', 'ffff', '0000'],
      );
      assert.ok(t.some((x) => x.text === '0x' && x.scopes.includes('storage.type.number.hex.ai8x')));
      assert.ok(t.some((x) => x.text === '-' && x.scopes.includes('punctuation.definition.block.sequence.item.yaml')));
      assert.ok(t.some((x) => x.text === 'processors' && x.scopes.includes('entity.name.tag.yaml') && !ours(x)));
      assert.ok(t.some((x) => x.text === ':' && x.scopes.includes('punctuation.separator.map.value.yaml')));
      const dotted = lastLine('layers:\n  - pad: 1\n    output_processors: 0x0000.0000.ffff_0111  # comment');
      assert.deepStrictEqual(
        [3, 2, 1, 0].map((q) => quadrant(dotted, q)),
        ['0000', '0000', 'ffff', '0111'],
      );
      assert.ok(dotted.some((x) => x.text === ' comment' && x.scopes.includes('comment.line.number-sign.yaml') && !ours(x)));
    });

    it('marks short masks, quoted masks and offsets', () => {
      const value = (doc: string, scope: string) => lastLine(doc).find((x) => x.scopes.includes(scope))?.text;
      assert.strictEqual(value('layers:\n  - output_processors: 0x0ff0', 'constant.numeric.hex.mask.ai8x'), '0ff0');
      assert.strictEqual(value("layers:\n  - processors: '0x00ff'", 'constant.numeric.hex.mask.ai8x'), '00ff');
      assert.strictEqual(value('layers:\n  - processors: "0x000000000000ff00"', 'constant.numeric.hex.mask.quadrant0.ai8x'), 'ff00');
      assert.strictEqual(value('layers:\n  - pad: 0\n    out_offset: 0x4000', 'constant.numeric.hex.offset.ai8x'), '4000');
      assert.strictEqual(value('layers:\n  - in_offset: 0x2000 # from layer 0', 'constant.numeric.hex.offset.ai8x'), '2000');
      assert.strictEqual(value('layers:\n  - out_offset: 0', 'constant.numeric.hex.offset.ai8x'), '0');
    });

    it('leaves other keys, keys named like ours, strings that mention ours, and comments alone', () => {
      for (const doc of [
        'layers:\n  - pad: 0x1',
        'layers:\n  - name: processors',
        'description: "processors: 0xffff"',
        'layers:\n  - name: a # processors: 0xffff',
        '# processors: 0xffff',
        'processors_total: 0xffff',
        'processors:\n  - 0xffff',
      ]) {
        assert.deepStrictEqual(
          yaml
            .tokenize(doc)
            .flat()
            .filter(ours)
            .map((x) => x.text),
          [],
          doc,
        );
      }
    });
  });
});
