// The seam for native synthesis: the synthesize workflow takes a NativeGenerator (the engine's C-code generator once
// it exists) and places what it makes with the same safety as izer's output; without one it refuses in words.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputSources } from '../../../server/src/app/inputSources';
import { NATIVE_GENERATOR, NativeGenerator } from '../../../server/src/app/nativeGenerator';
import type { NetworkRequest } from '../../../server/src/app/networkRequest';
import { SynthesisRequest, synthesisInputs, synthesizeNetwork } from '../../../server/src/app/synthesize';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../../server/src/example/exampleNetwork';
import { MANIFEST_NAME, readManifest } from '../../../server/src/synthesis/manifest';

describe('application layer: native synthesis seam', () => {
  let dir: string;
  let network: string;
  let out: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-native-'));
    network = path.join(dir, EXAMPLE_FILES.network);
    fs.writeFileSync(network, EXAMPLE_NETWORK_YAML);
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.checkpoint), exampleCheckpointBytes());
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.sample), exampleSampleBytes());
    out = path.join(dir, 'out');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const request = (text = EXAMPLE_NETWORK_YAML): SynthesisRequest => {
    const req: NetworkRequest = { text, path: network, choices: { origin: 'command line' } };
    return {
      engine: 'native',
      inputs: synthesisInputs(req, InputSources.forCommandLine(dir), 'native'),
      network,
      networkText: text,
      prefix: 'tiny',
      testDir: out,
      mode: 'project',
    };
  };

  it('refuses in words when no generator is given, and writes nothing', async () => {
    const r = await synthesizeNetwork(request(), { native: null });
    assert.equal(r.status, 'refused');
    assert.match(r.problem ?? '', /no native C-code generator; synthesize with izer/);
    assert.ok(!fs.existsSync(out));
  });

  it("gives the generator the network's full analysis and flags, and places its files with a manifest", async () => {
    let seen: Parameters<NativeGenerator>[0] | null = null;
    const generator: NativeGenerator = (input) => {
      seen = input;
      return {
        ok: true,
        files: [
          { path: 'cnn.c', contents: '/* cnn */\n' },
          { path: 'sub/weights.h', contents: new Uint8Array([1, 2, 3]) },
        ],
        warnings: ['a warning the generator gives'],
      };
    };
    const r = await synthesizeNetwork(request(), { native: generator });
    assert.equal(r.status, 'ok', r.problem);
    const given = seen as Parameters<NativeGenerator>[0] | null;
    assert.ok(given?.analysis.memory, 'the analysis with the kernel and bias allocation');
    assert.deepEqual(given.result.flags.argv, ['--softmax'], "the modeline's izer flags");
    assert.equal(given.prefix, 'tiny');
    const target = path.join(out, 'tiny');
    assert.equal(fs.readFileSync(path.join(target, 'cnn.c'), 'utf8'), '/* cnn */\n');
    assert.deepEqual([...fs.readFileSync(path.join(target, 'sub', 'weights.h'))], [1, 2, 3]);
    assert.deepEqual(r.files, ['cnn.c', 'sub/weights.h']);
    assert.deepEqual(Object.keys(readManifest(target)?.files ?? {}), ['cnn.c', 'sub/weights.h']);
    assert.ok(fs.existsSync(path.join(target, MANIFEST_NAME)));
    assert.deepEqual(
      r.messages.filter((m) => m.severity === 'warning').map((m) => m.text),
      ['a warning the generator gives'],
      "the generator's warnings reach the outcome",
    );
  });

  it("passes on the generator's refusal in its words", async () => {
    const r = await synthesizeNetwork(request(), { native: () => ({ ok: false, flag: '--softmax', message: 'softmax is not generated yet' }) });
    assert.equal(r.status, 'refused');
    assert.equal(r.problem, 'softmax is not generated yet');
    assert.ok(!fs.existsSync(path.join(out, 'tiny')));
  });

  it('with the real generator: writes the whole MSDK project, records how it was made, and names what it refuses', async () => {
    const r = await synthesizeNetwork(request(), { native: NATIVE_GENERATOR });
    assert.equal(r.status, 'ok', r.problem);
    const target = path.join(out, 'tiny');
    for (const f of [
      'cnn.c',
      'cnn.h',
      'main.c',
      'weights.h',
      'sampledata.h',
      'sampleoutput.h',
      'softmax.c',
      'Makefile',
      'project.mk',
      'log.txt',
      '.vscode/tasks.json',
    ])
      assert.ok(fs.existsSync(path.join(target, f)), f);
    assert.match(r.commandLine, /^ai8x synthesize tinynet\.yaml --device MAX78000 --checkpoint tinynet-q\.pth\.tar .*-- --softmax$/);
    assert.ok(fs.readFileSync(path.join(target, 'cnn.c'), 'utf8').includes(r.commandLine), 'the files say how they were made');
    const refused = await synthesizeNetwork(request(EXAMPLE_NETWORK_YAML.replace('izer-flags="--softmax"', 'izer-flags="--softmax --zero-unused"')), {
      native: NATIVE_GENERATOR,
    });
    assert.equal(refused.status, 'refused');
    assert.match(refused.problem ?? '', /does not support --zero-unused .*synthesize this network with izer/);
  });

  it('does not call the generator for a network with errors, and never writes outside the project', async () => {
    let called = false;
    const broken = EXAMPLE_NETWORK_YAML.replace('processors: 0x00000000000000ff', 'processors: 0x000000000000000f');
    const r = await synthesizeNetwork(request(broken), { native: () => ((called = true), { ok: true, files: [], warnings: [] }) });
    assert.equal(r.status, 'refused');
    assert.ok(!called);
    assert.ok(r.diagnostics.length > 0, "the errors are the outcome's diagnostics");
    const escape = await synthesizeNetwork(request(), { native: () => ({ ok: true, files: [{ path: '../escaped.c', contents: 'x' }], warnings: [] }) });
    assert.equal(escape.status, 'failed');
    assert.match(escape.problem ?? '', /not a plain path inside the project/);
    assert.ok(!fs.existsSync(path.join(out, 'escaped.c')) && !fs.existsSync(path.join(out, 'tiny')));
  });
});
