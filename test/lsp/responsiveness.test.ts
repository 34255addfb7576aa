// The server never blocks and never keeps what a closed document held (issue 13, items 5–7): checks run in
// worker threads, requests answer from the last finished analysis while a newer one runs, diagnostics keep coming
// while the user types, the first check of an opened document runs at once, and open/close churn leaves no memory.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DefinitionRequest, InlayHintRequest, Location } from 'vscode-languageserver-protocol';
import { TestMemoryRequest, type ServerMemoryFigures } from '../../server/src/protocol';
import { LspSession, docUri } from '../support/lspSession';
import { lines, parseMarkers } from '../support/markers';
import { syntheticCheckpointBytes, syntheticSampleBytes } from '../support/syntheticNetwork';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const codeOf = (d: Diagnostic) => String(d.code);

// An unsupported kernel size (IZ040) on a known line.
const NET = parseMarkers(
  lines(
    'arch: tinynet',
    'dataset: shapes',
    'layers:',
    '  - out_offset: 0x2000',
    '    processors: 0x0000000000000007',
    '    operation: conv2d',
    '    kernel_size: «5x5»',
    '    pad: 1',
    '    activate: ReLU',
  ),
);
const [KERNEL] = NET.ranges;

/** A network of about 5 MB: more YAML nodes than the checks accept, which takes the YAML reader seconds to find out. */
function hugeNetwork(layers = 50_000): string {
  const out = ['arch: huge', 'dataset: shapes', 'layers:'];
  for (let i = 0; i < layers; i++)
    out.push('  - processors: 0x0000000000000001', `    out_offset: 0x${i % 2 ? '2000' : '0000'}`, '    op: passthrough', `    name: layer${i}`);
  return out.join('\n') + '\n';
}

const publicationsOf = (s: LspSession, uri: string, from = 0): PublishDiagnosticsParams[] => s.published.slice(from).filter((p) => p.uri === uri);

