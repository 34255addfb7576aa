// The static contributions: the JSON schema matches the key catalogue, and the TextMate injection grammar tokenizes
// processor masks and offsets inside VS Code 1.100.3's own YAML grammar (from the installed code-server, with the
// vscode-textmate and Oniguruma builds VS Code uses) and colours each quadrant differently in the default themes.
import * as assert from 'node:assert';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { networkJsonSchema } from '../../server/src/engine/model/jsonSchema';
import { LAYER_KEYS, GLOBAL_KEYS } from '../../server/src/engine/model/keyCatalog';
import { repoRoot } from '../support/shared';
import { loadDefaultTheme, requireCodeServer, ThemeRule, yamlTokenizer, YamlTokenizer } from '../support/vscodeTextMate';

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

  it('the .vsix ships every bundle esbuild builds for the extension (the client, the server, its check worker, the CLI, the webview pages) and the codes it links to', function () {
    this.timeout(60000);
    const root = repoRoot();
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const listed = cp.execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).split('\n');
    for (const b of ['dist/extension.js', 'dist/server.js', 'dist/checkWorker.js', 'dist/cli.js'])
      assert.ok(listed.includes(b), `${b} in the package: ${listed.join(', ')}`);
    // Diagnostics link to their code's line in docs/codes.md, which links to docs/izer-rules.md.
    for (const doc of ['docs/codes.md', 'docs/izer-rules.md']) assert.ok(listed.includes(doc), `${doc} in the package: ${listed.join(', ')}`);
    // The webview pages' scripts, bundled from webview/src.
    for (const page of ['kernelMap', 'dataMemory', 'simulator'])
      assert.ok(listed.includes(`media/scripts/${page}.js`), `media/scripts/${page}.js in the package: ${listed.join(', ')}`);
    // The server starts its workers from the file next to it.
    assert.match(fs.readFileSync(path.join(root, 'esbuild.mjs'), 'utf8'), /checkWorker: 'server\/src\/lsp\/worker\/checkWorker\.ts'/);
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
    const ours = (t: { scopes: string[] }) => t.scopes.some((s) => s.startsWith('ai8x.'));
    const quadrant = (tokens: { text: string; scopes: string[] }[], q: number) => tokens.find((x) => x.scopes.includes(`ai8x.mask.quadrant${q}`))?.text;

    it('splits a 64-bit processor map into its four quadrants and leaves `- `, the key and `:` to the YAML grammar', () => {
      const t = lastLine('layers:\n  - processors: 0x0000000fffff0000');
      assert.deepStrictEqual(
        [3, 2, 1, 0].map((q) => quadrant(t, q)),
        ['0000', '000f', 'ffff', '0000'],
      );
      assert.ok(t.some((x) => x.text === '0x' && x.scopes.includes('ai8x.hex-prefix')));
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
      assert.strictEqual(value('layers:\n  - output_processors: 0x0ff0', 'ai8x.mask'), '0ff0');
      assert.strictEqual(value("layers:\n  - processors: '0x00ff'", 'ai8x.mask'), '00ff');
      assert.strictEqual(value('layers:\n  - processors: "0x000000000000ff00"', 'ai8x.mask.quadrant0'), 'ff00');
      assert.strictEqual(value('layers:\n  - pad: 0\n    out_offset: 0x4000', 'ai8x.offset'), '4000');
      assert.strictEqual(value('layers:\n  - in_offset: 0x2000 # from layer 0', 'ai8x.offset'), '2000');
      assert.strictEqual(value('layers:\n  - out_offset: 0', 'ai8x.offset'), '0');
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

    describe('colours in the default themes', () => {
      // VS Code's theme-defaults: Dark Modern and Light Modern (the defaults), Dark+ and Light+ (which they extend), and the two high-contrast themes.
      const themes = ['dark_modern.json', 'light_modern.json', 'dark_plus.json', 'light_plus.json', 'hc_black.json', 'hc_light.json'];
      const doc = 'layers:\n  - processors: 0x1111222233334444\n    out_offset: 0x4000';

      async function colours(theme: string, extraRules: ThemeRule[] = []) {
        const lines = (await yamlTokenizer(vscodeDir, { injection: true, theme, extraRules })).colours(doc);
        // The colour of the first character of `text` in a line.
        const of = (line: number, text: string) => {
          const at = doc.split('\n')[line].indexOf(text);
          return lines[line].find((t) => t.start <= at && at < t.start + t.text.length)?.colour;
        };
        return { quadrants: ['1111', '2222', '3333', '4444'].map((q) => of(1, q)), key: of(1, 'processors'), offset: of(2, '4000') };
      }

      for (const theme of themes) {
        it(`${theme}: each quadrant of a processor map has its own colour, unlike the key and the plain text`, async () => {
          const foreground = loadDefaultTheme(vscodeDir, theme).colors['editor.foreground']?.toUpperCase() ?? (/light/.test(theme) ? '#000000' : '#FFFFFF');
          const c = await colours(theme);
          assert.strictEqual(new Set(c.quadrants).size, 4, `quadrant colours ${c.quadrants.join(' ')}`);
          for (const q of c.quadrants) {
            assert.notStrictEqual(q, foreground, `a quadrant in the editor foreground ${foreground}`);
            assert.notStrictEqual(q, c.key, `a quadrant in the key's colour ${c.key}`);
          }
          assert.notStrictEqual(c.offset, foreground);
        });
      }

      it('a user colours one quadrant through its ai8x.* scope (editor.tokenColorCustomizations), the others keep the theme', async () => {
        const theme = await colours('dark_modern.json');
        assert.strictEqual(new Set(theme.quadrants).size, 4);
        const custom = await colours('dark_modern.json', [
          { scope: 'ai8x.mask.quadrant2', settings: { foreground: '#123456' } },
          { scope: 'ai8x.offset', settings: { foreground: '#654321' } },
        ]);
        // Quadrant 2 is the second group from the left (quadrant 3 comes first).
        assert.deepStrictEqual(custom.quadrants, [theme.quadrants[0], '#123456', theme.quadrants[2], theme.quadrants[3]]);
        assert.strictEqual(custom.offset, '#654321');
      });
    });
  });
});
