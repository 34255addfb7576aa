// The application layer (server/src/app): one request, whether from the command line or from an editor document,
// is resolved and checked one way; its choices carry who made them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkRequest, recheckFor } from '../../../server/src/app/check';
import { InputSources } from '../../../server/src/app/inputSources';
import type { NetworkRequest } from '../../../server/src/app/networkRequest';
import { prepareSimulation } from '../../../server/src/app/simulate';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../../server/src/example/exampleNetwork';

describe('application layer: requests to checks', () => {
  let dir: string;
  let network: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-app-'));
    network = path.join(dir, EXAMPLE_FILES.network);
    fs.writeFileSync(network, EXAMPLE_NETWORK_YAML);
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.checkpoint), exampleCheckpointBytes());
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.sample), exampleSampleBytes());
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const request = (over: Partial<NetworkRequest> = {}): NetworkRequest => ({
    text: EXAMPLE_NETWORK_YAML,
    path: network,
    choices: { origin: 'session' },
    ...over,
  });

  it('a device chosen in the editor beats the modeline and is labelled as chosen this session, not as the command line', () => {
    const session = checkRequest(request({ choices: { origin: 'session', device: 'MAX78002' } }), new InputSources([dir]));
    assert.equal(session.result.device.name, 'MAX78002');
    assert.equal(session.result.deviceSource, 'session');
    const cli = checkRequest(request({ choices: { origin: 'command line', device: 'MAX78002' } }), InputSources.forCommandLine(dir));
    assert.equal(cli.result.deviceSource, 'command line');
    const none = checkRequest(request(), new InputSources([dir]));
    assert.equal(none.result.deviceSource, 'modeline');
  });

  it('a checkpoint chosen this session is what the status names, and the check reads it', () => {
    const copy = path.join(dir, 'chosen-q.pth.tar');
    fs.copyFileSync(path.join(dir, EXAMPLE_FILES.checkpoint), copy);
    const r = checkRequest(request({ choices: { origin: 'session', checkpoint: copy } }), new InputSources([dir]));
    assert.equal(r.info.checkpointPath, copy);
    assert.equal(r.info.checkpointSource, 'chosen in this session');
    assert.equal(r.inputs.checkpointPath, copy);
    assert.ok(r.result.analysis?.checkpoint, 'the full analysis ran on the chosen checkpoint');
    assert.deepEqual(
      r.result.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  });

  it("checks edited texts (quick fixes, fix all, the allocator) exactly as the live check does, the request's line break included", () => {
    // A CRLF file where izer's yamllint expects CRLF (izer on Windows): the live check and the re-check agree.
    const crlf = EXAMPLE_NETWORK_YAML.replace(/\n/g, '\r\n');
    const req = request({ text: crlf, newline: '\r\n' });
    const sources = new InputSources([dir]);
    const live = checkRequest(req, sources).result.diagnostics.map((d) => `${d.code}@${d.range[0]}`);
    const again = recheckFor(req, sources)(crlf).diagnostics.map((d) => `${d.code}@${d.range[0]}`);
    assert.deepEqual(again, live);
    assert.ok(!live.some((c) => c.startsWith('YL003')), 'no line-end finding: CRLF is what yamllint expects here');
    // With LF expected, the same text is a yamllint finding on both paths.
    const lf = request({ text: crlf, newline: '\n' });
    assert.ok(recheckFor(lf, sources)(crlf).diagnostics.some((d) => d.code === 'YL003'));
  });

  it('a seeded random input replaces the sample, with its shape, and is the same values every time', () => {
    const sources = new InputSources([dir]);
    const a = prepareSimulation(request({ randomInput: { seed: 7 } }), sources);
    const b = prepareSimulation(request({ randomInput: { seed: 7 } }), sources);
    assert.ok(a.ok && b.ok);
    assert.equal(a.samplePath, null);
    assert.deepEqual(a.sample.shape, [1, 16, 16]);
    assert.deepEqual(Array.from(a.sample.values), Array.from(b.sample.values));
    const shaped = prepareSimulation(request({ randomInput: { seed: 7, shape: [1, 16, 16] } }), sources);
    assert.ok(shaped.ok);
    const bad = prepareSimulation(request({ randomInput: { seed: 7, shape: [1, 2, 3, 4, 5] } }), sources);
    assert.equal(bad.ok ? 'ok' : bad.reason, 'no-input-shape');
  });

  it('says why a simulation cannot run as a typed reason (each front end words it)', () => {
    const sources = new InputSources([dir]);
    const noCheckpoint = EXAMPLE_NETWORK_YAML.replace(/ checkpoint=\S+/, '');
    const r = prepareSimulation(request({ text: noCheckpoint }), sources);
    assert.equal(r.ok ? 'ok' : r.reason, 'no-checkpoint');
    const missing = prepareSimulation(request({ choices: { origin: 'command line', sampleInput: path.join(dir, 'none.npy') } }), sources);
    assert.ok(!missing.ok && missing.reason === 'sample-unreadable' && /does not exist/.test(missing.error));
  });
});
