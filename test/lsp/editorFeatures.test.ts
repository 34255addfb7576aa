// LSP protocol: the editor features of issue 4 against real files with their checkpoints and samples — mask and
// layer hovers, quick fixes (each applied, then the fixed file passes `ai8x check`), fix all, inlay hints,
// definition/references/rename of layer names, and the kernel-map and data-memory requests.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  CodeActionRequest,
  DefinitionRequest,
  Diagnostic,
  InlayHint,
  InlayHintRequest,
  Location,
  MarkupContent,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { DataMemoryMapRequest, KernelMapRequest } from '../../server/src/protocol';
import { LspSession } from '../support/lspSession';
import { cursor, parseMarkers, Position, positionAt, positionOf } from '../support/markers';
import { cliCheck, EXAMPLE, FixtureNetwork, MULTIPASS, RGB, SKIP, withModeline, writeFixtureInputs } from './editorFeaturesFixtures';

function offsetAt(text: string, p: Position): number {
  let line = 0;
  let i = 0;
  while (line < p.line) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    i = nl + 1;
    line++;
  }
  return i + p.character;
}

function applyLspEdits(text: string, edits: TextEdit[]): string {
  const spans = edits.map((e) => ({ s: offsetAt(text, e.range.start), e: offsetAt(text, e.range.end), t: e.newText })).sort((a, b) => b.s - a.s);
  let out = text;
  for (const x of spans) out = out.slice(0, x.s) + x.t + out.slice(x.e);
  return out;
}

