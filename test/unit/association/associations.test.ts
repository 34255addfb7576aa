// Pairing networks with checkpoints, samples, devices and flags: gen-demos script lines, the settings and
// the modeline, and izer's default sample path.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseGenDemosScript } from '../../../server/src/engine/association/genDemosScript';
import { resolveAssociation, ScriptIndex } from '../../../server/src/workspace/associations';
import { readModeline } from '../../../server/src/engine/model/modeline';
import { parseYamlTree } from '../../../server/src/engine/yaml/yamlTree';

const SCRIPT = `#!/bin/sh
DEVICE="MAX78000"
TARGET="sdk/Examples/$DEVICE/CNN"
COMMON_ARGS="--device $DEVICE --timer 0 --display-checkpoint --verbose"

python ai8xize.py --test-dir $TARGET --prefix mnist --checkpoint-file trained/ai85-mnist-qat8-q.pth.tar --config-file networks/mnist-chw-ai85.yaml --softmax $COMMON_ARGS "$@"
python ai8xize.py --test-dir "$TARGET" --prefix kws20_v3 \\
  --checkpoint-file trained/ai85-kws20_v3-qat8-q.pth.tar --config-file networks/kws20-v3-hwc.yaml \\
  --sample-input tests/sample_kws_20.npy --fifo $COMMON_ARGS "$@"
# python ai8xize.py --config-file networks/commented-out.yaml
`;

describe('gen-demos scripts', () => {
  it('reads each ai8xize.py line with its files, device and other flags, following variables and continuations', () => {
    const inv = parseGenDemosScript(SCRIPT);
    assert.strictEqual(inv.length, 2);
    assert.deepStrictEqual(
      { c: inv[0].configFile, k: inv[0].checkpointFile, s: inv[0].sampleInput, d: inv[0].device, f: inv[0].izerFlags, line: inv[0].line },
      {
        c: 'networks/mnist-chw-ai85.yaml',
        k: 'trained/ai85-mnist-qat8-q.pth.tar',
        s: null,
        d: 'MAX78000',
        f: ['--softmax', '--timer', '0', '--display-checkpoint', '--verbose'],
        line: 5,
      },
    );
    assert.strictEqual(inv[1].sampleInput, 'tests/sample_kws_20.npy');
    assert.ok(inv[1].izerFlags.includes('--fifo'));
    assert.strictEqual(inv[1].line, 6);
  });

  it('ignores lines without --config-file and comments', () => {
    assert.deepStrictEqual(parseGenDemosScript('echo ai8xize.py\n# ai8xize.py --config-file x.yaml\n'), []);
  });
});

describe('resolveAssociation', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-assoc-'));
    for (const d of ['networks', 'trained', 'tests', 'scripts']) fs.mkdirSync(path.join(dir, d));
    fs.writeFileSync(path.join(dir, 'gen-demos-max78000.sh'), SCRIPT);
    fs.writeFileSync(path.join(dir, 'gen-demos-max78002.sh'), SCRIPT.replace('DEVICE="MAX78000"', 'DEVICE="MAX78002"').replace(/ai85-mnist/g, 'ai87-mnist'));
    fs.writeFileSync(
      path.join(dir, 'scripts', 'gen_other.sh'),
      'python ai8xize.py --config-file networks/other.yaml --checkpoint-file trained/other-q.pth.tar --device MAX78002 --overlap-data\n',
    );
    fs.writeFileSync(path.join(dir, 'tests', 'sample_mnist.npy'), '');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const resolve = (yaml: string, text: string, extra: Partial<Parameters<typeof resolveAssociation>[0]> = {}) =>
    resolveAssociation({
      yamlPath: path.join(dir, yaml),
      modeline: readModeline(parseYamlTree(text).comments),
      dataset: /dataset:\s*(\S+)/.exec(text)?.[1] ?? null,
      preferredDevice: null,
      settings: { associations: [], autoAssociate: true },
      workspaceFolders: [dir],
      scripts: new ScriptIndex(() => [dir]),
      ...extra,
    });

  it("takes checkpoint, device and flags from the gen-demos script, and izer's default sample", () => {
    const a = resolve('networks/mnist-chw-ai85.yaml', 'arch: x\ndataset: MNIST\nlayers: []\n');
    assert.strictEqual(a.checkpointPath, path.join(dir, 'trained', 'ai85-mnist-qat8-q.pth.tar'));
    assert.strictEqual(a.checkpointSource, 'gen-demos script');
    assert.strictEqual(a.device, 'MAX78000');
    assert.ok(a.izerFlags.includes('--softmax'));
    assert.strictEqual(a.samplePath, path.join(dir, 'tests', 'sample_mnist.npy'));
    assert.strictEqual(a.sampleSource, 'izer default');
  });

  it('picks the script line for the preferred device', () => {
    const a = resolve('networks/mnist-chw-ai85.yaml', 'arch: x\ndataset: MNIST\nlayers: []\n', { preferredDevice: 'MAX78002' });
    assert.strictEqual(a.checkpointPath, path.join(dir, 'trained', 'ai87-mnist-qat8-q.pth.tar'));
    assert.strictEqual(a.device, 'MAX78002');
  });

  it('reads scripts/gen_*.sh relative to the ai8x-synthesis root', () => {
    const a = resolve('networks/other.yaml', 'arch: x\ndataset: other\nlayers: []\n');
    assert.strictEqual(a.checkpointPath, path.join(dir, 'trained', 'other-q.pth.tar'));
    assert.deepStrictEqual(a.izerFlags, ['--overlap-data']);
    assert.strictEqual(a.samplePath, null, 'no tests/sample_other.npy exists');
    assert.ok(a.sampleCandidates.includes(path.join(dir, 'tests', 'sample_other.npy')));
  });

  it('the modeline wins over scripts, and paths are relative to the YAML file', () => {
    const text = '# ai8x: checkpoint=../trained/mine.pth.tar sample-input="../tests/my sample.npy"\narch: x\ndataset: MNIST\nlayers: []\n';
    const a = resolve('networks/mnist-chw-ai85.yaml', text);
    assert.strictEqual(a.checkpointPath, path.join(dir, 'trained', 'mine.pth.tar'));
    assert.strictEqual(a.checkpointSource, 'modeline');
    assert.strictEqual(a.samplePath, path.join(dir, 'tests', 'my sample.npy'));
  });

  it('settings associations match by glob, relative to the workspace folder', () => {
    const a = resolve('networks/mnist-chw-ai85.yaml', 'arch: x\ndataset: MNIST\nlayers: []\n', {
      settings: {
        associations: [{ pattern: 'networks/mnist-*.yaml', checkpoint: 'trained/from-settings.pth.tar', device: 'MAX78002', izerFlags: ['--fifo'] }],
        autoAssociate: true,
      },
    });
    assert.strictEqual(a.checkpointPath, path.join(dir, 'trained', 'from-settings.pth.tar'));
    assert.strictEqual(a.checkpointSource, 'setting');
    assert.strictEqual(a.device, 'MAX78002');
    assert.deepStrictEqual(a.izerFlags, ['--fifo']);
  });

  it('auto-association can be turned off', () => {
    const a = resolve('networks/mnist-chw-ai85.yaml', 'arch: x\ndataset: MNIST\nlayers: []\n', { settings: { associations: [], autoAssociate: false } });
    assert.strictEqual(a.checkpointPath, null);
  });
});