describe('LSP: responsiveness (checks off the request path)', function () {
  this.timeout(120000);
  const sessions: LspSession[] = [];
  const start = async (...args: Parameters<typeof LspSession.start>) => {
    const s = await LspSession.start(...args);
    sessions.push(s);
    return s;
  };
  afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

  it('publishes diagnostics at least about every second while the user keeps typing, on the lines of the text as it is then', async () => {
    const s = await start({ settings: {} });
    const uri = docUri('typing-continuously.yaml');
    await s.open(uri, NET.text, 1);
    await s.diagnosticsFor(uri, 1);
    const before = s.published.length;
    // 3 s of typing, an edit every 50 ms (faster than the 250 ms validation delay): a new first line each time, so
    // every diagnostic moves down one line per version.
    let version = 1;
    const t0 = Date.now();
    while (Date.now() - t0 < 3000) {
      await s.change(uri, ++version, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#\n' }]);
      await sleep(50);
    }
    const during = publicationsOf(s, uri, before);
    assert.ok(during.length >= 2, `${during.length} publications during 3 s of continuous typing (${version - 1} edits); expected at least 2`);
    for (const p of during) {
      const kernel = p.diagnostics.find((d) => codeOf(d) === 'IZ040');
      assert.ok(kernel, `version ${p.version}: the kernel size error is there (${JSON.stringify(p.diagnostics.map(codeOf))})`);
      // Published for version v, whichever version the check read: the range is where 5x5 is in version v.
      assert.deepStrictEqual(kernel!.range, {
        start: { ...KERNEL.start, line: KERNEL.start.line + p.version! - 1 },
        end: { ...KERNEL.end, line: KERNEL.end.line + p.version! - 1 },
      });
    }
    // And the last version is published after the pause.
    await s.diagnosticsFor(uri, version);
  });

  it('checks a newly opened document at once, not after the validation delay', async () => {
    // With a long delay, the check of the opened text must still come at once (the content-change event that comes
    // with didOpen must not replace it with a delayed one).
    const s = await start({ settings: { validation: { delay: 8000 } } });
    const uri = docUri('opened-with-long-delay.yaml');
    const t0 = performance.now();
    await s.open(uri, NET.text, 1);
    const p = await s.diagnosticsFor(uri, 1, 5000);
    assert.ok(
      p.diagnostics.some((d) => codeOf(d) === 'IZ040'),
      `diagnostics after ${(performance.now() - t0).toFixed(0)} ms`,
    );
    await sleep(500);
    assert.strictEqual(publicationsOf(s, uri).length, 1, 'published once');
  });

  it('answers a hover on another file while a 5 MB network is being checked', async () => {
    const s = await start({ settings: {} });
    const small = docUri('small-beside-huge.yaml');
    await s.open(small, NET.text, 1);
    await s.diagnosticsFor(small, 1);
    const huge = docUri('huge.yaml');
    await s.open(huge, hugeNetwork(), 1);
    await sleep(300);
    const hover = await s.hover(small, { line: KERNEL.start.line, character: 6 });
    const hugeDone = publicationsOf(s, huge).length > 0;
    assert.ok(hover, 'the hover has content');
    assert.ok(!hugeDone, "the hover was answered before the huge file's check ended");
    // The huge file is still checked in full (too many YAML nodes).
    const p = await s.diagnosticsFor(huge, 1, 60000);
    assert.ok(p.diagnostics.some((d) => /too large/.test(typeof d.message === 'string' ? d.message : d.message.value)));
  });

  it("answers requests on a document from its last finished analysis while its newest text is checked (a 5 MB network: within a quarter of its check's time)", async () => {
    const s = await start({ settings: {} });
    const huge = docUri('huge-edited.yaml');
    const text = hugeNetwork();
    const t0 = performance.now();
    await s.open(huge, text, 1);
    await s.diagnosticsFor(huge, 1, 60000);
    const checkMs = performance.now() - t0;
    // An edit, then at once a request: it must not wait for (or run) a check of the edited text.
    await s.change(huge, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
    const t1 = performance.now();
    const symbols = await s.symbols(huge);
    const requestMs = performance.now() - t1;
    assert.deepStrictEqual(symbols, []);
    assert.ok(requestMs < checkMs / 4, `documentSymbol took ${requestMs.toFixed(0)} ms; a check of the file takes ${checkMs.toFixed(0)} ms`);
    await s.diagnosticsFor(huge, 2, 60000);
  });

  it('maps hovers, symbols and definitions of an older analysis onto the edited text (and waits for the newest where the text changed)', async () => {
    // A validation delay long enough that no check runs after an edit: answers come from the analysis of version 1,
    // mapped onto version 2 (one line inserted at the top).
    const s = await start({ settings: { validation: { delay: 60000 } } });
    const m = parseMarkers(
      lines(
        'arch: tinynet',
        'dataset: shapes',
        'layers:',
        '  - name: «first»',
        '    out_offset: 0x2000',
        '    processors: 0x0000000000000007',
        '    kernel_size: «5x5»',
        '  - name: second',
        '    in_sequences: [«first»]',
        '    processors: 0x0000000000000007',
      ),
    );
    const uri = docUri('mapped.yaml');
    await s.open(uri, m.text, 1);
    await s.diagnosticsFor(uri, 1);
    const [name, kernel, ref] = m.ranges;
    await s.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# moved\n' }]);
    const down = (p: { line: number; character: number }, dx = 0) => ({ line: p.line + 1, character: p.character + dx });
    const seen = s.published.length;
    // Definition of `first` from its reference: found in the analysis of version 1, one line down.
    const def = (await s.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: down(ref.start, 1) })) as Location | null;
    assert.deepStrictEqual(def?.range, { start: down(name.start), end: down(name.end) });
    // The outline: two layers, one line down.
    const symbols = await s.symbols(uri);
    assert.deepStrictEqual(
      symbols.map((x) => x.selectionRange.start.line),
      [4, 8],
    );
    const hover = await s.hover(uri, down({ line: 5, character: 6 }));
    assert.match(JSON.stringify(hover?.contents), /processors/);
    assert.deepStrictEqual(hover?.range?.start, down({ line: 5, character: 4 }));
    assert.strictEqual(publicationsOf(s, uri, seen).length, 0, 'no check ran for these answers');
    // A hover where the text changed needs the newest analysis: the document is checked for it.
    await s.change(uri, 3, [{ range: { start: down(kernel.start), end: down(kernel.end) }, text: '3x3' }]);
    const h = await s.hover(uri, down(kernel.start, 1));
    assert.match(JSON.stringify(h?.contents), /3×3/);
    assert.strictEqual((await s.diagnosticsFor(uri, 3)).diagnostics.filter((d) => codeOf(d) === 'IZ040').length, 0, 'checked: 3x3 is fine');
  });

  it('keeps nothing of a document after it is closed, even when it closes before its requests are answered (300 files)', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-churn-'));
    try {
      // A network with a checkpoint, so that every analysis holds decoded weights.
      const ckpt = path.join(dir, 'churn-q.pth.tar');
      fs.writeFileSync(
        ckpt,
        syntheticCheckpointBytes(
          [
            { key: 'conv1', shape: [64, 3, 3, 3], bias: true },
            { key: 'conv2', shape: [64, 64, 3, 3], bias: true },
            { key: 'conv3', shape: [64, 64, 3, 3], bias: true },
            { key: 'conv4', shape: [64, 64, 3, 3], bias: true },
          ],
          'churnnet',
        ),
      );
      const sample = path.join(dir, 'sample_shapes.npy');
      fs.writeFileSync(sample, syntheticSampleBytes([3, 16, 16]));
      const layer = (i: number, inMask: string, out: string) =>
        [`  - out_offset: ${out}`, `    processors: ${inMask}`, '    operation: conv2d', '    kernel_size: 3x3', '    pad: 1', '    activate: ReLU'].join(
          '\n',
        ) + (i === 3 ? '' : '\n');
      const text =
        `# ai8x: device=MAX78000 checkpoint="${ckpt}" sample-input="${sample}"\narch: churnnet\ndataset: shapes\nlayers:\n` +
        layer(0, '0x0000000000000007', '0x2000') +
        layer(1, '0xffffffffffffffff', '0x0000') +
        layer(2, '0xffffffffffffffff', '0x2000') +
        layer(3, '0xffffffffffffffff', '0x0000') +
        '\n';
      const s = await start({ settings: {}, testHooks: true, workspaceFolders: [dir] });
      const memory = (): Promise<ServerMemoryFigures> => s.conn.sendRequest(TestMemoryRequest, {});
      const total = (m: ServerMemoryFigures) => m.heapUsed + m.arrayBuffers + m.workers.reduce((n, w) => n + w.heapUsed + w.arrayBuffers, 0);
      // The document is a network with its checkpoint (not only a YAML-level check).
      const probe = pathToFileURL(path.join(dir, 'probe.yaml')).href;
      await s.open(probe, text, 1);
      const first = await s.diagnosticsFor(probe, 1, 20000);
      assert.deepStrictEqual(first.diagnostics.filter((d) => d.severity === 1).map(codeOf), [], 'the network is clean with its checkpoint');
      const status = await s.statusFor(probe, (p) => p.isNetwork, 'checked');
      assert.strictEqual(status.checkpointProblem, null);
      await s.close(probe);

      // Every other file closes before its requests are answered; the others once they are (checked, analysed).
      const churn = async (from: number, n: number) => {
        const answers: Promise<unknown>[] = [];
        for (let i = from; i < from + n; i++) {
          const uri = pathToFileURL(path.join(dir, `churn-${i}.yaml`)).href;
          await s.open(uri, text, 1);
          const symbols = s.symbols(uri);
          const hints = s.conn.sendRequest(InlayHintRequest.type, {
            textDocument: { uri },
            range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } },
          });
          if (i % 2) answers.push(symbols, hints);
          else {
            assert.strictEqual((await symbols).length, 4, 'four layers in the outline');
            assert.ok((await hints)?.length, 'inlay hints');
          }
          await s.close(uri);
        }
        await Promise.all(answers);
      };
      await churn(0, 20);
      await sleep(500);
      const before = await memory();
      await churn(20, 300);
      await sleep(1000);
      const after = await memory();
      assert.ok(after.gcExposed, 'the server runs with --expose-gc');
      assert.strictEqual(after.documents, 0, 'no analysis is kept for a closed document');
      const grownMb = (total(after) - total(before)) / 2 ** 20;
      console.log(
        `      heap and array buffers after a full GC: ${(total(before) / 2 ** 20).toFixed(1)} MB before, ${(total(after) / 2 ** 20).toFixed(1)} MB after 300 cycles (${after.workers.length} workers)`,
      );
      assert.ok(
        grownMb < 12,
        `after 300 open/request/close cycles and a full GC, the heap and array buffers grew by ${grownMb.toFixed(1)} MB (before ${JSON.stringify(before)}, after ${JSON.stringify(after)})`,
      );
      assert.deepStrictEqual(s.errorLogs(), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('LSP: a check that fails', function () {
  this.timeout(60000);
  const sessions: LspSession[] = [];
  afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

  const hooked = (hook: string) => `# ai8x-test-hook: ${hook}\n${NET.text}`;

  // [hook, environment, what the status says]
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['exit', {}, /the checker stopped unexpectedly/],
    ['throw', {}, /the check failed: Error: test hook: the check threw/],
    ['sleep=30000', { AI8X_CHECK_TIMEOUT_MS: '1500' }, /the check took longer than 1.5 s and was stopped/],
    ['oom', { AI8X_CHECK_WORKER_HEAP_MB: '64' }, /the check ran out of memory \(more than 64 MB\)/],
  ];
  it('ignores the test hooks unless the server runs with AI8X_SERVER_TEST_HOOKS=1', async () => {
    const s = await LspSession.start({ settings: {} });
    sessions.push(s);
    const uri = docUri('hook-without-hooks.yaml');
    await s.open(uri, hooked('exit'), 1);
    const p = await s.diagnosticsFor(uri, 1);
    assert.ok(p.diagnostics.some((d) => codeOf(d) === 'IZ040'));
    const status = await s.statusFor(uri, (x) => x.checkedVersion === 1, 'checked');
    assert.strictEqual(status.checkFailure, null);
  });

  for (const [hook, env, said] of cases) {
    it(`says so in the status when a check ${hook === 'exit' ? 'crashes' : hook === 'throw' ? 'throws' : hook === 'oom' ? 'runs out of memory' : 'takes too long'}, keeps serving, and checks the next version`, async () => {
      const s = await LspSession.start({ settings: {}, testHooks: true, env });
      sessions.push(s);
      const other = docUri(`beside-${hook}.yaml`);
      await s.open(other, NET.text, 1);
      await s.diagnosticsFor(other, 1);
      const uri = docUri(`failing-${hook}.yaml`);
      await s.open(uri, hooked(hook), 1);
      const status = await s.statusFor(uri, (p) => p.checkFailure !== null, 'a failed check', 40000);
      assert.match(status.checkFailure!, said);
      assert.strictEqual(status.isNetwork, true);
      assert.strictEqual(s.proc.exitCode, null, 'the server runs on');
      // Requests on the failed document answer (without checking it again), and so do those on the other.
      assert.strictEqual(await s.hover(uri, { line: KERNEL.start.line + 1, character: 6 }), null);
      assert.ok(await s.hover(other, { line: KERNEL.start.line, character: 6 }));
      // The next version (without the hook) is checked again, in a new worker where the old one was stopped.
      await s.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
      const p = await s.diagnosticsFor(uri, 2, 20000);
      assert.ok(p.diagnostics.some((d) => codeOf(d) === 'IZ040'));
      const ok = await s.statusFor(uri, (x) => x.checkedVersion === 2, 'version 2 checked');
      assert.strictEqual(ok.checkFailure, null);
    });
  }
});
