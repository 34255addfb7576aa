// The comments parseYamlTree reports (modelines, `# ai8x-disable` suppressions): every `#` comment of the file with
// its offset, and no `#` that is part of a value.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CST, Parser } from 'yaml';
import { parseYamlTree } from '../../../server/src/engine/yaml/yamlTree';
import { requireShared } from '../../support/shared';

const commentsOf = (text: string) => parseYamlTree(text).comments.map((c) => [c.offset, c.text] as const);

/** The comment tokens of eemeli/yaml's CST, found by walking all of it: the reference the lexer-side collection must equal. */
function cstComments(text: string): (readonly [number, string])[] {
  const found: (readonly [number, string])[] = [];
  const walk = (t: unknown): void => {
    if (Array.isArray(t)) return t.forEach(walk);
    if (!t || typeof t !== 'object') return;
    const token = t as Partial<CST.SourceToken> & Record<string, unknown>;
    if (token.type === 'comment') found.push([token.offset!, token.source!.slice(1)]);
    for (const k of ['start', 'props', 'items', 'key', 'sep', 'value', 'end']) walk(token[k]);
  };
  walk([...new Parser().parse(text)]);
  return found.sort((a, b) => a[0] - b[0]);
}

describe('YAML comments', () => {
  it('finds comments on their own line, after values, in flow collections and around documents', () => {
    const text = '# first\n---\narch: a # after a value\nlayers: [1, # in a flow list\n  2]\n  # indented\n... # after the end\n';
    const want = ['# first', '# after a value', '# in a flow list', '# indented', '# after the end'];
    assert.deepStrictEqual(
      commentsOf(text),
      want.map((c) => [text.indexOf(c), c.slice(1)]),
    );
    for (const [offset] of commentsOf(text)) assert.strictEqual(text[offset], '#');
  });

  it('does not take a `#` inside a value for a comment', () => {
    const text =
      'a: b#c\nq: "# quoted"\ns: \'# single\'\nblock: |\n  # text of a block scalar\n  more\nf: >\n  # folded\nplain: x\n  # continues the plain scalar? no: a comment line\n';
    assert.deepStrictEqual(commentsOf(text), cstComments(text));
    assert.ok(!commentsOf(text).some(([, t]) => /quoted|single|block scalar|folded/.test(t)), JSON.stringify(commentsOf(text)));
    // A block scalar of a document, not indented: its text starts with the `#`.
    assert.deepStrictEqual(commentsOf('--- |\n# text, not a comment\n'), []);
  });

  it('equals the comment tokens of the CST on every shipped and test network', function () {
    const root = requireShared(this, 'ai8x-synthesis');
    let files = 0;
    let comments = 0;
    for (const dir of ['networks', 'tests']) {
      for (const f of fs.readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.yaml'))) {
        const text = fs.readFileSync(path.join(root, dir, f), 'utf8');
        const got = commentsOf(text);
        assert.deepStrictEqual(got, cstComments(text), f);
        files++;
        comments += got.length;
      }
    }
    console.log(`      compared ${files} files, ${comments} comments`);
    assert.ok(files > 0 && comments > 0);
  });
});
