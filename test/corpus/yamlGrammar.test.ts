// Our TextMate injection over every shipped network file, tokenized with VS Code 1.100.3's real YAML grammar (from the
// installed code-server): the injection must not break the YAML grammar's structure (no line turns invalid.illegal,
// no key, `- ` or `:` changes scope), and it must still mark every processor mask and memory offset.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireShared } from '../support/shared';
import { requireCodeServer, Token, yamlTokenizer, YamlTokenizer } from '../support/vscodeTextMate';

const VALUE = /^\s*(?:-\s+)*(processors|output_processors|output_map|in_offset|out_offset|offset)\s*:\s+(?:0[xX]([0-9a-fA-F._]+)|([0-9]+))\s*(?:#.*)?$/;

const ours = (scope: string) => scope.endsWith('.ai8x') || scope.startsWith('ai8x.');

/** Per character of a line, the YAML grammar's scopes other than its numeric constants (which ours may replace) and ours. */
function structure(tokens: Token[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    const s = t.scopes.filter((x) => !ours(x) && !(x.startsWith('constant.numeric.') && x.endsWith('.yaml'))).join(' ');
    for (let i = 0; i < t.text.length; i++) out.push(s);
  }
  return out;
}

const illegal = (tokens: Token[]) => tokens.some((t) => t.scopes.some((s) => s.startsWith('invalid.illegal')));

/** What is wrong with how our injection marks the value on a mask or offset line (null when it is right). */
function valueProblem(line: string, tokens: Token[]): string | null {
  const m = VALUE.exec(line)!;
  const digits = m[2] ?? m[3];
  const marked = tokens.filter((t) => t.scopes.some(ours));
  if (!marked.some((t) => t.text.length > 0 && digits.includes(t.text))) return 'value not marked';
  const hex = m[2]?.replace(/[._]/g, '');
  if (m[1].endsWith('offset') || hex?.length !== 16 || !/^[0-9a-fA-F]{4}([._]?)[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}$/.test(m[2])) return null;
  const quadrants = marked
    .map((t) => ({ text: t.text, q: t.scopes.map((s) => /\.quadrant([0-3])\.ai8x$/.exec(s)?.[1]).find((q) => q !== undefined) }))
    .filter((t) => t.q !== undefined);
  const got = quadrants.map((t) => `${t.q}:${t.text}`).join(' ');
  const want = [3, 2, 1, 0].map((q, i) => `${q}:${hex.slice(4 * i, 4 * i + 4)}`).join(' ');
  return got === want ? null : `quadrants ${got || '(none)'}, expected ${want}`;
}

describe('corpus: the TextMate injection with VS Code 1.100.3 YAML grammar', function () {
  this.timeout(300000);
  let vscodeDir: string;
  const files: string[] = [];
  let plain: YamlTokenizer;
  let injected: YamlTokenizer;
  before(async function () {
    const root = requireShared(this, 'ai8x-synthesis');
    vscodeDir = requireCodeServer(this);
    for (const sub of ['networks', 'tests']) {
      const dir = path.join(root, sub);
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.yaml')) files.push(path.join(dir, f));
    }
    plain = await yamlTokenizer(vscodeDir, { injection: false });
    injected = await yamlTokenizer(vscodeDir, { injection: true });
  });

  it('turns no line of a shipped network invalid.illegal, leaves the YAML structure alone and marks every mask and offset', () => {
    assert.ok(files.length > 0, 'no networks/*.yaml or tests/*.yaml under ../shared/ai8x-synthesis');
    const illegalFiles: string[] = [];
    const changedFiles: string[] = [];
    const unmarked: string[] = [];
    let illegalLines = 0;
    let values = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const lines = text.split(/\r?\n/);
      const before = plain.tokenize(text);
      const after = injected.tokenize(text);
      const name = `${path.basename(path.dirname(file))}/${path.basename(file)}`;
      let newIllegal = 0;
      let firstChange: number | undefined;
      lines.forEach((line, i) => {
        if (illegal(after[i]) && !illegal(before[i])) newIllegal++;
        if (firstChange === undefined && structure(after[i]).join('\n') !== structure(before[i]).join('\n')) firstChange = i;
        if (VALUE.test(line)) {
          values++;
          const problem = valueProblem(line, after[i]);
          if (problem) unmarked.push(`${name}:${i + 1}: ${problem}: ${line.trim()}`);
        }
      });
      if (newIllegal) illegalFiles.push(`${name} (${newIllegal} lines)`);
      illegalLines += newIllegal;
      if (firstChange !== undefined) changedFiles.push(`${name}:${firstChange + 1}: ${lines[firstChange].trim()}`);
    }
    console.log(
      `      ${files.length - illegalFiles.length} of ${files.length} network files have no line made invalid.illegal by the injection` +
        ` (${illegalFiles.length} files, ${illegalLines} lines do); YAML structure changed in ${changedFiles.length};` +
        ` ${values - unmarked.length} of ${values} mask/offset values marked`,
    );
    const show = (list: string[]) => list.slice(0, 10).join('\n  ') + (list.length > 10 ? `\n  … and ${list.length - 10} more` : '');
    assert.ok(illegalFiles.length === 0, `lines made invalid.illegal by the injection in ${illegalFiles.length} files:\n  ${show(illegalFiles)}`);
    assert.ok(changedFiles.length === 0, `YAML structure changed by the injection in ${changedFiles.length} files:\n  ${show(changedFiles)}`);
    assert.ok(values > 1000, `only ${values} mask/offset lines found`);
    assert.ok(unmarked.length === 0, `${unmarked.length} mask/offset values not marked:\n  ${show(unmarked)}`);
  });
});
