// Moves a finished izer output into place by renames, so the target is either the old project or the new one,
// never half of each. The old project is kept aside until the new one is in place.
import * as fs from 'node:fs';
import * as path from 'node:path';

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
    if (aside) fs.renameSync(aside, target);
    if (incoming !== generated) fs.rmSync(incoming, { recursive: true, force: true });
    throw e;
  }
  if (aside && !opts.backup) fs.rmSync(aside, { recursive: true, force: true });
  return { backup: opts.backup ? aside : null };
}

/** Replaces the listed files of the existing folder `target` by those of `generated`, one rename each. */
export function replaceFiles(generated: string, target: string, files: readonly string[], opts: { backup: boolean }): PlaceResult & { replaced: string[] } {
  let backup: string | null = null;
  if (opts.backup) {
    const existing = files.filter((f) => fs.existsSync(path.join(target, f)));
    if (existing.length) {
      backup = freshSibling(target, 'backup');
      fs.mkdirSync(backup);
      for (const f of existing) fs.copyFileSync(path.join(target, f), path.join(backup, f));
    }
  }
  const replaced: string[] = [];
  for (const f of files) {
    const src = path.join(generated, f);
    if (!fs.existsSync(src)) continue;
    const dst = path.join(target, f);
    const staged = `${path.join(target, '.' + f)}.ai8x-new-${process.pid}`;
    fs.copyFileSync(src, staged);
    try {
      fs.renameSync(staged, dst);
    } catch (e) {
      fs.rmSync(staged, { force: true });
      throw e;
    }
    replaced.push(f);
  }
  return { backup, replaced };
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
