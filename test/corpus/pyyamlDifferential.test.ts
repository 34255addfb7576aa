// Differential test against PyYAML, the YAML reader izer uses: the shipped and test networks with one to three
// random edits each (characters deleted, YAML indicators, tabs, anchors and tags inserted), and for each whether
// izer's loader (PyYAML's Loader with a mapping constructor that, like izer's, refuses duplicate keys and has no
// merge step) reads it, against whether our check reports a YAML or duplicate-key error (YAML004, "izer reads this,
// this checker cannot", is not one). Needs ../shared and a Python with PyYAML (Debian: python3-yaml, which .ci/run
// installs); skips with a message without either.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkNetwork } from '../../server/src/engine/check';
import { requireShared, skipBecause } from '../support/shared';

const CASES = 1500;
const LOAD_ERRORS = new Set(['YAML001', 'YAML002', 'YAML003', 'IZ012', 'IZ013']);
const INSERTS = [
  '\r',
  '\r\n',
  '%YAML 1.1\n',
  '!!set ',
  '!!str ',
  '!!float ',
  '? ',
  '&b ',
  '*b',
  '<<: *a\n',
  '\u00e9',
  '\u0085',
  '\u2028',
  '\ufeff',

  ':',
  '-',
  ' ',
  '#',
  '&a',
  '*a',
  '!',
  '!!int',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  '\t',
  '\n',
  '|',
  '>',
  '?',
  '%',
  '@',
  '`',
  ',',
  '<<',
  '&',
  '*',
  '---',
  '...',
  '\\',
  '~',
  ': ',
  '- ',
  '  ',
  '\x07',
];

const LOADER = `
import json, sys, yaml

class IzerLikeLoader(yaml.Loader):
    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, 'not a mapping', node.start_mark)
        mapping = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            hash(key)
            if key in mapping:
                raise ValueError('duplicate key')
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

verdicts = []
for text in json.load(open(sys.argv[1], encoding='utf-8')):
    try:
        yaml.load(text, Loader=IzerLikeLoader)
        verdicts.append('')
    except Exception as e:
        verdicts.append(type(e).__name__ + ': ' + ' '.join(str(e).split())[:200])
json.dump(verdicts, open(sys.argv[2], 'w', encoding='utf-8'))
`;

/** A Python that imports yaml, or null. */
function pythonWithYaml(): string | null {
  for (const p of [process.env.AI8X_PYTHON, 'python3', '/usr/bin/python3'])
    if (p && spawnSync(p, ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0) return p;
  return null;
}

function mutatedNetworks(root: string): string[] {
  const files = ['networks', 'tests'].flatMap((d) =>
    fs
      .readdirSync(path.join(root, d))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => path.join(root, d, f)),
  );
  let seed = 20261130;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(a: readonly T[]) => a[Math.floor(random() * a.length)];
  const out: string[] = [];
  for (let i = 0; i < CASES; i++) {
    let text = fs.readFileSync(pick(files), 'utf8').slice(0, 6000);
    for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
      const at = Math.floor(random() * text.length);
      text = random() < 0.3 ? text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3)) : text.slice(0, at) + pick(INSERTS) + text.slice(at);
    }
    out.push(text);
  }
  return out;
}

describe('YAML: izer-readable or not, as PyYAML decides', function () {
  this.timeout(120000);

  it(`agrees with PyYAML on ${CASES} mutated networks`, function () {
    const root = requireShared(this, 'ai8x-synthesis');
    const python = pythonWithYaml();
    if (!python) skipBecause(this, 'no Python with PyYAML (apt install python3-yaml, or set AI8X_PYTHON)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-pyyaml-'));
    try {
      const texts = mutatedNetworks(root);
      fs.writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(texts));
      fs.writeFileSync(path.join(dir, 'load.py'), LOADER);
      const run = spawnSync(python!, [path.join(dir, 'load.py'), path.join(dir, 'cases.json'), path.join(dir, 'verdicts.json')], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const verdicts = JSON.parse(fs.readFileSync(path.join(dir, 'verdicts.json'), 'utf8')) as string[];
      assert.equal(verdicts.length, texts.length);
      let refusedByBoth = 0;
      const wrong: string[] = [];
      texts.forEach((text, i) => {
        const ours = checkNetwork({ text, fileName: 'mutated.yaml' }).diagnostics.find((d) => LOAD_ERRORS.has(d.code));
        const pyRefuses = verdicts[i] !== '';
        if (!!ours === pyRefuses) {
          if (pyRefuses) refusedByBoth++;
          return;
        }
        wrong.push(`case ${i}: PyYAML ${pyRefuses ? verdicts[i] : 'loads it'}; we ${ours ? `say ${ours.code} ${ours.message}` : 'accept it'}`);
      });
      console.log(
        `      compared ${texts.length} networks (PyYAML refuses ${verdicts.filter((v) => v).length}, both refuse ${refusedByBoth}); differences: ${wrong.length}`,
      );
      assert.ok(refusedByBoth > 0 && texts.length - refusedByBoth > 0, 'the cases include both readable and unreadable files');
      assert.deepEqual(wrong, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
