// The one way files the user names are written: a temporary file next to the target, then one step into place;
// an existing file (or a link) is never written through, and is replaced only when asked.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileExistsError, writeFileSafely } from '../../../server/src/shared/safeWrite';

describe('writeFileSafely', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-atomic-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bytes = (s: string) => new TextEncoder().encode(s);
  const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  it('writes a new file, and refuses an existing one unless asked to replace it', () => {
    const f = path.join(dir, 'out.pth.tar');
    writeFileSafely(f, bytes('one'), { replace: false });
    assert.equal(fs.readFileSync(f, 'utf8'), 'one');
    assert.throws(() => writeFileSafely(f, bytes('two'), { replace: false }), FileExistsError);
    assert.equal(fs.readFileSync(f, 'utf8'), 'one');
    writeFileSafely(f, bytes('three'), { replace: true });
    assert.equal(fs.readFileSync(f, 'utf8'), 'three');
    assert.deepEqual(leftovers(), []);
  });

  it('a link in the target’s place is replaced (with replace) or refused, never written through', () => {
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'keep');
    const link = path.join(dir, 'out.pth.tar');
    fs.symlinkSync(victim, link);
    assert.throws(() => writeFileSafely(link, bytes('x'), { replace: false }), FileExistsError);
    writeFileSafely(link, bytes('new'), { replace: true });
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep');
    assert.equal(fs.lstatSync(link).isSymbolicLink(), false);
    assert.equal(fs.readFileSync(link, 'utf8'), 'new');
  });

  it('a folder that does not exist is an error with its code, and nothing is left behind', () => {
    assert.throws(
      () => writeFileSafely(path.join(dir, 'missing', 'out.pth.tar'), bytes('x'), { replace: false }),
      (e: NodeJS.ErrnoException) => e.code === 'ENOENT',
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
