// How checkpoint, sample and network files are read from disk (issue 13): only regular files, never more than a hard
// cap whatever size they report, and cached at what their parsed contents really take.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeTorchCheckpoint } from '../../../server/src/engine/checkpoint/writeCheckpoint';
import { FileCache } from '../../../server/src/workspace/fileCache';
import { InputFiles } from '../../../server/src/workspace/inputFiles';
import { readRegularFile } from '../../../server/src/workspace/safeRead';
import { readNetworkFile } from '../../../server/src/cli/args';
import { skipBecause } from '../../support/shared';

/** A Linux file that reports size 0 but has content (skips elsewhere). */
function procFile(ctx: Mocha.Context): string {
  const p = '/proc/self/status';
  if (!fs.existsSync(p) || fs.statSync(p).size !== 0) skipBecause(ctx, `needs Linux's ${p}, a file whose size says 0`);
  return p;
}

/** A uint8 .npy of n elements (np.save's layout). */
function npyUint8(n: number): Uint8Array {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${n},), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.concat([
    Buffer.from([0x93]),
    Buffer.from('NUMPY'),
    Buffer.from([1, 0, header.length & 0xff, header.length >> 8]),
    Buffer.from(header, 'latin1'),
  ]);
  return Buffer.concat([head, Buffer.alloc(n, 5)]);
}

describe('reading input files', () => {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-read-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('only regular files, never past the size they report', () => {
    it('a /proc file (size 0, content without end) is refused unread, and the parser never sees it', function () {
      const file = procFile(this);
      let parsed = 0;
      const cache = new FileCache<number>(
        (b) => {
          parsed++;
          return b.length;
        },
        1 << 20,
        1 << 20,
      );
      const r = cache.get(file);
      assert.equal(parsed, 0);
      assert.match(r.error ?? '', /holds more than the 0 bytes its size says/);
      assert.throws(() => readRegularFile(file, 1 << 20), /holds more than the 0 bytes/);
    });

    it('a modeline checkpoint of /proc/self/pagemap is refused at once (it used to be read until the process died)', function () {
      if (!fs.existsSync('/proc/self/pagemap')) skipBecause(this, "needs Linux's /proc/self/pagemap");
      this.timeout(60_000);
      const probe = path.join(__dirname, 'readProbe.js');
      const r = spawnSync(process.execPath, ['--max-old-space-size=512', probe, 'cache', '/proc/self/pagemap'], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 0, `the read did not end (${r.signal ?? `exit ${r.status}`}): ${(r.stderr ?? '').slice(-400)}`);
      assert.match((JSON.parse(r.stdout) as { error?: string }).error ?? '', /holds more than the 0 bytes/);
    });

    it('pipes, devices and folders are refused without blocking', function () {
      const fifo = path.join(dir, 'fifo');
      if (spawnSync('mkfifo', [fifo]).status !== 0) skipBecause(this, 'mkfifo could not make a pipe here');
      // Opening a FIFO for reading waits for a writer unless it is opened non-blocking.
      assert.throws(() => readRegularFile(fifo, 1024), /is not a regular file \(a pipe\)/);
      if (fs.existsSync('/dev/zero')) assert.throws(() => readRegularFile('/dev/zero', 1024), /is not a regular file \(a device\)/);
      assert.throws(() => readRegularFile(dir, 1024), /is not a regular file \(a folder\)/);
      assert.match(new InputFiles().checkpoints.get(fifo).error ?? '', /not a file/);
    });

    it('reads a regular file whole, and refuses one larger than the cap before reading it', () => {
      const file = path.join(dir, 'data.bin');
      fs.writeFileSync(file, Buffer.alloc(100, 7));
      assert.deepEqual([...readRegularFile(file, 100).bytes], new Array(100).fill(7));
      assert.throws(() => readRegularFile(file, 99), /is 100 bytes, more than the 99 bytes this tool reads/);
      assert.throws(() => readRegularFile(path.join(dir, 'missing'), 99), { code: 'ENOENT' });
    });

    it('the CLI reads a network file the same way', function () {
      const file = procFile(this);
      const written: string[] = [];
      const write = process.stderr.write;
      process.stderr.write = ((s: string) => written.push(s) > 0) as typeof process.stderr.write;
      let text: string | null;
      try {
        text = readNetworkFile('ai8x check', file);
      } finally {
        process.stderr.write = write;
      }
      assert.equal(text, null);
      assert.match(written.join(''), /^ai8x check: \/proc\/self\/status holds more than the 0 bytes/);
    });
  });

  describe('the cache charges what parsed files take', () => {
    it('a checkpoint costs its decoded tensors (uint8 weights decode to 8 times their size)', () => {
      const n = 1 << 18;
      const files = ['a', 'b'].map((name) => {
        const p = path.join(dir, `${name}.pth.tar`);
        const values = Array.from({ length: n }, (_, i) => i % 256);
        fs.writeFileSync(p, writeTorchCheckpoint({ arch: 'a', epoch: 1, stateDict: [{ key: 'l.op.weight', tensor: { dtype: 'uint8', shape: [n], values } }] }));
        return p;
      });
      const saved = process.env.AI8X_CHECKPOINT_CACHE_MB;
      process.env.AI8X_CHECKPOINT_CACHE_MB = '2';
      let inputs: InputFiles;
      try {
        inputs = new InputFiles();
      } finally {
        if (saved === undefined) delete process.env.AI8X_CHECKPOINT_CACHE_MB;
        else process.env.AI8X_CHECKPOINT_CACHE_MB = saved;
      }
      assert.ok(inputs.checkpoints.get(files[0]).value);
      assert.ok(inputs.checkpoints.chargedBytes >= 8 * n, `charged ${inputs.checkpoints.chargedBytes} for ${n} decoded elements`);
      // Two of them (≥ 2 MiB each decoded) do not fit a 2 MiB cache: the older one is dropped.
      assert.ok(inputs.checkpoints.get(files[1]).value);
      assert.equal(inputs.checkpoints.size, 1);
    });

    it('a sample input costs its decoded values', () => {
      const p = path.join(dir, 'sample.npy');
      fs.writeFileSync(p, npyUint8(1 << 20));
      const inputs = new InputFiles();
      assert.equal(inputs.samples.get(p).value?.values.length, 1 << 20);
      assert.ok(inputs.samples.chargedBytes >= 8 << 20, `charged ${inputs.samples.chargedBytes}`);
    });
  });
});
