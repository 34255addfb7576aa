// Which checkpoint, sample input, device and izer flags belong to a network YAML: from its modeline,
// from the `ai8x.associations` setting, or from the ai8x-synthesis gen-demos scripts in the workspace.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeviceName } from '../engine/device/devices';
import { matchesGlob } from '../engine/glob';
import { parseGenDemosScript, ScriptInvocation } from '../engine/association/genDemosScript';
import type { Modeline } from '../engine/model/modeline';
import type { Association as SettingAssociation } from '../protocol';
import { readRegularTextFile } from './safeRead';

/** Where an associated file comes from; `command line` and `session` are explicit choices, which beat the rest. */
export type AssociationSource = 'command line' | 'session' | 'modeline' | 'setting' | 'gen-demos script' | 'izer default';

export interface Association {
  checkpointPath: string | null;
  checkpointSource: AssociationSource | null;
  samplePath: string | null;
  sampleSource: AssociationSource | null;
  /** Default sample candidates tried (izer's tests/sample_<dataset>.npy), for the message when none exists. */
  sampleCandidates: string[];
  /**
   * Where izer would run (its paths such as tests/weights_<dataset>.npy are relative to that folder), best first:
   * the gen-demos script's folder or the working folder, the nearest folder above the YAML that holds `tests/`
   * (an ai8x-synthesis checkout), the ai8x-synthesis path setting.
   */
  izerRoots: string[];
  device: DeviceName | null;
  izerFlags: string[];
  script: { file: string; line: number } | null;
}

interface IndexedInvocation extends ScriptInvocation {
  script: string;
  base: string;
}

/** gen-demos invocations of the workspace, indexed by the absolute path of their network YAML. */
export class ScriptIndex {
  private index: Map<string, IndexedInvocation[]> | null = null;

  constructor(private readonly folders: () => string[]) {}

  invalidate(): void {
    this.index = null;
  }

  lookup(yamlPath: string): IndexedInvocation[] {
    if (!this.index) this.index = this.build();
    return this.index.get(path.resolve(yamlPath)) ?? [];
  }

  private build(): Map<string, IndexedInvocation[]> {
    const index = new Map<string, IndexedInvocation[]>();
    for (const folder of this.folders()) {
      for (const script of findScripts(folder)) {
        let text: string;
        try {
          text = readRegularTextFile(script, 4 * 2 ** 20);
        } catch {
          continue;
        }
        // izer runs from the ai8x-synthesis root: the script's folder, or the parent of scripts/.
        const dir = path.dirname(script);
        const base = path.basename(dir) === 'scripts' ? path.dirname(dir) : dir;
        for (const inv of parseGenDemosScript(text)) {
          const yaml = path.resolve(base, inv.configFile);
          const list = index.get(yaml) ?? [];
          list.push({ ...inv, script, base });
          index.set(yaml, list);
        }
      }
    }
    return index;
  }
}

function findScripts(folder: string, depth = 0, out: string[] = []): string[] {
  if (depth > 3) return out;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(folder, e.name);
    if (e.isFile() && (/^gen-demos-max7800\d*\.sh$/.test(e.name) || (/^gen_.*\.sh$/.test(e.name) && path.basename(folder) === 'scripts'))) out.push(p);
    else if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== 'venv') findScripts(p, depth + 1, out);
  }
  return out;
}

export interface ResolveInput {
  yamlPath: string;
  modeline: Modeline;
  dataset: string | null;
  /** Device the user asked for (setting/modeline), used to choose among several script lines. */
  preferredDevice: DeviceName | null;
  settings: { associations: SettingAssociation[]; autoAssociate: boolean };
  workspaceFolders: string[];
  scripts: ScriptIndex;
  /** The ai8x-synthesis checkout from the settings, if any. */
  synthesisPath?: string | null;
  exists?: (p: string) => boolean;
}

export function resolveAssociation(input: ResolveInput): Association {
  const exists = input.exists ?? ((p: string) => fs.existsSync(p));
  const yamlDir = path.dirname(input.yamlPath);
  const folder = input.workspaceFolders.find((f) => isInside(input.yamlPath, f)) ?? input.workspaceFolders[0] ?? yamlDir;
  const a: Association = {
    checkpointPath: null,
    checkpointSource: null,
    samplePath: null,
    sampleSource: null,
    sampleCandidates: [],
    izerRoots: [],
    device: null,
    izerFlags: [],
    script: null,
  };

  const m = input.modeline;
  if (m.checkpoint) {
    a.checkpointPath = path.resolve(yamlDir, m.checkpoint);
    a.checkpointSource = 'modeline';
  }
  if (m.sampleInput) {
    a.samplePath = path.resolve(yamlDir, m.sampleInput);
    a.sampleSource = 'modeline';
  }

  const rel = path.relative(folder, input.yamlPath).split(path.sep).join('/');
  const setting = input.settings.associations.find((s) => matchesGlob(rel, s.pattern) || matchesGlob(input.yamlPath, s.pattern));
  if (setting) {
    if (!a.checkpointPath && setting.checkpoint) {
      a.checkpointPath = path.resolve(folder, setting.checkpoint);
      a.checkpointSource = 'setting';
    }
    if (!a.samplePath && setting.sampleInput) {
      a.samplePath = path.resolve(folder, setting.sampleInput);
      a.sampleSource = 'setting';
    }
    if (setting.device) a.device = setting.device;
    if (setting.izerFlags) a.izerFlags.push(...setting.izerFlags);
  }

  let izerBase = folder;
  if (input.settings.autoAssociate && (!a.checkpointPath || !setting)) {
    const invs = input.scripts.lookup(input.yamlPath);
    const pick = invs.find((i) => input.preferredDevice && i.device === input.preferredDevice) ?? invs[0];
    if (pick) {
      izerBase = pick.base;
      if (!a.checkpointPath && pick.checkpointFile) {
        a.checkpointPath = path.resolve(pick.base, pick.checkpointFile);
        a.checkpointSource = 'gen-demos script';
        if (!a.device && pick.device) a.device = pick.device;
        a.izerFlags.push(...pick.izerFlags);
        a.script = { file: pick.script, line: pick.line };
        if (!a.samplePath && pick.sampleInput) {
          a.samplePath = path.resolve(pick.base, pick.sampleInput);
          a.sampleSource = 'gen-demos script';
        }
      }
    }
  }

  const checkout = nearestFolderWithTests(yamlDir, exists);
  a.izerRoots = [...new Set([izerBase, ...(checkout ? [checkout] : []), ...(input.synthesisPath ? [path.resolve(input.synthesisPath)] : [])])];

  if (!a.samplePath && input.dataset) {
    // izer's default: tests/sample_<dataset>.npy relative to where it runs (the ai8x-synthesis root).
    const name = `sample_${input.dataset.toLowerCase()}.npy`;
    const roots = [...a.izerRoots, path.dirname(yamlDir), yamlDir, folder];
    a.sampleCandidates = [...new Set(roots.map((r) => path.join(r, 'tests', name)))];
    const found = a.sampleCandidates.find(exists);
    if (found) {
      a.samplePath = found;
      a.sampleSource = 'izer default';
    }
  }
  return a;
}

/** The nearest folder, from `dir` upwards, that holds a `tests` folder (an ai8x-synthesis checkout), or null. */
function nearestFolderWithTests(dir: string, exists: (p: string) => boolean): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    if (exists(path.join(d, 'tests'))) return d;
    if (path.dirname(d) === d) return null;
  }
}

function isInside(p: string, folder: string): boolean {
  const rel = path.relative(folder, p);
  return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel);
}
