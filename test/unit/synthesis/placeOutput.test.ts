// Putting izer's output in place: "update network only" replaces its files all or nothing, and never writes
// through a link in the project.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { replaceFiles } from '../../../server/src/synthesis/placeOutput';
import { tempDir } from './standIn';

/** Everything under dir, hidden files included: file → contents, link → "-> where", folder → "/". */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(path.join(dir, r));
      if (st.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(path.join(dir, r))}`;
      else if (st.isDirectory()) {
        out[r] = '/';
        walk(r);
      } else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
    }
  };
  walk('');
  return out;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
}

describe('"update network only" replaces its files as a set', () => {
  let root: string;
  let generated: string;
  let target: string;
  let outside: string;
  const files = ['cnn.c', 'cnn.h', 'weights.h', 'log.txt', 'sub/extra.h'];

  beforeEach(() => {
    root = tempDir('place');
    generated = path.join(root, 'generated');
    target = path.join(root, 'project');
    outside = path.join(root, 'outside');
    write(generated, { 'cnn.c': 'new cnn.c', 'cnn.h': 'new cnn.h', 'weights.h': 'new weights.h', 'log.txt': 'new log', 'sub/extra.h': 'new extra' });
    // log.txt and sub/ are new to the project.
    write(target, { 'cnn.c': 'old cnn.c', 'cnn.h': 'old cnn.h', 'weights.h': 'old weights.h', 'main.c': 'mine' });
    write(outside, { 'shared.h': 'shared', 'dir/keep.txt': 'keep' });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const siblings = () => fs.readdirSync(root).sort();

  it('replaces every file and leaves nothing else behind', () => {
    const r = replaceFiles(generated, target, files, { backup: false });
    assert.deepStrictEqual(r.replaced, files);
    assert.deepStrictEqual(snapshot(target), {
      'cnn.c': 'new cnn.c',
      'cnn.h': 'new cnn.h',
      'log.txt': 'new log',
      'main.c': 'mine',
      sub: '/',
      'sub/extra.h': 'new extra',
      'weights.h': 'new weights.h',
    });
    assert.deepStrictEqual(siblings(), ['generated', 'outside', 'project']);
  });

  it('puts every file back when any one rename fails, whichever it is', () => {
    const before = snapshot(target);
    const pristine = path.join(root, 'pristine');
    fs.cpSync(target, pristine, { recursive: true });
    let total = 0;
    replaceFiles(generated, target, files, {
      backup: false,
      rename: (a, b) => {
        total++;
        fs.renameSync(a, b);
      },
    });
    assert.ok(total >= files.length, `${total} renames`);
    for (let k = 1; k <= total; k++) {
      for (const backup of [false, true]) {
        fs.rmSync(target, { recursive: true });
        fs.cpSync(pristine, target, { recursive: true });
        let n = 0;
        const rename = (a: string, b: string) => {
          if (++n === k) throw Object.assign(new Error(`EIO: forced failure of rename ${k}`), { code: 'EIO' });
          fs.renameSync(a, b);
        };
        assert.throws(() => replaceFiles(generated, target, files, { backup, rename }), /forced failure/, `rename ${k}`);
        assert.deepStrictEqual(snapshot(target), before, `rename ${k} failed${backup ? ' (with backup)' : ''}: the project is as it was`);
        assert.deepStrictEqual(siblings(), ['generated', 'outside', 'pristine', 'project'], 'no backup folder is left either');
      }
    }
  });

  it('refuses, before touching anything, a destination that is a folder', () => {
    fs.mkdirSync(path.join(target, 'log.txt'));
    fs.writeFileSync(path.join(target, 'log.txt', 'notes'), 'mine');
    const before = snapshot(target);
    assert.throws(() => replaceFiles(generated, target, files, { backup: true }), /log\.txt.*is a folder/);
    assert.deepStrictEqual(snapshot(target), before);
    assert.deepStrictEqual(siblings(), ['generated', 'outside', 'project']);
  });

  it('never writes through a folder in the project that is a link to outside it', () => {
    fs.symlinkSync(path.join(outside, 'dir'), path.join(target, 'sub'));
    const before = snapshot(target);
    assert.throws(() => replaceFiles(generated, target, files, { backup: false }), /sub is a link to .*outside/);
    assert.deepStrictEqual(snapshot(target), before);
    assert.deepStrictEqual(snapshot(outside), { dir: '/', 'dir/keep.txt': 'keep', 'shared.h': 'shared' });
  });

  it('replaces a link (to a file outside, or to nowhere) by the new file, and keeps the link itself in the backup', () => {
    fs.rmSync(path.join(target, 'weights.h'));
    fs.symlinkSync(path.join(outside, 'shared.h'), path.join(target, 'weights.h'));
    fs.rmSync(path.join(target, 'cnn.h'));
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(target, 'cnn.h'));
    const r = replaceFiles(generated, target, files, { backup: true });
    assert.strictEqual(fs.readFileSync(path.join(outside, 'shared.h'), 'utf8'), 'shared', 'the linked file is untouched');
    assert.ok(fs.lstatSync(path.join(target, 'weights.h')).isFile());
    assert.strictEqual(fs.readFileSync(path.join(target, 'weights.h'), 'utf8'), 'new weights.h');
    assert.strictEqual(fs.readFileSync(path.join(target, 'cnn.h'), 'utf8'), 'new cnn.h');
    assert.deepStrictEqual(snapshot(r.backup!), {
      'cnn.c': 'old cnn.c',
      'cnn.h': `-> ${path.join(root, 'nowhere')}`,
      'weights.h': `-> ${path.join(outside, 'shared.h')}`,
    });
  });
});
