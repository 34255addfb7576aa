// The static contributions: the JSON schema matches the key catalogue, and the TextMate injection grammar
// tokenizes processor masks and offsets (run through the same Oniguruma engine VS Code uses).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { networkJsonSchema } from '../../server/src/engine/model/jsonSchema';
import { LAYER_KEYS, GLOBAL_KEYS } from '../../server/src/engine/model/keyCatalog';
import { repoRoot } from '../support/shared';

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

  describe('TextMate injection for masks and offsets', () => {
    let registry: vsctm.Registry;
    before(async () => {
      const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
      await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
      const injection = fs.readFileSync(path.join(repoRoot(), 'syntaxes', 'ai8x-network.injection.json'), 'utf8');
      // A minimal stand-in for VS Code's YAML grammar: our grammar is injected into any source.yaml.
      const yaml = JSON.stringify({ scopeName: 'source.yaml', patterns: [{ match: '#.*$', name: 'comment.line.number-sign.yaml' }] });
      registry = new vsctm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
          createOnigString: (s: string) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async (scope: string) =>
          scope === 'source.yaml'
            ? vsctm.parseRawGrammar(yaml, 'yaml.json')
            : scope === 'ai8x.network.injection'
              ? vsctm.parseRawGrammar(injection, 'ai8x-network.injection.json')
              : null,
        getInjections: (scope: string) => (scope === 'source.yaml' ? ['ai8x.network.injection'] : undefined),
      });
    });

    async function tokens(line: string): Promise<{ text: string; scopes: string[] }[]> {
      const g = (await registry.loadGrammar('source.yaml'))!;
      const r = g.tokenizeLine(line, vsctm.INITIAL);
      return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
    }

    it('splits a 64-bit processor map into its four quadrants', async () => {
      const t = await tokens('  - processors: 0x0000000fffff0000');
      const q = (name: string) => t.find((x) => x.scopes.includes(`constant.numeric.hex.mask.${name}.ai8x`))?.text;
      assert.strictEqual(q('quadrant3'), '0000');
      assert.strictEqual(q('quadrant2'), '000f');
      assert.strictEqual(q('quadrant1'), 'ffff');
      assert.strictEqual(q('quadrant0'), '0000');
      assert.ok(t.some((x) => x.text === 'processors' && x.scopes.includes('entity.name.tag.yaml')));
    });

    it('marks short masks, dotted masks and offsets', async () => {
      assert.ok((await tokens('    output_processors: 0x0ff0')).some((x) => x.text === '0ff0' && x.scopes.includes('constant.numeric.hex.mask.ai8x')));
      assert.ok((await tokens('    processors: 0x0000.0000.0000.0111')).some((x) => x.scopes.some((s) => s.startsWith('constant.numeric.hex.mask'))));
      assert.ok((await tokens('    out_offset: 0x4000')).some((x) => x.text === '4000' && x.scopes.includes('constant.numeric.hex.offset.ai8x')));
    });

    it('leaves other keys and comments alone', async () => {
      assert.ok(!(await tokens('    pad: 0x1')).some((x) => x.scopes.some((s) => s.endsWith('.ai8x'))));
      assert.ok(!(await tokens('# processors: 0xffff')).some((x) => x.scopes.some((s) => s.endsWith('.ai8x'))));
    });
  });
});
