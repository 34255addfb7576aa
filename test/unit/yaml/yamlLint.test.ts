// izer's yamllint step, live (issue 12, item 5): the rules of ai8x-synthesis's .yamllint with yamllint's own lines,
// columns and words. A fixture built from the example network with one of each mistake, against what yamllint 1.29
// printed for it (recorded below); with yamllint on PATH, the same against the real yamllint on the fixture's
// mutations and on mutated shipped networks (../shared).
import * as assert from 'node:assert';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkNetwork } from '../../../server/src/engine/check';
import { LineIndex } from '../../../server/src/engine/lineIndex';
import { quickFixes } from '../../../server/src/engine/services/quickFixes';
import { applyEdits } from '../../../server/src/engine/textEdits';
import { parseYamlTree } from '../../../server/src/engine/yaml/yamlTree';
import { yamlLint } from '../../../server/src/engine/yamlLint';
import { EXAMPLE_NETWORK_YAML } from '../../../server/src/example/exampleNetwork';
import { sharedDir } from '../../support/shared';

/** ai8x-synthesis's .yamllint (HEAD of the repository izer comes from). */
const IZER_YAMLLINT = '---\nextends: default\nrules:\n  line-length: {max: 1024}\n  new-lines:\n    type: platform\n  new-line-at-end-of-file: enable\n';

/** The example with one of each formatting mistake. */
function fixture(): string {
  let t = EXAMPLE_NETWORK_YAML.replace('---\n', '');
  t = t.replace('arch: ai85tinynet', 'arch: ai85tinynet  ');
  t = t.replace('dataset: tinynet\n', 'dataset: tinynet\n\n\n\n');
  t = t.replace('    in_offset: 0x0000', '    in_offset:  0x0000');
  t = t.replace('    op: conv2d\n    max_pool: 2', '    op : conv2d\n    max_pool: 2');
  t = t.replace('  # Layer 1:', '  #Layer 1:');
  t = t.replace('    name: conv1', '    name: conv1 # first');
  t = t.replace('    pad: 1\n    activate: ReLU\n    name: conv3', '    pad: [1,1 ]\n    activate: ReLU\n    name: conv3');
  t = t.replace('  # Layer 3:', '      # Layer 3:');
  const fc = t.indexOf('  - processors: 0x000000000000ffff\n    out_offset: 0x0000');
  const tail = t
    .slice(fc)
    .split('\n')
    .map((l, i) => (i === 0 ? l.replace('  - ', '  -  ') : l.startsWith('    ') ? ' ' + l : l))
    .join('\n')
    .replace('flatten: true', 'flatten: True');
  return (t.slice(0, fc) + tail).replace(/\n+$/, '');
}

/** yamllint 1.29.0 -f parsable on fixture() with IZER_YAMLLINT. */
const RECORDED = [
  '5:1: [warning] missing document start "---" (document-start)',
  '5:18: [error] trailing spaces (trailing-spaces)',
  '10:1: [error] too many blank lines (4 > 2) (empty-lines)',
  '14:16: [error] too many spaces after colon (colons)',
  '21:17: [warning] too few spaces before comment (comments)',
  '23:4: [warning] missing starting space in comment (comments)',
  '26:7: [error] too many spaces before colon (colons)',
  '41:13: [error] too few spaces after comma (commas)',
  '41:14: [error] too many spaces inside brackets (brackets)',
  '45:7: [warning] comment not indented like content (comments-indentation)',
  '46:5: [error] too many spaces after hyphen (hyphens)',
  '49:15: [warning] truthy value should be one of [false, true] (truthy)',
  '52:14: [error] no new line character at the end of file (new-line-at-end-of-file)',
];

const LEVEL: Record<string, string> = { 'document-start': 'warning', comments: 'warning', 'comments-indentation': 'warning', truthy: 'warning' };
const ours = (text: string) => {
  const tree = parseYamlTree(text);
  return yamlLint(tree, new LineIndex(text)).map((f) => `${f.line}:${f.column}: [${LEVEL[f.rule] ?? 'error'}] ${f.message} (${f.rule})`);
};

function yamllintAvailable(): boolean {
  return cp.spawnSync('yamllint', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** The real yamllint's findings per file (syntax errors and key-duplicates left out: those are YAML001 and izer's own). */
function realYamllint(dir: string, files: string[]): Map<string, string[]> | null {
  const config = path.join(dir, '.yamllint');
  fs.writeFileSync(config, IZER_YAMLLINT);
  const r = cp.spawnSync('yamllint', ['-c', config, '-f', 'parsable', ...files], { encoding: 'utf8', cwd: dir, maxBuffer: 64 << 20 });
  const out = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const line of r.stdout.split('\n')) {
    const m = /^(.*?):(\d+:\d+: .*)$/.exec(line);
    if (m) out.get(m[1])?.push(m[2]);
  }
  for (const [f, l] of out) if (l.some((x) => x.endsWith('(syntax)'))) out.delete(f);
  for (const [f, l] of out)
    out.set(
      f,
      l.filter((x) => !x.endsWith('(key-duplicates)')),
    );
  return out;
}

