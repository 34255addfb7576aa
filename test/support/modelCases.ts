// The shipped networks whose `arch` ai8x-training's models define, paired with a checkpoint and sample input from
// ../shared: the accepted izer runs, and for the other shipped YAMLs a shared checkpoint trained for that arch
// with izer's default sample (when the hand-written YAML checks clean with them).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckResult } from '../../server/src/engine/check';
import type { DeviceName } from '../../server/src/engine/device/devices';
import { listModels } from '../../server/src/engine/modelReader/readModel';
import { parsePython } from '../../server/src/engine/modelReader/pythonSyntax';
import type { ModuleLoader } from '../../server/src/engine/modelReader/interpreter';
import { checkLikeIzer, loadExtract, loadRuns, sharedCheckpoint, CheckedRun } from './oracleRuns';
import { sharedDir } from './shared';
import type { NetworkLayer } from '../../server/src/engine/modelReader/lowerGraph';
import type { TorchCheckpoint } from '../../server/src/engine/checkpoint/types';
import { readCheckpoint } from '../../server/src/engine/checkpoint/readCheckpoint';
import { CheckpointSpec, writeTorchCheckpoint } from '../../server/src/engine/checkpoint/writeCheckpoint';

export interface ModelCase {
  name: string;
  yaml: string;
  arch: string;
  modelFile: string;
  device: DeviceName;
  checkpoint: string;
  sampleInput: string | null;
  izerFlags: string[];
  check: (text: string) => CheckedRun;
}

/** Files next to the model (and its parent folder): ai8x_blocks.py and friends. */
export const siblingLoader: ModuleLoader = (name, from) => {
  for (const dir of [path.dirname(from), path.dirname(path.dirname(from))]) {
    const p = path.join(dir, name.replace(/\./g, '/') + '.py');
    if (fs.existsSync(p)) return { file: p, module: parsePython(fs.readFileSync(p, 'utf8')) };
  }
  return null;
};

export function modelFileFor(arch: string): string | null {
  const dir = sharedDir('ai8x-training', 'models');
  if (!fs.existsSync(dir)) return null;
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.py'))
    .sort()) {
    const file = path.join(dir, f);
    if (listModels(fs.readFileSync(file, 'utf8')).some((m) => m.name.toLowerCase() === arch.toLowerCase())) return file;
  }
  return null;
}

/** izer flags that only make sense for the hand-written file (several networks in one YAML). */
const LAYOUT_FLAGS = new Set(['--start-layer', '--weight-start']);

export function modelCases(): { cases: ModelCase[]; notCompared: string[] } {
  const cases: ModelCase[] = [];
  const notCompared: string[] = [];
  const covered = new Set<string>();
  const seen = new Set<string>();
  for (const run of loadRuns().filter((r) => r.accepted)) {
    const text = fs.readFileSync(sharedDir('ai8x-synthesis', run.yaml), 'utf8');
    const arch = /^arch:\s*(\S+)/m.exec(text)?.[1] ?? '';
    const modelFile = modelFileFor(arch);
    covered.add(run.yaml);
    if (!modelFile) continue;
    const key = `${run.yaml} ${run.device} ${run.checkpoint}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const flags = run.izer_flags.filter((f, i, a) => !LAYOUT_FLAGS.has(f) && !LAYOUT_FLAGS.has(a[i - 1]));
    const opts = { device: run.device, checkpoint: run.checkpoint, sampleInput: run.sample_input, izerFlags: flags, extract: loadExtract(run) };
    cases.push({
      name: run.case,
      yaml: run.yaml,
      arch,
      modelFile,
      device: run.device,
      checkpoint: run.checkpoint,
      sampleInput: run.sample_input,
      izerFlags: flags,
      check: (t) => checkLikeIzer(t, run.yaml, { ...opts, izerFlags: t === text ? run.izer_flags : flags }),
    });
  }
  const trained = fs.readdirSync(sharedDir('ai8x-synthesis', 'trained')).map((f) => `trained/${f}`);
  for (const f of fs.readdirSync(sharedDir('ai8x-synthesis', 'networks')).filter((x) => x.endsWith('.yaml'))) {
    const yaml = `networks/${f}`;
    if (covered.has(yaml)) continue;
    const text = fs.readFileSync(sharedDir('ai8x-synthesis', yaml), 'utf8');
    const arch = /^arch:\s*(\S+)/m.exec(text)?.[1] ?? '';
    const modelFile = modelFileFor(arch);
    if (!modelFile) continue;
    const device: DeviceName = /^ai87/.test(f) ? 'MAX78002' : 'MAX78000';
    const ckpt = trained.find((c) => sharedCheckpoint(c).arch?.toLowerCase() === arch.toLowerCase());
    if (!ckpt) {
      notCompared.push(`${yaml} (${arch}): no checkpoint for it in ../shared`);
      continue;
    }
    const opts = { device, checkpoint: ckpt, sampleInput: null, izerFlags: [], extract: null };
    const original = checkLikeIzer(text, yaml, opts);
    if (!original.sample.sample || original.result.diagnostics.some((d) => d.severity === 'error')) {
      notCompared.push(`${yaml} (${arch}): the hand-written YAML does not check clean with ${ckpt} and its default sample`);
      continue;
    }
    cases.push({ name: yaml, yaml, arch, modelFile, device, checkpoint: ckpt, sampleInput: null, izerFlags: [], check: (t) => checkLikeIzer(t, yaml, opts) });
  }
  return { cases, notCompared };
}

export type { CheckResult };

/**
 * A checkpoint with seeded random weights for the layers a model has (as the model reader read them): for shipped
 * networks whose trained checkpoint is not in ../shared. Both the hand-written YAML and the written one run on it,
 * so their outputs must agree exactly when the written YAML expresses the same network.
 */
export function syntheticCheckpoint(arch: string, layers: NetworkLayer[], seed = 1): TorchCheckpoint {
  let s = seed * 2654435761;
  const rand = (lo: number, hi: number) => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return lo + (s % (hi - lo + 1));
  };
  const stateDict: NonNullable<CheckpointSpec['stateDict']> = [];
  for (const l of layers) {
    const a = l.layer;
    if (!a || !l.weightPath) continue;
    const g = Math.max(1, a.groups);
    const shape =
      a.op === 'linear'
        ? [a.outChannels, a.inChannels]
        : a.op === 'conv1d'
          ? [a.outChannels, a.inChannels / g, a.kernel[0]]
          : a.op === 'convtranspose2d'
            ? [a.inChannels, a.outChannels / g, a.kernel[0], a.kernel[1]]
            : [a.outChannels, a.inChannels / g, a.kernel[0], a.kernel[1]];
    const n = shape.reduce((x, y) => x * y, 1);
    stateDict.push({ key: `${l.weightPath}.op.weight`, tensor: { dtype: 'float32', shape, values: Array.from({ length: n }, () => rand(-12, 12)) } });
    stateDict.push({
      key: `${l.weightPath}.op.bias`,
      tensor: { dtype: 'float32', shape: [a.outChannels], values: Array.from({ length: a.outChannels }, () => rand(-2000, 2000)) },
    });
    stateDict.push({ key: `${l.weightPath}.output_shift`, tensor: { dtype: 'float32', shape: [1], values: [-1] } });
    stateDict.push({ key: `${l.weightPath}.weight_bits`, tensor: { dtype: 'float32', shape: [1], values: [8] } });
  }
  return readCheckpoint(writeTorchCheckpoint({ arch, epoch: 1, stateDict }));
}
