// Runs the real ai8x-synthesis when AI8X_SYNTHESIS_PATH and AI8X_PYTHON point to a working installation
// (see ../shared/oracle/HOWTO-izer.md); skipped with a message otherwise.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../../../server/src/engine/lineIndex';
import { listFiles, MANIFEST_NAME } from '../../../server/src/synthesis/manifest';
import { repoRoot, requireShared } from '../../support/shared';
import { tempDir } from './standIn';

describe('synthesis with the real izer', function () {
  this.timeout(180000);
  const synth = process.env.AI8X_SYNTHESIS_PATH;
  const python = process.env.AI8X_PYTHON;
  let shared: string;
  let cli: string;
  let root: string;

  before(function () {
    if (!synth || !python) {
      console.log('      (skipped: set AI8X_SYNTHESIS_PATH and AI8X_PYTHON to an ai8x-synthesis installation to run the real-izer tests)');
      this.skip();
    }
    shared = requireShared(this, 'ai8x-synthesis');
    cli = path.join(repoRoot(), 'dist', 'cli.js');
    if (!fs.existsSync(cli)) {
      console.log(`      (skipped: ${cli} not built)`);
      this.skip();
    }
    root = tempDir('real izer');
  });
  after(() => root && fs.rmSync(root, { recursive: true, force: true }));

  it('writes the same files with the same contents as izer run by hand', function () {
    const network = path.join(shared, 'networks', 'mnist-chw-ai85.yaml');
    const checkpoint = path.join(shared, 'trained', 'ai85-mnist-qat8-q.pth.tar');
    const outDir = path.join(root, 'out dir');
    const flags = ['--softmax', '--timer', '0', '--no-version-check'];
    const ours = spawnSync(
      process.execPath,
      [
        cli,
        'synthesize',
        network,
        '--checkpoint',
        checkpoint,
        '--prefix',
        'mnist',
        '--device',
        'MAX78000',
        '--out',
        outDir,
        '--synthesis-path',
        synth!,
        '--python',
        python!,
        '--',
        ...flags,
      ],
      { encoding: 'utf8' },
    );
    assert.strictEqual(ours.status, 0, ours.stderr);
    assert.match(ours.stdout, /weights: [\d,]+ of 442,368 bytes/);
    const oursDir = path.join(root, 'ours');
    fs.renameSync(path.join(outDir, 'mnist'), oursDir);

    // The same run by hand, into the same folder: izer's own order of our arguments, then --overwrite.
    const byHand = spawnSync(
      python!,
      [
        'ai8xize.py',
        '--test-dir',
        outDir,
        '--prefix',
        'mnist',
        '--checkpoint-file',
        checkpoint,
        '--config-file',
        network,
        '--device',
        'MAX78000',
        ...flags,
        '--overwrite',
      ],
      { cwd: synth, encoding: 'utf8' },
    );
    assert.strictEqual(byHand.status, 0, byHand.stderr);
    const handDir = path.join(outDir, 'mnist');

    const oursFiles = listFiles(oursDir);
    assert.ok(fs.existsSync(path.join(oursDir, MANIFEST_NAME)), 'our manifest is there');
    assert.deepStrictEqual(oursFiles, listFiles(handDir));
    for (const f of ['cnn.c', 'cnn.h', 'weights.h', 'main.c', 'log.txt', 'Makefile', 'sampledata.h']) assert.ok(oursFiles.includes(f), f);
    const differing = oursFiles.filter((f) => !fs.readFileSync(path.join(oursDir, f)).equals(fs.readFileSync(path.join(handDir, f))));
    assert.deepStrictEqual(differing, []);
  });

  it('puts real izer errors on the YAML line of the layer they name', function () {
    const network = requireShared(this, 'oracle', 'mutations', 'MAX78000-mnist', '01-procs-too-few-bits.yaml');
    const checkpoint = path.join(shared, 'trained', 'ai85-mnist-qat8-q.pth.tar');
    const outDir = path.join(root, 'err');
    const r = spawnSync(
      process.execPath,
      [
        cli,
        'synthesize',
        network,
        '--checkpoint',
        checkpoint,
        '--prefix',
        'bad',
        '--out',
        outDir,
        '--synthesis-path',
        synth!,
        '--python',
        python!,
        '--',
        '--no-version-check',
      ],
      { encoding: 'utf8' },
    );
    assert.strictEqual(r.status, 1, r.stderr);
    const m = /:(\d+):(\d+): error AX500 izer: Layer 0: 60 output channels/.exec(r.stdout);
    assert.ok(m, r.stdout);
    const text = fs.readFileSync(network, 'utf8');
    const line = Number(m![1]) - 1;
    const lines = new LineIndex(text);
    const layer0 = text.indexOf('- ', text.indexOf('layers:'));
    const layer1 = text.indexOf('\n  - ', layer0 + 2);
    assert.ok(line >= lines.position(layer0).line && line < lines.position(layer1 + 1).line, `line ${line + 1} is in layer 0`);
    assert.ok(!fs.existsSync(path.join(outDir, 'bad')));
  });
});