/** Formatting mistakes a hand-edited network gets. */
function mutations(text: string): Record<string, string> {
  const lines = text.split('\n');
  const content = lines.map((l, i) => (l.trim() && !l.trim().startsWith('#') ? i : -1)).filter((i) => i >= 0);
  const pick = content[Math.floor(content.length / 2)];
  return {
    trailing: lines.map((l, i) => (i === pick ? l + '  ' : l)).join('\n'),
    noEol: text.replace(/\n+$/, ''),
    noDocStart: text.replace(/^---\n/, ''),
    blankLines: text.replace('\n  - ', '\n\n\n\n  - '),
    blankStart: '\n' + text,
    blankEnd: text + '\n\n',
    colonBefore: text.replace(/(\n\s+\w+):/, '$1 :'),
    colonAfter: text.replace(/(\n\s+\w+): /, '$1:   '),
    hyphen: text.replace('\n  - ', '\n  -   '),
    commentSpace: text.replace(/\n(\s*)# /, '\n$1#'),
    inlineComment: text.replace(/(\n\s+\w+: \S+)\n/, '$1 # x\n'),
    truthy: text.replace(/: true\b/, ': True'),
    flow: text.replace(/(\n\s+\w+: )(\d+)\n/, '$1[$2,  $2 ]\n'),
    braces: text.replace(/(\n\s+\w+: )(\d+)\n/, '$1{ a: $2}\n'),
    sequenceIndent: text.includes('\nlayers:\n  - ') ? text.replace('\nlayers:\n  - ', '\nlayers:\n- ').replace(/\n {4}/g, '\n  ') : text,
    crlf: text.replace(/\n/g, '\r\n'),
    commentIndent: text.replace(/\n( {2}- )/, '\n   # moved\n$1'),
    deepComment: text.replace(/\n( {2}- )/, '\n      # deep\n$1'),
  };
}

describe('yamllint rules izer enforces', () => {
  it("gives yamllint's findings on the fixture (as yamllint 1.29 printed them)", () => {
    assert.deepStrictEqual(ours(fixture()), RECORDED);
  });

  it('a shipped-style network is clean; the findings are our diagnostics, with fixes; `--yamllint none` turns them off', () => {
    assert.deepStrictEqual(ours(EXAMPLE_NETWORK_YAML), []);
    const text = fixture();
    const r = checkNetwork({ text, fileName: 'lint.yaml' });
    const yl = r.diagnostics.filter((d) => d.code.startsWith('YL'));
    assert.strictEqual(yl.length, RECORDED.length);
    const trailing = yl.find((d) => d.code === 'YL001')!;
    assert.strictEqual(trailing.severity, 'warning');
    assert.strictEqual(trailing.message, 'Trailing spaces (yamllint trailing-spaces; with yamllint installed, izer stops here).');
    assert.strictEqual(yl.find((d) => d.code === 'YL005')!.severity, 'information');
    // The quick fixes clear what they are for.
    let fixed = text;
    for (const code of ['YL001', 'YL002', 'YL005', 'YL013']) {
      const again = checkNetwork({ text: fixed, fileName: 'lint.yaml' });
      const d = again.diagnostics.find((x) => x.code === code)!;
      const f = quickFixes(again, d.range).find((x) => x.diagnostics.includes(d));
      assert.ok(f, `a fix for ${code}`);
      fixed = applyEdits(fixed, f!.edits);
      assert.ok(!checkNetwork({ text: fixed, fileName: 'lint.yaml' }).diagnostics.some((x) => x.code === code), `${code} fixed`);
    }
    assert.ok(fixed.startsWith('---\n') && fixed.endsWith('\n') && fixed.includes('flatten: true'));
    const off = checkNetwork({ text, fileName: 'lint.yaml', izerFlags: ['--yamllint', 'none'] });
    assert.deepStrictEqual(
      off.diagnostics.filter((d) => d.code.startsWith('YL')),
      [],
    );
  });

  describe('against the real yamllint', function () {
    this.timeout(120000);
    let dir: string;
    before(function () {
      if (!yamllintAvailable()) {
        console.log('      (skipped: yamllint is not on PATH; apt-get install yamllint)');
        this.skip();
      }
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-yamllint-'));
    });
    after(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const compare = (sources: Record<string, string>) => {
      const files: string[] = [];
      for (const [name, text] of Object.entries(sources)) {
        fs.writeFileSync(path.join(dir, name), text);
        files.push(name);
      }
      const real = realYamllint(dir, files)!;
      const diffs: string[] = [];
      for (const [f, expected] of real) {
        const got = ours(sources[f]);
        if (JSON.stringify(got) !== JSON.stringify(expected))
          diffs.push(`${f}:\n  yamllint: ${expected.join('\n            ')}\n  ours:     ${got.join('\n            ')}`);
      }
      assert.deepStrictEqual(diffs, []);
      return real.size;
    };

    it('the fixture and every mutation of the example network', () => {
      const sources: Record<string, string> = { 'fixture.yaml': fixture() };
      for (const [k, v] of Object.entries(mutations(EXAMPLE_NETWORK_YAML))) sources[`example-${k}.yaml`] = v;
      assert.ok(compare(sources) >= 15);
    });

    it('the shipped networks and izer test networks, as they are and mutated', function () {
      const root = sharedDir('ai8x-synthesis');
      if (!fs.existsSync(root)) {
        console.log(`      (skipped: ${root} not found)`);
        this.skip();
      }
      const sources: Record<string, string> = {};
      const files = [
        // Every other shipped network and one izer test network in 40 (yamllint takes its time).
        ...fs
          .readdirSync(path.join(root, 'networks'))
          .sort()
          .filter((_, i) => i % 2 === 0)
          .map((f) => path.join('networks', f)),
        ...fs
          .readdirSync(path.join(root, 'tests'))
          .sort()
          .filter((_, i) => i % 40 === 0)
          .map((f) => path.join('tests', f)),
      ].filter((f) => f.endsWith('.yaml'));
      for (const f of files) {
        const text = fs.readFileSync(path.join(root, f), 'utf8');
        const base = f.replace(/[\\/]/g, '_').replace(/\.yaml$/, '');
        sources[`${base}.yaml`] = text;
        for (const [k, v] of Object.entries(mutations(text))) if (v !== text) sources[`${base}--${k}.yaml`] = v;
      }
      const n = compare(sources);
      console.log(`      ${n} files agree with yamllint`);
    });
  });
});