const commentLines = (t: string) =>
  t
    .split('\n')
    .filter((l) => /#/.test(l))
    .map((l) => l.slice(l.indexOf('#')));

describe('LSP: masks, fixes, hints, references and maps', function () {
  this.timeout(60000);
  let dir: string;
  let s: LspSession;
  let n = 0;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-editor-'));
    writeFixtureInputs(dir);
    s = await LspSession.start({ settings: {}, workspaceFolders: [dir] });
  });
  after(() => {
    s?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `source` (fixture YAML with markers, modeline added) next to the fixture's inputs and opens it. */
  const open = async (f: FixtureNetwork, source: string) => {
    const m = parseMarkers(withModeline(f, source));
    const file = path.join(dir, `${f.name}-${++n}.yaml`);
    fs.writeFileSync(file, m.text);
    const uri = pathToFileURL(file).href;
    await s.open(uri, m.text, 1);
    const published = await s.diagnosticsFor(uri, 1, 20000);
    return { uri, m, file, text: m.text, diagnostics: published.diagnostics };
  };
  const hoverText = async (uri: string, p: Position) => {
    const h = await s.hover(uri, p);
    assert.ok(h, 'a hover');
    return { text: (h!.contents as MarkupContent).value, range: h!.range };
  };
  const codeActions = (uri: string, range: Diagnostic['range'], diagnostics: Diagnostic[], only?: string[]) =>
    s.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } }) as Promise<CodeAction[]>;
  const editsOf = (a: CodeAction, uri: string) => (a.edit as WorkspaceEdit).changes![uri];

  /** Applies `action` and checks the fixed text with `ai8x check` (dist/cli.js) and its checkpoint. */
  const applyAndCheck = (file: string, uri: string, text: string, action: CodeAction) => {
    const fixed = applyLspEdits(text, editsOf(action, uri));
    const out = path.join(dir, path.basename(file, '.yaml') + '-fixed.yaml');
    fs.writeFileSync(out, fixed);
    const check = cliCheck(out);
    return { fixed, check };
  };
  const problems = (c: ReturnType<typeof cliCheck>) =>
    c.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => `${d.code} ${d.message}`);

  describe('hover on masks and layers', () => {
    it('decodes a `processors` mask: count, ranges, quadrant, memories, picture, need, HWC rule, kernel rows', async () => {
      const { uri, m } = await open(EXAMPLE, EXAMPLE.yaml.replace('processors: 0x00000000000000ff', 'processors: «0x00000000$000000ff»'));
      const h = await hoverText(uri, cursor(m));
      assert.deepStrictEqual(h.range, m.ranges[0]);
      assert.match(h.text, /\*\*8\*\* processors: 0–7/);
      assert.match(h.text, /Quadrant 0 · data memories 0–1/);
      assert.ok(h.text.includes('Q0  0–15 ■■■■ ■■■■ ···· ····'), h.text);
      assert.match(h.text, /Layer 1 \(conv2\) needs\*\* 8 input channels → 8 processors, one per channel, in 1 pass\. ✓/);
      assert.match(h.text, /\*\*HWC data\*\*/);
      // 16 output channels × 3×3 8-bit weights = 144 bytes = 16 kernel words (72 bits) per processor, after layer 0's 8.
      assert.match(h.text, /Kernel memory\*\* \(this layer's rows of the kernel map, columns 8–23\)/);
      assert.ok(h.text.includes('P0–7    1111111111111111'), h.text);
      assert.doesNotMatch(h.text, /izer\*\* \(IZ/);
    });

    it('links to the kernel map and the data-memory map of this file', async () => {
      const { uri, m } = await open(EXAMPLE, EXAMPLE.yaml.replace('processors: 0x00000000000000ff', 'processors: 0x00000000$000000ff'));
      const links = (await hoverText(uri, cursor(m))).text.match(/\]\(command:[^)]+\)/g) ?? [];
      const parsed = links.map((l) => {
        const [, command, args] = /^\]\(command:([\w.]+)\?(.*)\)$/.exec(l)!;
        return { command, args: JSON.parse(decodeURIComponent(args)) };
      });
      assert.deepStrictEqual(parsed, [
        { command: 'ai8x.showKernelMap', args: [uri] },
        { command: 'ai8x.showDataMemoryMap', args: [uri] },
      ]);
      // A value without a map view (kernel_size) has no links.
      const k = await open(EXAMPLE, EXAMPLE.yaml.replace('kernel_size: 3x3', 'kernel_size: 3$0x3'));
      const plain = await hoverText(k.uri, cursor(k.m));
      assert.match(plain.text, /kernel/i);
      assert.doesNotMatch(plain.text, /command:/);
    });

    it('gives the CHW rule on a CHW first layer', async () => {
      const { uri, m } = await open(EXAMPLE, EXAMPLE.yaml.replace('processors: 0x0000000000000001', 'processors: 0x00000000$00000001'));
      const h = await hoverText(uri, cursor(m));
      assert.match(h.text, /\*\*CHW input\*\*.*one processor per group of 4/);
      assert.match(h.text, /needs\*\* 1 input channel → 1 processor/);
    });

    it('shows what izer says about a wrong mask and the masks that would be right', async () => {
      const { uri, m } = await open(EXAMPLE, EXAMPLE.yaml.replace('processors: 0x00000000000000ff', 'processors: 0x0000000000$00000f'));
      const h = await hoverText(uri, cursor(m));
      assert.match(h.text, /✗ \(the mask has 4\)/);
      assert.match(h.text, /izer\*\* \(IZ222\): `processors` enables 4 processors, but 8 input channels need 8 processors/);
      assert.match(h.text, /Would be right:\*\*\n- `0x00000000000000ff` — 8 processors from processor 0/);
    });

    it('explains multi-pass rounding: 100 channels → 2 passes of 52 processors', async () => {
      const { uri, m } = await open(MULTIPASS, MULTIPASS.yaml.replace('processors: 0x000fffffffffffff', 'processors: 0x0003ff$0ffffffffff'));
      const h = await hoverText(uri, cursor(m));
      assert.match(h.text, /100 input channels → 2 passes of 52 processors \(100 ÷ 2 = 50, rounded up to a multiple of 4 = 52\)/);
      assert.match(h.text, /IZ222/);
      assert.match(h.text, /`0x000fffffffffffff` — 52 processors from processor 0/);
    });

    it('on `output_processors`: the output rule and where the next layer reads', async () => {
      const { uri, m } = await open(RGB, RGB.yaml.replace('output_processors: 0x000000000000ff00', 'output_processors: 0x00000000000000$0ff'));
      const h = await hoverText(uri, cursor(m));
      assert.match(h.text, /\*\*Output\*\* is always HWC/);
      assert.match(h.text, /writes\*\*|needs\*\* 8 output channels → 8 processors/);
      assert.match(h.text, /AX306/);
      assert.match(h.text, /`0x000000000000ff00` — where layer 1 \(body\) reads it/);
    });

    it("on the global `output_map`: the final layer's need", async () => {
      const { uri, m } = await open(EXAMPLE, EXAMPLE.yaml.replace('dataset: tinynet\n', 'dataset: tinynet\noutput_map: 0x00000000000$003ff\n'));
      const h = await hoverText(uri, cursor(m));
      assert.match(h.text, /\*\*10\*\* processors: 0–9/);
      assert.match(h.text, /Layer 3 \(fc\) needs\*\* 10 output channels → 10 processors, one per channel, in 1 pass\. ✓/);
    });

    it("on a layer's first key and on its `-`: shapes, kernel, bias and data memory", async () => {
      const src = EXAMPLE.yaml.replace('  - processors: 0x00000000000000ff', '  $0- processors: 0x00000000000000ff');
      const { uri, m, text } = await open(EXAMPLE, src);
      const dash = await hoverText(uri, cursor(m));
      const key = await hoverText(uri, positionOf(text, 'processors: 0x00000000000000ff', 2));
      for (const h of [dash, key]) {
        assert.match(h.text, /\*\*Layer 1 \(conv2\)\*\* — conv2d 3×3 · maxpool 2×2/);
        // 8×16×16 in; 3×3 pad 1 keeps 16×16, the 2×2 pool makes 8×8; 16 output channels.
        assert.match(h.text, /Input 8×16×16 → output 16×8×8 \(pooled 8×8×8\)/);
        assert.match(h.text, /Kernel memory:\*\* processors 0–7 × 16 columns at column 8/);
        assert.match(h.text, /Bias memory:\*\* quadrant \d bytes 0x[0-9a-f]{4}–0x[0-9a-f]{4} \(16 bytes each\)/);
        // HWC input: 16×16 pixels × 4 bytes at layer 0's out_offset 0x4000, on the memories of processors 0–7.
        assert.match(h.text, /Reads\*\* memories 0–1: 0x4000–0x43ff \(1024 bytes each\)/);
        // 8×8 pixels × 4 bytes at 0x0000 on the memories of layer 2's processors 0–15 (its default output map).
        assert.match(h.text, /Writes\*\* memories 0–3: 0x0000–0x00ff \(1024 bytes\)/);
      }
      assert.ok(key.text.includes('`processors`'), 'the key documentation follows');
    });
  });

  describe('quick fixes (each applied, then `ai8x check` passes)', () => {
    const fixCase = async (f: FixtureNetwork, broken: string, code: string, title: RegExp) => {
      assert.notStrictEqual(broken, f.yaml, 'the fixture was changed');
      const o = await open(f, broken);
      const d = o.diagnostics.find((x) => x.code === code);
      assert.ok(d, `${code} reported; got ${o.diagnostics.map((x) => x.code).join(', ')}`);
      const actions = await codeActions(o.uri, d!.range, [d!]);
      const a = actions.find((x) => title.test(x.title));
      assert.ok(a, `a fix titled ${title}; got ${actions.map((x) => x.title).join(' | ')}`);
      assert.strictEqual(a!.kind, CodeActionKind.QuickFix);
      assert.ok(
        a!.diagnostics?.some((x) => x.code === code),
        'the action names the diagnostic it fixes',
      );
      const r = applyAndCheck(o.file, o.uri, o.text, a!);
      assert.strictEqual(r.check.status, 0, r.check.output);
      assert.deepStrictEqual(commentLines(r.fixed), commentLines(o.text), 'comments are kept');
      return { ...r, actions, action: a!, open: o };
    };

    it('wrong processor count → the right count from the lowest processor (comment on the line kept)', async () => {
      const r = await fixCase(
        EXAMPLE,
        EXAMPLE.yaml.replace('processors: 0x00000000000000ff', 'processors: 0x000000000000000f # conv2 input'),
        'IZ222',
        /^Use 0x00000000000000ff: 8 processors from processor 0$/,
      );
      assert.ok(r.action.isPreferred);
      assert.ok(r.fixed.includes('  - processors: 0x00000000000000ff # conv2 input\n'), 'only the mask changed');
      assert.deepStrictEqual(problems(r.check), []);
    });

    it('wrong count after an explicit output map → aligned to where the previous layer wrote', async () => {
      const broken = RGB.yaml.replace('  - name: body\n    processors: 0x000000000000ff00', '  - name: body\n    processors: 0x000000000000000f');
      const r = await fixCase(RGB, broken, 'IZ222', /^Use 0x000000000000ff00: 8 processors where the input data is \(layer 0 \(stem\)'s output processors\)$/);
      assert.ok(r.action.isPreferred, 'aligned is preferred');
      assert.ok(
        r.actions.some((a) => /^Use 0x00000000000000ff: 8 processors from processor 0$/.test(a.title)),
        'keeping the lowest processor is offered too',
      );
      assert.deepStrictEqual(problems(r.check), [], 'no AX306 either');
    });

    it('CHW first layer → one processor per data memory', async () => {
      const r = await fixCase(
        RGB,
        RGB.yaml.replace('processors: 0x0000000000000111', 'processors: 0x0000000000000007'),
        'IZ171',
        /^Use 0x0000000000000111: 3 processors, one per data memory, from processor 0$/,
      );
      assert.ok(r.fixed.includes('processors: 0x0000000000000111  # R, G, B: one per memory'));
      assert.deepStrictEqual(problems(r.check), []);
    });

    it('multi-pass rounding: 50 → 52 processors for 100 channels in 2 passes', async () => {
      const r = await fixCase(
        MULTIPASS,
        MULTIPASS.yaml.replace('processors: 0x000fffffffffffff', 'processors: 0x0003ffffffffffff'),
        'IZ222',
        /^Use 0x000fffffffffffff: 52 processors from processor 0$/,
      );
      assert.deepStrictEqual(problems(r.check), []);
    });

    it("`output_processors` that the next layer does not read (AX306) → the next layer's processors", async () => {
      const r = await fixCase(
        RGB,
        RGB.yaml.replace('output_processors: 0x000000000000ff00', 'output_processors: 0x00000000000000ff'),
        'AX306',
        /^Write the output where layer 1 \(body\) reads it: 0x000000000000ff00$/,
      );
      assert.deepStrictEqual(problems(r.check), []);
    });

    it('an output overwriting its own input (IZ280) → the ping-pong half', async () => {
      const broken = EXAMPLE.yaml.replace('out_offset: 0x0000\n    op: conv2d\n    max_pool', 'out_offset: 0x4000\n    op: conv2d\n    max_pool');
      const r = await fixCase(EXAMPLE, broken, 'IZ280', /^Use out_offset: 0x0000 \(ping-pong: the other half of the data memory, 256 bytes\)$/);
      assert.deepStrictEqual(problems(r.check), []);
    });

    it('an output running past the data memory (IZ189) → an offset where it fits', async () => {
      const broken = EXAMPLE.yaml.replace(
        'out_offset: 0x4000\n    op: conv2d\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    data_format: CHW',
        'out_offset: 0x7e00\n    op: conv2d\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    data_format: CHW',
      );
      const r = await fixCase(EXAMPLE, broken, 'IZ189', /^Use out_offset: 0x[0-9a-f]{4} \(.*1024 bytes\)$/);
      const off = Number(
        /out_offset: (0x[0-9a-f]{4})\n {4}op: conv2d\n {4}kernel_size: 3x3\n {4}pad: 1\n {4}activate: ReLU\n {4}data_format: CHW/.exec(r.fixed)![1],
      );
      assert.ok(off + 1024 <= 0x8000, `0x${off.toString(16)} leaves room for 8 channels × 16×16 (1024 bytes)`);
      assert.deepStrictEqual(problems(r.check), []);
    });

    it('an older output overwritten before a later `in_sequences` read (AX305) → an offset that keeps it', async () => {
      const r = await fixCase(SKIP, SKIP.yaml.replace('out_offset: 0x6000', 'out_offset: 0x2000'), 'AX305', /^Use out_offset: 0x[0-9a-f]{4} /);
      assert.deepStrictEqual(problems(r.check), []);
    });

    it('a mask in an odd form → 0x and 16 hex digits (short, decimal, dotted)', async () => {
      for (const [odd, normal] of [
        ['0xff', '0x00000000000000ff'],
        ['255', '0x00000000000000ff'],
        ["'0x0000.0000.0000.00ff'", '0x00000000000000ff'],
      ]) {
        const o = await open(EXAMPLE, EXAMPLE.yaml.replace('processors: 0x00000000000000ff', `processors: ${odd}`));
        const at = positionOf(o.text, `processors: ${odd}`, 'processors: '.length + 1);
        const actions = await codeActions(o.uri, { start: at, end: at }, []);
        const a = actions.find((x) => x.title === `Write the mask as ${normal}`);
        assert.ok(a, `offered for ${odd}; got ${actions.map((x) => x.title).join(' | ')}`);
        const r = applyAndCheck(o.file, o.uri, o.text, a!);
        assert.ok(r.fixed.includes(`  - processors: ${normal}\n`), r.fixed);
        assert.strictEqual(r.check.status, 0, r.check.output);
      }
    });

    it('an unknown key → did you mean', async () => {
      const r = await fixCase(
        EXAMPLE,
        EXAMPLE.yaml.replace('    pad: 1\n    activate: ReLU\n    name: conv2', '    padd: 1\n    activate: ReLU\n    name: conv2'),
        'IZ016',
        /^Change to `pad`$/,
      );
      assert.ok(r.fixed.includes('    pad: 1\n    activate: ReLU\n    name: conv2'));
    });

    it('no fix is offered on a correct mask', async () => {
      const o = await open(EXAMPLE, EXAMPLE.yaml);
      const at = positionOf(o.text, 'processors: 0x00000000000000ff', 14);
      assert.deepStrictEqual(await codeActions(o.uri, { start: at, end: at }, []), []);
    });

    it('fix all: one source.fixAll action repairs every fixable problem with minimal edits', async () => {
      const broken = EXAMPLE.yaml
        .replace('processors: 0x00000000000000ff', 'processors: 0x000000000000000f  # too few')
        .replace('    pad: 1\n    activate: ReLU\n    name: conv3', '    padd: 1\n    activate: ReLU\n    name: conv3')
        .replace('  - processors: 0x000000000000ffff\n    out_offset: 0x0000', '  - processors: 0xffff\n    out_offset: 0x4000');
      const o = await open(EXAMPLE, broken);
      assert.ok(o.diagnostics.filter((d) => d.severity === 1).length >= 3, o.diagnostics.map((d) => d.code).join(', '));
      const quick = await codeActions(o.uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [CodeActionKind.QuickFix]);
      assert.ok(!quick.some((a) => a.kind === CodeActionKind.SourceFixAll), 'fix all only when asked for');
      const all = await codeActions(o.uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [CodeActionKind.SourceFixAll]);
      assert.strictEqual(all.length, 1);
      assert.strictEqual(all[0].kind, CodeActionKind.SourceFixAll);
      const edits = editsOf(all[0], o.uri);
      assert.ok(
        edits.every((e) => e.range.start.line === e.range.end.line && !e.newText.includes('\n')),
        'only in-line replacements',
      );
      const r = applyAndCheck(o.file, o.uri, o.text, all[0]);
      assert.strictEqual(r.check.status, 0, r.check.output);
      assert.deepStrictEqual(problems(r.check), []);
      assert.deepStrictEqual(commentLines(r.fixed), commentLines(o.text));
      assert.ok(r.fixed.includes('processors: 0x00000000000000ff  # too few'));
      assert.ok(r.fixed.includes('    pad: 1\n    activate: ReLU\n    name: conv3'));
      assert.ok(r.fixed.includes('  - processors: 0x000000000000ffff\n'), 'the odd mask is written in the normal form');
      // Everything else is as it was.
      assert.strictEqual(r.fixed.split('\n').length, o.text.split('\n').length);
    });
  });

  describe('inlay hints', () => {
    const hints = (uri: string, lineCount: number) =>
      s.conn.sendRequest(InlayHintRequest.type, {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } },
      }) as Promise<InlayHint[] | null>;

    it('one per layer at the end of its first line: input → output shape · passes', async () => {
      const o = await open(EXAMPLE, EXAMPLE.yaml);
      const got = (await hints(o.uri, o.text.split('\n').length)) ?? [];
      // 1×16×16 CHW input; 3×3 pad 1 convolutions keep the size, each 2×2 pool halves it; fc flattens 16×4×4 to 10.
      assert.deepStrictEqual(
        got.map((h) => h.label),
        ['1×16×16 → 8×16×16 · 1 pass', '8×16×16 → 16×8×8 · 1 pass', '16×8×8 → 16×4×4 · 1 pass', '16×4×4 → 10×1×1 · 1 pass'],
      );
      const lines = o.text.split('\n');
      for (const [i, needle] of [
        'processors: 0x0000000000000001',
        'processors: 0x00000000000000ff',
        'processors: 0x000000000000ffff\n    out_offset: 0x4000',
        'processors: 0x000000000000ffff\n    out_offset: 0x0000',
      ].entries()) {
        const line = positionOf(o.text, needle).line;
        assert.deepStrictEqual(got[i].position, { line, character: lines[line].length }, `hint ${i} at the end of its layer's first line`);
        assert.strictEqual(got[i].paddingLeft, true);
      }
    });

    it('counts passes: 100 channels need 2', async () => {
      const o = await open(MULTIPASS, MULTIPASS.yaml);
      const got = (await hints(o.uri, o.text.split('\n').length)) ?? [];
      assert.deepStrictEqual(
        got.map((h) => h.label),
        ['3×8×8 → 100×8×8 · 1 in / 2 out passes', '100×8×8 → 16×8×8 · 2 passes', '16×8×8 → 10×8×8 · 1 pass'],
      );
      // Before the comment on the line, not after it.
      const line = positionOf(o.text, 'processors: 0x000fffffffffffff').line;
      assert.deepStrictEqual(got[1].position, { line, character: o.text.split('\n')[line].indexOf('  # 52') });
    });

    it('none without a checkpoint, and none when ai8x.inlayHints.enabled is off', async () => {
      const plain = path.join(dir, 'plain.yaml');
      fs.writeFileSync(plain, EXAMPLE.yaml);
      const uri = pathToFileURL(plain).href;
      await s.open(uri, EXAMPLE.yaml, 1);
      await s.diagnosticsFor(uri, 1);
      assert.deepStrictEqual((await hints(uri, 80)) ?? [], []);

      const off = await LspSession.start({ settings: { inlayHints: { enabled: false } }, workspaceFolders: [dir] });
      try {
        const file = path.join(dir, 'off.yaml');
        const text = withModeline(EXAMPLE);
        fs.writeFileSync(file, text);
        const u = pathToFileURL(file).href;
        await off.open(u, text, 1);
        await off.diagnosticsFor(u, 1, 20000);
        const got = await off.conn.sendRequest(InlayHintRequest.type, {
          textDocument: { uri: u },
          range: { start: { line: 0, character: 0 }, end: { line: 80, character: 0 } },
        });
        assert.deepStrictEqual(got ?? [], []);
      } finally {
        off.dispose();
      }
    });
  });

  describe('definition, references and rename of layer names', () => {
    const REFNET = [
      'arch: refnet',
      'dataset: none',
      'layers:',
      '  - name: «stem»',
      '    processors: 0x0000000000000001',
      '    out_offset: 0x2000',
      '    op: conv2d',
      '  - name: «body»',
      '    processors: 0x00000000000000ff',
      '    out_offset: 0x0000',
      '    next_sequence: «head»',
      '    op: conv2d',
      '  - name: «head»',
      '    processors: 0x00000000000000ff',
      '    in_sequences: [«stem», «1»]',
      '    out_offset: 0x2000',
      '    op: conv2d',
      '  - processors: 0x00000000000000ff',
      '    in_sequences: [«Stem»]',
      '    out_offset: 0x0000',
      '    op: conv2d',
      '',
    ].join('\n');
    // Ranges in order: 0 stem (name), 1 body (name), 2 head (next_sequence), 3 head (name), 4 stem (ref), 5 1 (ref), 6 Stem (ref).
    const openRef = async () => {
      const m = parseMarkers(REFNET);
      const uri = pathToFileURL(path.join(dir, `refnet-${++n}.yaml`)).href;
      await s.open(uri, m.text, 1);
      await s.diagnosticsFor(uri, 1);
      return { uri, m };
    };
    const inRange = (r: { start: Position }, dx = 1) => ({ line: r.start.line, character: r.start.character + dx });

    it("goes from a reference by name or number to the layer's name", async () => {
      const { uri, m } = await openRef();
      const def = async (p: Position) => (await s.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: p })) as Location | null;
      assert.deepStrictEqual((await def(inRange(m.ranges[4])))?.range, m.ranges[0], 'in_sequences: stem → name: stem');
      assert.deepStrictEqual((await def(inRange(m.ranges[6])))?.range, m.ranges[0], 'names compare without case');
      assert.deepStrictEqual((await def(inRange(m.ranges[5], 0)))?.range, m.ranges[1], 'in_sequences: 1 → layer 1 (body)');
      assert.deepStrictEqual((await def(inRange(m.ranges[2])))?.range, m.ranges[3], 'next_sequence: head → name: head');
      assert.strictEqual(await def(positionOf(m.text, 'out_offset: 0x2000', 3)), null);
    });

    it('finds every reference to a layer from its name or from a reference', async () => {
      const { uri, m } = await openRef();
      const refs = async (p: Position, includeDeclaration: boolean) =>
        ((await s.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: p, context: { includeDeclaration } })) as Location[]).map(
          (l) => l.range,
        );
      assert.deepStrictEqual(await refs(inRange(m.ranges[0]), false), [m.ranges[4], m.ranges[6]]);
      assert.deepStrictEqual(await refs(inRange(m.ranges[6]), true), [m.ranges[0], m.ranges[4], m.ranges[6]]);
      assert.deepStrictEqual(await refs(inRange(m.ranges[1]), false), [m.ranges[5]], 'body is referenced by its number');
    });

    it('renames a layer and every reference by name (numbers stay), and refuses what cannot be a name', async () => {
      const { uri, m } = await openRef();
      const prep = await s.conn.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: inRange(m.ranges[4]) });
      assert.deepStrictEqual(prep, { range: m.ranges[4], placeholder: 'stem' });
      const edit = (await s.conn.sendRequest(RenameRequest.type, { textDocument: { uri }, position: inRange(m.ranges[0]), newName: 'trunk' })) as WorkspaceEdit;
      const renamed = applyLspEdits(m.text, edit.changes![uri]);
      assert.strictEqual(renamed, m.text.replace('name: stem', 'name: trunk').replace('[stem, 1]', '[trunk, 1]').replace('[Stem]', '[trunk]'));

      await assert.rejects(s.conn.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: inRange(m.ranges[5], 0) }), /by its number/);
      await assert.rejects(
        s.conn.sendRequest(RenameRequest.type, { textDocument: { uri }, position: inRange(m.ranges[0]), newName: 'body' }),
        /already named `body`/,
      );
      await assert.rejects(
        s.conn.sendRequest(RenameRequest.type, { textDocument: { uri }, position: inRange(m.ranges[0]), newName: 'yes' }),
        /cannot be a layer name/,
      );
      await assert.rejects(
        s.conn.sendRequest(RenameRequest.type, { textDocument: { uri }, position: inRange(m.ranges[0]), newName: 'two words' }),
        /not a plain layer name/,
      );
    });
  });

  describe('map requests', () => {
    it("ai8x/kernelMap: izer's allocation for the document, or why there is none", async () => {
      const o = await open(EXAMPLE, EXAMPLE.yaml);
      const r = await s.conn.sendRequest(KernelMapRequest, { uri: o.uri });
      assert.strictEqual(r.unavailable, null);
      assert.strictEqual(r.version, 1);
      const km = r.model!;
      assert.strictEqual(km.device, 'MAX78000');
      assert.deepStrictEqual(
        km.layers.map((l) => [l.ll, l.name, l.processors]),
        [
          [0, 'conv1', '0'],
          [1, 'conv2', '0–7'],
          [2, 'conv3', '0–15'],
          [3, 'fc', '0–15'],
        ],
      );
      assert.strictEqual(km.widths.length, 64);
      assert.ok(km.text.startsWith('Kernel map:\n'));
      // The reveal positions are the layers' first keys.
      assert.deepStrictEqual({ line: km.layers[1].line, character: km.layers[1].character }, positionOf(o.text, 'processors: 0x00000000000000ff'));

      const plain = pathToFileURL(path.join(dir, 'no-checkpoint.yaml')).href;
      await s.open(plain, EXAMPLE.yaml, 1);
      const none = await s.conn.sendRequest(KernelMapRequest, { uri: plain });
      assert.strictEqual(none.model, null);
      assert.match(none.unavailable!, /needs the network's checkpoint/);
      assert.strictEqual(none.action, 'chooseCheckpoint');
    });

    it('ai8x/dataMemoryMap: steps in execution order and the overwrite izer does not check (AX305)', async () => {
      const o = await open(SKIP, SKIP.yaml.replace('out_offset: 0x6000', 'out_offset: 0x2000'));
      const r = await s.conn.sendRequest(DataMemoryMapRequest, { uri: o.uri });
      const dm = r.model!;
      assert.deepStrictEqual(
        dm.steps.map((x) => x.label),
        ['input loader', 'layer 0 (first)', 'layer 1', 'layer 2', 'layer 3'],
      );
      assert.strictEqual(dm.conflicts.length, 1);
      const c = dm.conflicts[0];
      assert.deepStrictEqual([c.writer, c.producer, c.reader, c.code, c.checkedByIzer], [3, 1, 4, 'AX305', false]);
      assert.ok(dm.steps[3].problems.some((p) => p.code === 'AX305'));
      void positionAt;
    });
  });
});
