// LSP: a test network (`arch: test`) in the editor gets what a network with a checkpoint gets — the full check,
// mask hovers with kernel rows, inlay hints, the kernel map and the simulator — from izer's sample weights, found
// in the checkout that holds the YAML or through the ai8x.synthesis.path setting.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InlayHint, InlayHintRequest, MarkupContent } from 'vscode-languageserver-protocol';
import { KernelMapRequest, RunSimulationRequest, StatusNotification, StatusParams } from '../../server/src/protocol';
import { LspSession } from '../support/lspSession';
import { positionOf } from '../support/markers';
import { TINY_TEST_NETWORK, writeTinyTestCheckout } from '../support/testNetworkFixture';

describe('LSP: test networks (arch: test) on sample weights', function () {
  this.timeout(60_000);
  let checkout: string;
  let elsewhere: string;
  const sessions: LspSession[] = [];

  before(() => {
    checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-lsp-checkout-'));
    writeTinyTestCheckout(checkout);
    elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-lsp-elsewhere-'));
  });
  after(() => {
    for (const s of sessions) s.dispose();
    fs.rmSync(checkout, { recursive: true, force: true });
    fs.rmSync(elsewhere, { recursive: true, force: true });
  });

  const start = async (settings: Record<string, unknown>, folder: string) => {
    const s = await LspSession.start({ settings, workspaceFolders: [folder] });
    sessions.push(s);
    const status: StatusParams[] = [];
    s.conn.onNotification(StatusNotification, (p) => {
      status.push(p);
    });
    return { s, status };
  };
  const open = async (s: LspSession, file: string, text: string) => {
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    await s.open(uri, text, 1);
    return { uri, diagnostics: (await s.diagnosticsFor(uri, 1, 20000)).diagnostics };
  };

  it('inside the checkout: clean, and a processor count only the weights can judge is an error (IZ222)', async () => {
    const { s } = await start({}, checkout);
    const ok = await open(s, path.join(checkout, 'tests', 'test-tiny.yaml'), TINY_TEST_NETWORK);
    assert.deepEqual(
      ok.diagnostics.filter((d) => d.severity === 1),
      [],
    );
    // Layer 0 reads 3 channels (from the sample) into 4 outputs (from the weight array): 0x3 is one processor short.
    const wrong = TINY_TEST_NETWORK.replace('processors: 0x0000000000000007', 'processors: 0x0000000000000003');
    const bad = await open(s, path.join(checkout, 'tests', 'test-tiny-wrong.yaml'), wrong);
    assert.ok(
      bad.diagnostics.some((d) => d.code === 'IZ222' && d.range.start.line === 3),
      JSON.stringify(bad.diagnostics.map((d) => [d.code, d.message])),
    );
  });

  it('elsewhere, through ai8x.synthesis.path: hover with kernel rows, inlay hints, kernel map, simulation, status', async () => {
    const { s, status } = await start({ synthesis: { path: checkout } }, elsewhere);
    const file = path.join(elsewhere, 'my-test.yaml');
    const { uri, diagnostics } = await open(s, file, TINY_TEST_NETWORK);
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === 1),
      [],
    );

    const hover = await s.hover(uri, positionOf(TINY_TEST_NETWORK, 'processors: 0x000000000000000f', 13));
    const text = (hover!.contents as MarkupContent).value;
    assert.match(text, /4 channels/, text);
    assert.match(text, /[Kk]ernel/, text);

    const hints = (await s.conn.sendRequest(InlayHintRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
    })) as InlayHint[];
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    assert.ok(
      labels.some((l) => l.includes('3×4×4 → 4×4×4')),
      labels.join(' | '),
    );

    const km = await s.conn.sendRequest(KernelMapRequest, { uri });
    assert.equal(km.unavailable, null);
    assert.ok(km.model!.text.startsWith('Kernel map:\n'));

    const sim = await s.conn.sendRequest(RunSimulationRequest, { uri, input: { kind: 'associated' }, runId: 'r1' });
    assert.equal(sim.ok, true, sim.ok ? '' : `${sim.reason}: ${sim.message}`);
    if (sim.ok) assert.deepEqual(sim.layers.at(-1)!.shape, [2, 4, 4]);

    const mine = status.filter((p) => p.uri === uri).at(-1)!;
    assert.equal(mine.checkpoint, path.join(checkout, 'tests', 'weights_tiny_set.npy'));
    assert.match(mine.checkpointSource ?? '', /sample weights/);
  });

  it('without a checkout: IZ088 on `dataset`, naming where it looked', async () => {
    const { s } = await start({}, elsewhere);
    const { diagnostics } = await open(s, path.join(elsewhere, 'lonely.yaml'), TINY_TEST_NETWORK);
    const d = diagnostics.find((x) => x.code === 'IZ088');
    assert.ok(d, JSON.stringify(diagnostics.map((x) => x.code)));
    assert.equal(d.range.start.line, 1);
    const message = typeof d.message === 'string' ? d.message : d.message.value;
    assert.ok(message.includes(path.join(elsewhere, 'tests', 'weights_tiny_set.npy')), message);
  });
});
