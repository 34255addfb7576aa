// ai8x/synthesize: native synthesis of an open network runs in a check worker through app/synthesize.ts and the
// native generator; the project is placed with the same care as izer's (nothing of the user's replaced unasked).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SynthesizeRequest } from '../../server/src/protocol';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../server/src/example/exampleNetwork';
import { LspSession } from '../support/lspSession';

describe('LSP: native synthesis request', function () {
  this.timeout(60000);
  let dir: string;
  let session: LspSession | undefined;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-lsp-native-'));
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.network), EXAMPLE_NETWORK_YAML);
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.checkpoint), exampleCheckpointBytes());
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.sample), exampleSampleBytes());
  });
  after(() => {
    session?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes the project of an open network through a check worker, and leaves a second run to the user's consent", async () => {
    const uri = pathToFileURL(path.join(dir, EXAMPLE_FILES.network)).href;
    session = await LspSession.start({ settings: {} });
    await session.open(uri, EXAMPLE_NETWORK_YAML, 1);
    const out = path.join(dir, 'out');
    const r = await session.conn.sendRequest(SynthesizeRequest, { uri, prefix: 'tiny', testDir: out, mode: 'project' });
    assert.equal(r.status, 'ok', r.problem);
    assert.equal(r.target, path.join(out, 'tiny'));
    for (const f of ['cnn.c', 'cnn.h', 'main.c', 'weights.h', 'sampledata.h', 'sampleoutput.h', 'softmax.c', 'log.txt', 'Makefile'])
      assert.ok(r.files.includes(f) && fs.statSync(path.join(r.target, f)).size > 0, f);
    assert.match(fs.readFileSync(path.join(r.target, 'cnn.h'), 'utf8'), /int cnn_load_weights\(void\);/);
    const cnnC = fs.readFileSync(path.join(r.target, 'cnn.c'), 'utf8');
    fs.appendFileSync(path.join(r.target, 'main.c'), "\n// the user's own line\n");
    const again = await session.conn.sendRequest(SynthesizeRequest, { uri, prefix: 'tiny', testDir: out, mode: 'project' });
    assert.equal(again.needsConsent, true, again.problem);
    assert.match(fs.readFileSync(path.join(r.target, 'main.c'), 'utf8'), /the user's own line/);
    assert.equal(fs.readFileSync(path.join(r.target, 'cnn.c'), 'utf8'), cnnC);
  });
});
