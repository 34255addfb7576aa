// The manifest check of a project: links in it (to a folder, to a file, to nowhere) are listed as they are,
// never followed, and never make the inspection fail.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashFiles, inspectTarget, listFiles, writeManifest } from '../../../server/src/synthesis/manifest';
import { tempDir } from './standIn';

function write(dir: string, files: Record<string, string>): void {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
}

describe('inspecting a project that holds links', () => {
  let root: string;
  let target: string;
  let outside: string;

  beforeEach(() => {
    root = tempDir('links');
    target = path.join(root, 'project');
    outside = path.join(root, 'outside');
    write(target, { 'cnn.c': 'cnn', 'main.c': 'main' });
    write(outside, { 'dir/keep.txt': 'keep', 'same.c': 'cnn' });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const addLinks = () => {
    fs.symlinkSync(path.join(outside, 'dir'), path.join(target, 'to-folder'));
    fs.symlinkSync(path.join(outside, 'same.c'), path.join(target, 'to-file.c'));
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(target, 'dangling'));
  };

  it('lists links without following them, and does not fail on any kind of link', () => {
    write(target, { Makefile: 'make' });
    writeManifest(target, { mode: 'project', network: 'n.yaml', device: 'MAX78000', command: [], files: hashFiles(target) });
    addLinks();
    // Generated files replaced by a link to a folder and by a link to nowhere.
    fs.rmSync(path.join(target, 'main.c'));
    fs.symlinkSync(path.join(outside, 'dir'), path.join(target, 'main.c'));
    fs.rmSync(path.join(target, 'Makefile'));
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(target, 'Makefile'));
    assert.deepStrictEqual(listFiles(target), ['Makefile', 'cnn.c', 'dangling', 'main.c', 'to-file.c', 'to-folder']);
    assert.deepStrictEqual(inspectTarget(target), {
      kind: 'changed',
      changed: ['Makefile', 'main.c'],
      removed: [],
      added: ['dangling', 'to-file.c', 'to-folder'],
    });
    assert.deepStrictEqual(inspectTarget(target, ['cnn.c', 'weights.h']), { kind: 'unchanged' });
    assert.deepStrictEqual(inspectTarget(target, ['main.c', 'to-folder', 'dangling']), {
      kind: 'changed',
      changed: ['main.c'],
      removed: [],
      added: ['to-folder', 'dangling'],
    });
    assert.deepStrictEqual(fs.readdirSync(path.join(outside, 'dir')), ['keep.txt']);
  });

  it('replaces a manifest that is a link instead of writing through it', () => {
    const there = path.join(outside, 'manifest.json');
    fs.writeFileSync(there, 'not ours');
    fs.symlinkSync(there, path.join(target, '.ai8x-synthesis.json'));
    writeManifest(target, { mode: 'project', network: 'n.yaml', device: 'MAX78000', command: [], files: hashFiles(target) });
    assert.strictEqual(fs.readFileSync(there, 'utf8'), 'not ours');
    assert.ok(fs.lstatSync(path.join(target, '.ai8x-synthesis.json')).isFile());
    assert.deepStrictEqual(inspectTarget(target), { kind: 'unchanged' });
    assert.deepStrictEqual(
      fs.readdirSync(target).filter((n) => n.startsWith('.')),
      ['.ai8x-synthesis.json'],
    );
  });

  it("counts a project without a manifest as the user's, links included", () => {
    addLinks();
    assert.deepStrictEqual(inspectTarget(target), { kind: 'foreign', files: 5 });
  });

  it('sees a generated file replaced by a link as a change, even to a file with the same contents', () => {
    writeManifest(target, { mode: 'project', network: 'n.yaml', device: 'MAX78000', command: [], files: hashFiles(target) });
    fs.rmSync(path.join(target, 'cnn.c'));
    fs.symlinkSync(path.join(outside, 'same.c'), path.join(target, 'cnn.c'));
    assert.deepStrictEqual(inspectTarget(target), { kind: 'changed', changed: ['cnn.c'], removed: [], added: [] });
  });
});
