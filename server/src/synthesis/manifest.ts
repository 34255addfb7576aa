// `.ai8x-synthesis.json`, written next to the generated files: the hash of every file synthesis put there, so a
// later run can tell whether the user has changed the project since (and must be asked before replacing it).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileSafely } from '../shared/safeWrite';

export const MANIFEST_NAME = '.ai8x-synthesis.json';

/** Folders a build creates inside the project; they can be rebuilt and are not the user's work. */
const REBUILDABLE = new Set(['build']);

export interface Manifest {
  generator: 'ai8x-network-tools';
  formatVersion: 1;
  mode: 'project' | 'update-network-only';
  network: string;
  device: string;
  /** The izer command line as recorded in the generated files. */
  command: string[];
  /** Relative path (with `/`) → sha256 hex. */
  files: Record<string, string>;
  created: string;
}

export type TargetState =
  | { kind: 'absent' }
  | { kind: 'empty' }
  | { kind: 'not-a-folder' }
  /** Exists with our manifest, and nothing the manifest lists was changed, removed or added to. */
  | { kind: 'unchanged' }
  | { kind: 'changed'; changed: string[]; removed: string[]; added: string[] }
  /** Exists without our manifest: made by hand, by izer directly, or by someone else. */
  | { kind: 'foreign'; files: number };

export function sha256File(p: string): string {
  return createHash('sha256').update(fs.readFileSync(p)).digest('hex');
}

/**
 * What is at `p`, for comparing with the manifest: a regular file's sha256; for anything else (a link, whatever it
 * points to or whether it points anywhere, a folder, a file that cannot be read) a text that is never a file's
 * hash, so it counts as changed. Links are never followed.
 */
export function fingerprint(p: string): string {
  try {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return `link to ${fs.readlinkSync(p)}`;
    if (!st.isFile()) return st.isDirectory() ? 'folder' : 'not a file';
    return sha256File(p);
  } catch (e) {
    return `unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}

/**
 * Every regular file and link under dir (relative, `/`-separated), without the manifest and rebuildable folders.
 * Links are listed as they are, never followed (a link to a folder is one entry); a folder that cannot be read
 * is listed as itself.
 */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch (e) {
      if (!rel) throw e;
      out.push(rel);
      return;
    }
    for (const d of entries) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (!rel && d.name === MANIFEST_NAME) continue;
      if (d.isDirectory()) {
        if (!rel && REBUILDABLE.has(d.name)) continue;
        walk(r);
      } else if (d.isFile() || d.isSymbolicLink()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

export function hashFiles(dir: string, files: readonly string[] = listFiles(dir)): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files) out[f] = fingerprint(path.join(dir, ...f.split('/')));
  return out;
}

export function readManifest(dir: string): Manifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8')) as Manifest;
    return m && m.generator === 'ai8x-network-tools' && m.files && typeof m.files === 'object' ? m : null;
  } catch {
    return null;
  }
}

export function writeManifest(dir: string, m: Omit<Manifest, 'generator' | 'formatVersion' | 'created'>): void {
  const full: Manifest = { generator: 'ai8x-network-tools', formatVersion: 1, ...m, created: new Date().toISOString() };
  // Written next to it and renamed over it: a link in its place is replaced, never written through.
  writeFileSafely(path.join(dir, MANIFEST_NAME), JSON.stringify(full, null, 2) + '\n');
}

/**
 * What is at the target now. `only` limits the comparison to some files (update-network-only replaces just
 * those, so other changes in the project are the user's business and stay untouched).
 */
export function inspectTarget(dir: string, only?: readonly string[]): TargetState {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return { kind: 'absent' };
  }
  if (!st.isDirectory()) return { kind: 'not-a-folder' };
  const present = listFiles(dir);
  if (!only && present.length === 0 && !fs.existsSync(path.join(dir, MANIFEST_NAME))) return { kind: 'empty' };
  const manifest = readManifest(dir);
  if (!manifest) {
    const relevant = only ? present.filter((f) => only.includes(f)) : present;
    return relevant.length === 0 && only ? { kind: 'empty' } : { kind: 'foreign', files: present.length };
  }
  const scope = only ? only.filter((f) => f in manifest.files || present.includes(f)) : [...new Set([...Object.keys(manifest.files), ...present])];
  const changed: string[] = [];
  const removed: string[] = [];
  const added: string[] = [];
  for (const f of scope) {
    const expected = manifest.files[f];
    const exists = present.includes(f);
    if (expected === undefined) {
      if (exists) added.push(f);
    } else if (!exists) removed.push(f);
    else if (fingerprint(path.join(dir, ...f.split('/'))) !== expected) changed.push(f);
  }
  return changed.length || removed.length || added.length ? { kind: 'changed', changed, removed, added } : { kind: 'unchanged' };
}

/** Whether replacing the target needs the user's consent, and a sentence saying why. */
export function overwriteConcern(target: string, state: TargetState): string | null {
  switch (state.kind) {
    case 'absent':
    case 'empty':
    case 'unchanged':
      return null;
    case 'not-a-folder':
      return `${target} exists and is not a folder.`;
    case 'foreign':
      return `${target} already exists (${state.files} file${state.files === 1 ? '' : 's'}) and was not made by this synthesis command, so it may hold your own work.`;
    case 'changed': {
      const parts = [
        state.changed.length ? `changed: ${list(state.changed)}` : '',
        state.added.length ? `added: ${list(state.added)}` : '',
        state.removed.length ? `removed: ${list(state.removed)}` : '',
      ].filter(Boolean);
      return `${target} was changed after it was generated (${parts.join('; ')}).`;
    }
  }
}

function list(files: string[]): string {
  return files.length > 5 ? `${files.slice(0, 5).join(', ')} and ${files.length - 5} more` : files.join(', ');
}
