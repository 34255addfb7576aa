// The one writer (server/src/shared/safeWrite.ts): whole files or nothing, links replaced instead of written through,
// and an existing file kept when asked.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileSafely } from '../../../server/src/shared/safeWrite';

describe('writeFileSafely', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-write-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes and replaces a file, leaving no temporary file behind', () => {
    const f = path.join(dir, 'a.yaml');
    writeFileSafely(f, 'one');
    writeFileSafely(f, new Uint8Array([116, 119, 111]));
    assert.equal(fs.readFileSync(f, 'utf8'), 'two');
    assert.deepEqual(fs.readdirSync(dir), ['a.yaml']);
  });

  it('replaces a link in the place of the file instead of writing through it', () => {
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    const f = path.join(dir, 'out.yaml');
    fs.symlinkSync(victim, f);
    writeFileSafely(f, 'new');
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me');
    assert.ok(!fs.lstatSync(f).isSymbolicLink());
    assert.equal(fs.readFileSync(f, 'utf8'), 'new');
  });

  it('with replace: false keeps an existing file (EEXIST) and leaves nothing of its own', () => {
    const f = path.join(dir, 'net.yaml');
    fs.writeFileSync(f, 'mine');
    assert.throws(
      () => writeFileSafely(f, 'theirs', { replace: false }),
      (e: NodeJS.ErrnoException) => e.code === 'EEXIST',
    );
    assert.equal(fs.readFileSync(f, 'utf8'), 'mine');
    assert.deepEqual(fs.readdirSync(dir), ['net.yaml']);
    writeFileSafely(path.join(dir, 'fresh.yaml'), 'x', { replace: false });
    assert.equal(fs.readFileSync(path.join(dir, 'fresh.yaml'), 'utf8'), 'x');
  });

  it('fails in words of the file system when the folder is missing, and writes nothing', () => {
    assert.throws(
      () => writeFileSafely(path.join(dir, 'no', 'such', 'x'), 'x'),
      (e: NodeJS.ErrnoException) => e.code === 'ENOENT',
    );
  });
});
