// A device or checkpoint chosen in the editor (ai8x/chooseInputs, this session only) is checked with, and the status
// and the association say that it was chosen in this session.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AssociationRequest, ChooseInputsNotification } from '../../server/src/protocol';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../server/src/example/exampleNetwork';
import { LspSession } from '../support/lspSession';

describe('LSP: choices made in the editor', function () {
  this.timeout(60000);
  let dir: string;
  let session: LspSession | undefined;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-lsp-choice-'));
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.network), EXAMPLE_NETWORK_YAML);
    fs.writeFileSync(path.join(dir, 'chosen-q.pth.tar'), exampleCheckpointBytes());
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.sample), exampleSampleBytes());
  });
  after(() => {
    session?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('labels a device chosen in the editor as chosen this session, and checks with the chosen checkpoint', async () => {
    const uri = pathToFileURL(path.join(dir, EXAMPLE_FILES.network)).href;
    session = await LspSession.start({ settings: {}, workspaceFolders: [dir] });
    await session.open(uri, EXAMPLE_NETWORK_YAML, 1);
    const first = await session.statusFor(uri, (p) => p.checkedVersion === 1, 'the first check');
    assert.equal(first.deviceSource, 'modeline');
    assert.ok(first.checkpointProblem, "the modeline's checkpoint is not there");

    await session.conn.sendNotification(ChooseInputsNotification, { uri, device: 'MAX78002', checkpoint: path.join(dir, 'chosen-q.pth.tar') });
    const chosen = await session.statusFor(uri, (p) => p.device === 'MAX78002', 'the check with the chosen device');
    assert.equal(chosen.deviceSource, 'session');
    assert.equal(chosen.checkpoint, path.join(dir, 'chosen-q.pth.tar'));
    assert.equal(chosen.checkpointSource, 'chosen in this session');
    assert.equal(chosen.checkpointProblem, null);
    const association = await session.conn.sendRequest(AssociationRequest, { uri });
    assert.equal(association?.deviceSource, 'session');
    assert.equal(association?.checkpoint, path.join(dir, 'chosen-q.pth.tar'));
  });
});
