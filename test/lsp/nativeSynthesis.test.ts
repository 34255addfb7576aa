// ai8x/synthesize: native synthesis of an open network runs in a check worker through app/synthesize.ts. This build
// has no native generator, so it is refused in words and nothing is written.
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

  it('answers an open network with a refusal in words while the build has no generator, and writes nothing', async () => {
    const uri = pathToFileURL(path.join(dir, EXAMPLE_FILES.network)).href;
    session = await LspSession.start({ settings: {} });
    await session.open(uri, EXAMPLE_NETWORK_YAML, 1);
    const out = path.join(dir, 'out');
    const r = await session.conn.sendRequest(SynthesizeRequest, { uri, prefix: 'tiny', testDir: out, mode: 'project' });
    assert.equal(r.status, 'refused');
    assert.equal(r.problem, 'This build has no native C-code generator; synthesize with izer.');
    assert.equal(r.target, path.join(out, 'tiny'));
    assert.ok(!fs.existsSync(out));
  });
});
