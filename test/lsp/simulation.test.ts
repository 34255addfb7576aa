// The simulator's language-server requests: a run on the built-in example (associated sample, a chosen file, a
// seeded random input) with progress, layer export as .npy and the sampleoutput.h text, cancellation of a long
// run, and every failure answered with a clear message while the server stays up.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import { LSPErrorCodes } from 'vscode-languageserver-protocol';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../server/src/example/exampleNetwork';
import { checkNetwork, looksLikeNetwork } from '../../server/src/engine/check';
import { readCheckpoint } from '../../server/src/engine/checkpoint/readCheckpoint';
import { readNpy, writeNpy } from '../../server/src/engine/sample/npy';
import { knownAnswerHeader, parseKnownAnswerHeader, simulate } from '../../server/src/engine/simulate';
import {
  AssociationRequest,
  ExportLayerRequest,
  KernelMapRequest,
  KnownAnswerHeaderRequest,
  RunSimulationParams,
  RunSimulationRequest,
  RunSimulationResult,
  SimulationFailure,
  SimulationInput,
  SimulationProgressNotification,
  SimulationProgressParams,
  SimulationSuccess,
} from '../../server/src/protocol';
import { LspSession } from '../support/lspSession';
import { convStack } from '../support/simulationFixtures';

describe('LSP: simulation requests', function () {
  this.timeout(60000);
  let dir: string;
  let session: LspSession;
  const progress: SimulationProgressParams[] = [];
  let runCount = 0;

  const write = (name: string, data: string | Uint8Array) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, data);
    return file;
  };
  const openFile = async (name: string, text: string) => {
    const uri = pathToFileURL(write(name, text)).href;
    await session.open(uri, text, 1);
    return uri;
  };
  const run = (uri: string, input: SimulationInput = { kind: 'associated' }, source?: CancellationTokenSource) => {
    const params: RunSimulationParams = { uri, input, runId: `run-${++runCount}` };
    return session.conn.sendRequest(RunSimulationRequest, params, source?.token);
  };
  const until = async (what: string, test: () => boolean, timeoutMs = 30000) => {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const success = (r: RunSimulationResult): SimulationSuccess => {
    assert.equal(r.ok, true, r.ok ? '' : `${r.reason}: ${r.message} ${r.details.join(' | ')}`);
    return r as SimulationSuccess;
  };
  const failure = (r: RunSimulationResult): SimulationFailure => {
    assert.equal(r.ok, false, 'the run fails');
    return r as SimulationFailure;
  };

  /** The engine's own simulation of the example with its files, in this process. */
  const reference = (sampleBytes = exampleSampleBytes()) => {
    const result = checkNetwork({
      text: EXAMPLE_NETWORK_YAML,
      fileName: EXAMPLE_FILES.network,
      resolveInputs: () => ({ checkpoint: readCheckpoint(exampleCheckpointBytes()), sample: readNpy(sampleBytes) }),
    });
    return simulate(result.analysis!.plan!, readNpy(sampleBytes), { device: result.device, flags: result.flags });
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-lsp-sim-'));
    write(EXAMPLE_FILES.checkpoint, exampleCheckpointBytes());
    write(EXAMPLE_FILES.sample, exampleSampleBytes());
    session = await LspSession.start({ settings: {}, workspaceFolders: [dir] });
    session.conn.onNotification(SimulationProgressNotification, (p) => {
      progress.push(p);
    });
  });
  after(() => {
    session?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the example on its associated sample: layer summaries, classifier output, known answer, progress', async () => {
    const uri = await openFile(EXAMPLE_FILES.network, EXAMPLE_NETWORK_YAML);
    const r = success(await run(uri));
    const ref = reference();
    assert.equal(r.network, EXAMPLE_FILES.network);
    assert.equal(r.device, 'MAX78000');
    assert.deepEqual(r.input, { kind: 'associated', label: EXAMPLE_FILES.sample, shape: [1, 16, 16] });
    assert.deepEqual(
      r.layers.map((l) => [l.index, l.name, l.op, l.shape.join('x'), l.width]),
      [
        [0, 'conv1', 'conv2d', '8x16x16', 8],
        [1, 'conv2', 'conv2d', '16x8x8', 8],
        [2, 'conv3', 'conv2d', '16x4x4', 8],
        [3, 'fc', 'linear', '10x1x1', 32],
      ],
    );
    r.layers.forEach((l, i) => {
      const v = ref.layers[i].values!;
      assert.equal(l.min, Math.min(...v));
      assert.equal(l.max, Math.max(...v));
      assert.equal(
        l.histogram.counts.reduce((a, b) => a + b, 0),
        v.length,
        'the histogram counts every value',
      );
      assert.equal(l.macs, ref.layers[i].macs);
      assert.ok(l.ms >= 0);
    });
    assert.deepEqual(r.knownAnswer, ref.knownAnswer);
    assert.equal(r.knownAnswerWords, 10);
    assert.equal(r.output.classifier, true);
    assert.deepEqual(r.output.values, Array.from(ref.output.values!));
    assert.equal(r.output.top!.length, 5);
    assert.equal(r.output.top![0].value, Math.max(...r.output.values));
    assert.ok(Math.abs(r.output.probabilities!.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    const mine = progress.filter((p) => p.runId === r.runId);
    assert.deepEqual(
      mine.map((p) => [p.done, p.expected, p.layer]),
      [
        [1, 4, 0],
        [2, 4, 1],
        [3, 4, 2],
        [4, 4, 3],
      ],
    );
  });

  it('exports a layer as .npy (int64, C×H×W) and the known answer as sampleoutput.h', async () => {
    const uri = pathToFileURL(path.join(dir, EXAMPLE_FILES.network)).href;
    const r = success(await run(uri));
    const ref = reference();
    for (const layer of [0, 3]) {
      const e = await session.conn.sendRequest(ExportLayerRequest, { runId: r.runId, layer });
      assert.ok(e.ok, e.ok ? '' : e.message);
      if (!e.ok) return;
      const npy = readNpy(new Uint8Array(Buffer.from(e.base64, 'base64')));
      assert.equal(npy.dtype, 'int64');
      assert.deepEqual(npy.shape, ref.layers[layer].shape);
      assert.deepEqual(Array.from(npy.values), Array.from(ref.layers[layer].values!));
      assert.match(e.fileName, new RegExp(`^tinynet-layer0${layer}-(conv1|fc)\\.npy$`));
    }
    const h = await session.conn.sendRequest(KnownAnswerHeaderRequest, { runId: r.runId });
    assert.ok(h.ok);
    if (!h.ok) return;
    assert.equal(h.text, knownAnswerHeader(ref.knownAnswer));
    assert.deepEqual(parseKnownAnswerHeader(h.text), r.knownAnswer);
    const missing = await session.conn.sendRequest(ExportLayerRequest, { runId: r.runId, layer: 9 });
    assert.deepEqual(missing, { ok: false, message: 'Layer 9 did not run in this simulation.' });
    // A newer run of the same document replaces the old one's tensors.
    success(await run(uri));
    const stale = await session.conn.sendRequest(KnownAnswerHeaderRequest, { runId: r.runId });
    assert.equal(stale.ok, false);
    assert.match((stale as { message: string }).message, /no longer available/);
  });

  it('runs on a chosen .npy file and on a seeded random input', async () => {
    const uri = pathToFileURL(path.join(dir, EXAMPLE_FILES.network)).href;
    const values = Array.from({ length: 256 }, (_, i) => ((i * 37) % 256) - 128);
    const other = writeNpy([1, 16, 16], values);
    write('other.npy', other);
    const fromFile = success(await run(uri, { kind: 'file', path: path.join(dir, 'other.npy') }));
    assert.equal(fromFile.input.label, 'other.npy');
    assert.deepEqual(fromFile.knownAnswer, reference(other).knownAnswer);

    const a = success(await run(uri, { kind: 'random', seed: 11 }));
    const b = success(await run(uri, { kind: 'random', seed: 11 }));
    const c = success(await run(uri, { kind: 'random', seed: 12 }));
    assert.equal(a.input.label, 'random (seed 11)');
    assert.deepEqual(a.input.shape, [1, 16, 16], 'the shape of the associated sample');
    assert.deepEqual(a.output.values, b.output.values);
    assert.notDeepEqual(a.output.values, c.output.values);
  });

  it('answers every failure with a clear message and keeps serving', async () => {
    const noCkpt = await openFile('no-checkpoint.yaml', EXAMPLE_NETWORK_YAML.replace(/^# ai8x:.*$/m, '# ai8x: device=MAX78000'));
    let f = failure(await run(noCkpt));
    assert.equal(f.reason, 'no-checkpoint');
    assert.match(f.message, /No checkpoint is associated with no-checkpoint\.yaml/);

    const noSample = await openFile('no-sample.yaml', EXAMPLE_NETWORK_YAML.replace(/ sample-input=\S+/, ''));
    f = failure(await run(noSample));
    assert.equal(f.reason, 'no-sample');
    assert.match(f.message, /izer reads its default tests\/sample_tinynet\.npy from the ai8x-synthesis folder; looked for (.*): none exists\./);
    // The full paths looked for, each once (issue 12: the same name three times said nothing).
    const looked = /looked for (.*): none exists/.exec(f.message)![1].split(', ');
    assert.ok(looked.length >= 2, f.message);
    assert.strictEqual(new Set(looked).size, looked.length, f.message);
    for (const p of looked) {
      assert.ok(path.isAbsolute(p), p);
      assert.strictEqual(path.basename(p), 'sample_tinynet.npy');
      assert.strictEqual(path.basename(path.dirname(p)), 'tests');
    }
    f = failure(await run(noSample, { kind: 'random', seed: 1 }));
    assert.equal(f.reason, 'no-input-shape');
    success(await run(noSample, { kind: 'random', seed: 1, shape: [1, 16, 16] }));

    const uri = pathToFileURL(path.join(dir, EXAMPLE_FILES.network)).href;
    f = failure(await run(uri, { kind: 'file', path: path.join(dir, EXAMPLE_FILES.checkpoint) }));
    assert.equal(f.reason, 'sample-unreadable');
    f = failure(await run(uri, { kind: 'file', path: path.join(dir, 'nowhere.npy') }));
    assert.equal(f.reason, 'sample-unreadable');
    assert.match(f.message, /does not exist/);

    const bad = await openFile(
      'errors.yaml',
      EXAMPLE_NETWORK_YAML.replace(
        'kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    data_format',
        'kernel_size: 5x5\n    pad: 1\n    activate: ReLU\n    data_format',
      ),
    );
    f = failure(await run(bad));
    assert.equal(f.reason, 'network-errors');
    assert.match(f.message, /errors\.yaml has \d+ errors?; fix/);
    assert.ok(
      f.details.some((d) => /^\d+:\d+ IZ\d+ /.test(d)),
      f.details.join('\n'),
    );

    // A sample of the wrong shape for the network: the checks stop it before the simulator.
    write('wrong.npy', writeNpy([3, 16, 16], new Array(768).fill(1)));
    f = failure(await run(uri, { kind: 'file', path: path.join(dir, 'wrong.npy') }));
    assert.equal(f.reason, 'network-errors');
    assert.ok(
      f.details.some((d) => /sample input has 3 channels/.test(d)),
      f.details.join('\n'),
    );

    f = failure(await run(pathToFileURL(path.join(dir, 'closed.yaml')).href));
    assert.equal(f.reason, 'not-open');
    const plain = await openFile('plain.yaml', 'name: not a network\n');
    assert.equal(failure(await run(plain)).reason, 'not-network');

    // Still alive and correct.
    assert.deepEqual(success(await run(uri)).knownAnswer, reference().knownAnswer);
    assert.deepEqual(session.errorLogs(), []);
  });

  it('simulates a file recognised only by the setting ai8x.networkFiles, as the diagnostics treat it, and refuses it without the setting', async () => {
    // Quoted keys: a valid network that the content test (top-level `arch:` and `layers:`) does not recognise.
    const text = EXAMPLE_NETWORK_YAML.replace(/^arch:/m, '"arch":').replace(/^layers:/m, '"layers":');
    assert.ok(!looksLikeNetwork(text));
    const uri = await openFile('quoted.net.yaml', text);
    const refused = failure(await run(uri));
    assert.equal(refused.reason, 'not-network');
    assert.match(refused.message, /ai8x\.networkFiles/);
    assert.equal((await session.conn.sendRequest(AssociationRequest, { uri }))?.isNetwork, false);

    const withSetting = await LspSession.start({ settings: { networkFiles: ['**/*.net.yaml'] }, workspaceFolders: [dir] });
    try {
      await withSetting.open(uri, text, 1);
      const published = await withSetting.diagnosticsFor(uri, 1);
      assert.deepEqual(
        published.diagnostics.filter((d) => d.severity === 1),
        [],
        'checked like any network, without errors',
      );
      assert.equal((await withSetting.conn.sendRequest(AssociationRequest, { uri }))?.isNetwork, true);
      const r = success(await withSetting.conn.sendRequest(RunSimulationRequest, { uri, input: { kind: 'associated' }, runId: 'network-files' }));
      assert.deepEqual(r.knownAnswer, reference().knownAnswer);
      const map = await withSetting.conn.sendRequest(KernelMapRequest, { uri });
      assert.ok(map.model, `the kernel map is available: ${map.unavailable}`);
    } finally {
      withSetting.dispose();
    }
  });

  it("cancels a long run through the request's cancellation (RequestCancelled), and runs again afterwards", async () => {
    const big = convStack(8);
    write('convstack-q.pth.tar', big.checkpoint);
    write('convstack-sample.npy', big.sample);
    const uri = await openFile('convstack.yaml', `# ai8x: checkpoint=convstack-q.pth.tar sample-input=convstack-sample.npy\n${big.yaml}`);
    const source = new CancellationTokenSource();
    const started = progress.length;
    const t0 = Date.now();
    const pending = run(uri, { kind: 'associated' }, source);
    await until('the first layer of the long run', () => progress.slice(started).some((p) => p.expected === 8));
    source.cancel();
    await assert.rejects(pending, (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
    const done = progress.slice(started).filter((p) => p.expected === 8).length;
    assert.ok(done < 8, `stopped early (${done} of 8 layers, ${Date.now() - t0} ms)`);
    const example = pathToFileURL(path.join(dir, EXAMPLE_FILES.network)).href;
    assert.deepEqual(success(await run(example)).knownAnswer, reference().knownAnswer);
  });
});
