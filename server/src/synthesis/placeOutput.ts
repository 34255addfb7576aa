// Moves a finished izer output into place by renames, so the target is either the old project or the new one,
// never half of each. The old project is kept aside until the new one is in place.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { folderOutside } from './outputNames';

export interface PlaceResult {
  /** Where the previous contents were kept, when a backup was asked for. */
  backup: string | null;
}

/** A sibling name that does not exist yet: `<target>.<tag>-<timestamp>[-n]`. */
export function freshSibling(target: string, tag: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  let p = `${target}.${tag}-${stamp}`;
  for (let n = 2; fs.existsSync(p); n++) p = `${target}.${tag}-${stamp}-${n}`;
  return p;
}

/** Replaces (or creates) the folder `target` with the folder `generated`. */
export function replaceFolder(generated: string, target: string, opts: { backup: boolean }): PlaceResult {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const incoming = sameFilesystemCopy(generated, target);
  let aside: string | null = null;
  if (fs.existsSync(target)) {
    aside = opts.backup ? freshSibling(target, 'backup') : freshSibling(path.join(path.dirname(target), '.' + path.basename(target)), 'ai8x-old');
    fs.renameSync(target, aside);
  }
  try {
    fs.renameSync(incoming, target);
  } catch (e) {
    if (incoming !== generated) fs.rmSync(incoming, { recursive: true, force: true });
    if (aside) {
      try {
        fs.renameSync(aside, target);
      } catch {
        throw new PlacementError(`${(e as Error).message}; putting the previous project back failed as well, so it is still in ${aside}`, false);
      }
    }
    throw e;
  }
  if (aside && !opts.backup) fs.rmSync(aside, { recursive: true, force: true });
  return { backup: opts.backup ? aside : null };
}

export interface ReplaceFilesOptions {
  backup: boolean;
  /** Every rename goes through this (tests make one fail). */
  rename?: (from: string, to: string) => void;
}

/** Why files could not be put in place. */
export class PlacementError extends Error {
  /** false when putting the previous state back failed as well (the message then says where it is). */
  constructor(
    message: string,
    readonly restored = true,
  ) {
    super(message);
  }
}

/**
 * Replaces the listed files of the existing folder `target` by those of `generated`, as a set: each new file is
 * first copied next to the one it replaces, then the old ones are renamed aside and the new ones renamed into
 * place; if any step fails, every file already replaced is put back and nothing new is left. Files `generated`
 * lacks are left alone. A link in the target is replaced, never written through; a folder on the way that is a
 * link to outside the target, or a destination that is a folder, stops everything before anything is touched.
 */
export function replaceFiles(generated: string, target: string, files: readonly string[], opts: ReplaceFilesOptions): PlaceResult & { replaced: string[] } {
  const rename = opts.rename ?? fs.renameSync;
  const root = fs.realpathSync(target);
  const list = [...new Set(files)].filter((f) => lstat(path.join(generated, f))?.isFile());
  for (const f of list) {
    const out = folderOutside(target, root, f);
    if (out) throw new PlacementError(`${path.relative(target, out.folder)} is a link to ${out.real}, outside ${target}, so ${f} was not written through it`);
    if (lstat(path.join(target, f))?.isDirectory()) throw new PlacementError(`${path.join(target, f)} is a folder, so it cannot be replaced by the new ${f}`);
  }

  let backup: string | null = null;
  const created: string[] = [];
  const staged: { dst: string; temp: string }[] = [];
  const swapped: { dst: string; aside: string | null; placed: boolean }[] = [];
  try {
    const existing = list.filter((f) => lstat(path.join(target, f)));
    if (opts.backup && existing.length) {
      backup = freshSibling(target, 'backup');
      fs.mkdirSync(backup);
      for (const f of existing) {
        fs.mkdirSync(path.dirname(path.join(backup, f)), { recursive: true });
        copyEntry(path.join(target, f), path.join(backup, f));
      }
    }
    for (const f of list) {
      const dst = path.join(target, f);
      makeFolders(path.dirname(dst), created);
      const temp = hiddenSibling(dst, 'ai8x-new');
      staged.push({ dst, temp });
      fs.copyFileSync(path.join(generated, f), temp, fs.constants.COPYFILE_EXCL);
    }
    for (const { dst, temp } of staged) {
      const aside = lstat(dst) ? hiddenSibling(dst, 'ai8x-old') : null;
      if (aside) rename(dst, aside);
      const step = { dst, aside, placed: false };
      swapped.push(step);
      rename(temp, dst);
      step.placed = true;
    }
  } catch (e) {
    const stuck = rollBack(swapped, rename);
    for (const { temp } of staged) fs.rmSync(temp, { force: true });
    for (const d of created.reverse()) {
      try {
        fs.rmdirSync(d);
      } catch {
        // Not empty after all: someone else's now.
      }
    }
    if (backup) fs.rmSync(backup, { recursive: true, force: true });
    if (stuck.length) {
      throw new PlacementError(
        `${(e as Error).message}; putting the previous files back failed as well, so they are still in ${stuck.map((s) => `${s.aside} (for ${s.dst})`).join(', ')}`,
        false,
      );
    }
    throw e;
  }
  for (const { aside } of swapped) if (aside) fs.rmSync(aside, { force: true });
  return { backup, replaced: list };
}

/** Undoes the swaps, newest first; returns the ones whose previous file could not be put back. */
function rollBack(swapped: { dst: string; aside: string | null; placed: boolean }[], rename: (from: string, to: string) => void) {
  const stuck: { dst: string; aside: string }[] = [];
  for (const s of [...swapped].reverse()) {
    try {
      // Renaming the old file back also replaces the new one.
      if (s.aside) rename(s.aside, s.dst);
      else if (s.placed) fs.rmSync(s.dst, { force: true });
    } catch {
      if (s.aside) stuck.push({ dst: s.dst, aside: s.aside });
    }
  }
  return stuck;
}

function lstat(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

/** A file as it is: a link is copied as the same link. */
function copyEntry(from: string, to: string): void {
  if (lstat(from)?.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
  else fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
}

/** Creates the missing folders of `dir`, recording each one made (outermost first). */
function makeFolders(dir: string, created: string[]): void {
  if (lstat(dir)) return;
  makeFolders(path.dirname(dir), created);
  fs.mkdirSync(dir);
  created.push(dir);
}

/** `.<name>.<tag>-<pid>-<random>` next to `p`, not yet taken. */
function hiddenSibling(p: string, tag: string): string {
  for (;;) {
    const q = path.join(path.dirname(p), `.${path.basename(p)}.${tag}-${process.pid}-${randomBytes(3).toString('hex')}`);
    if (!lstat(q)) return q;
  }
}

/**
 * `generated` itself when it is on the target's filesystem (a rename then suffices), otherwise a copy made
 * next to the target first, so the final step is still a rename.
 */
function sameFilesystemCopy(generated: string, target: string): string {
  const parent = path.dirname(target);
  if (fs.statSync(generated).dev === fs.statSync(parent).dev) return generated;
  const staged = freshSibling(path.join(parent, '.' + path.basename(target)), 'ai8x-new');
  fs.cpSync(generated, staged, { recursive: true, preserveTimestamps: true });
  return staged;
}
