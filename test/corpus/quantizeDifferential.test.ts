// `ai8x quantize` against the real quantize.py under the flags the recorded runs do not use: the four clip methods
// with and without --scale/--stddev, --qat-weight-bits, -c with per-layer `quantization` (MAX78000 and MAX78002
// network files, binary, fewer layers than the checkpoint), zero points and base_b_q. Needs ../shared, an
// ai8x-synthesis checkout (AI8X_SYNTHESIS_PATH, for quantize.py) and a Python with torch; skips with a message
// without them. The crafted checkpoints and network files are made here by the project's own reader and writer.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCheckpoint } from '../../server/src/engine/checkpoint/readCheckpoint';
import type { PyObject } from '../../server/src/engine/checkpoint/types';
import { writeCheckpointObject } from '../../server/src/engine/checkpoint/writeCheckpoint';
import { parseQuantizeArguments } from '../../server/src/engine/quantize/quantizeArguments';
import { quantizeFile } from '../../server/src/workspace/quantizeFiles';
import { requireShared, sharedDir, skipBecause } from '../support/shared';
import { NO_TORCH, pythonWithTorch } from '../support/pythonTorch';

type Dict = Extract<PyObject, { kind: 'dict' }>;

interface Case {
  name: string;
  input: string;
  args: string[];
}

/** Runs quantize.py's main() once per case in one Python (torch is imported once); records how each ended. */
const RUN_QUANTIZE = `
import json, os, sys
cases, checkout, result = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
sys.path.insert(0, checkout)
os.chdir(checkout)
from izer import quantize
ends = {}
for c in cases:
    sys.argv = ['quantize.py', c['input'], c['output']] + c['args']
    try:
        quantize.main()
        ends[c['name']] = 'written'
    except SystemExit as e:
        ends[c['name']] = 'exit %s' % e.code
    except Exception as e:
        ends[c['name']] = '%s: %s' % (type(e).__name__, e)
json.dump(ends, open(result, 'w'))
`;

const COMPARE = `
import json, math, sys
import torch
def same(a, b):
    if type(a) is not type(b): return False
    if isinstance(a, torch.Tensor):
        if a.dtype != b.dtype or a.shape != b.shape: return False
        if a.dtype.is_floating_point:
            bits = {2: torch.int16, 4: torch.int32, 8: torch.int64}[a.element_size()]
            return torch.equal(a.contiguous().view(-1).view(bits), b.contiguous().view(-1).view(bits))
        return torch.equal(a, b)
    if isinstance(a, dict): return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)): return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float): return (a == b and math.copysign(1, a) == math.copysign(1, b)) or (math.isnan(a) and math.isnan(b))
    return a == b
json.dump({n: same(torch.load(a), torch.load(b)) for n, a, b in json.load(open(sys.argv[1]))}, open(sys.argv[2], 'w'))
`;

/** A network file with `quantization: <v>` added to its layers in order (null: none for that layer). */
function withQuantization(source: string, values: (string | number | null)[], keepLayers = Infinity): string {
  let layer = -1;
  const out: string[] = [];
  for (const line of fs.readFileSync(source, 'utf8').split('\n')) {
    if (line.startsWith('  - ')) layer++;
    if (layer >= keepLayers) break;
    out.push(line);
    if (line.startsWith('  - ') && values[layer] !== null && values[layer] !== undefined) out.push(`    quantization: ${values[layer]}`);
  }
  return out.join('\n') + '\n';
}

/** A training checkpoint read by our reader, its state_dict changed by `edit`, written by our writer. */
function crafted(source: string, target: string, edit: (state: Map<string, PyObject>) => void, dropExtras = false): void {
  const c = readCheckpoint(fs.readFileSync(source), { exactFloats: true });
  const root = c.root as Dict;
  const sd = root.entries.find(([k]) => k === 'state_dict')![1] as Dict;
  const state = new Map(sd.entries as [string, PyObject][]);
  edit(state);
  const entries = root.entries
    .filter(([k]) => !(dropExtras && k === 'extras'))
    .map(([k, v]): [PyObject, PyObject] => (k === 'state_dict' ? [k, { ...sd, entries: [...state] }] : [k, v]));
  fs.writeFileSync(target, writeCheckpointObject({ ...root, entries }));
}

const f32 = (values: number[]): PyObject => ({
  kind: 'tensor',
  tensor: { dtype: 'float32', shape: [values.length], strides: [1], values: Float64Array.from(values) },
});

describe('ai8x quantize vs the real quantize.py under its flags (differential)', function () {
  this.timeout(900_000);
  let checkout = '';
  let python = '';
  let dir = '';
  const cases: Case[] = [];

  before(function () {
    const trained = requireShared(this, 'ai8x-synthesis', 'trained');
    checkout = process.env.AI8X_SYNTHESIS_PATH ?? '';
    if (!checkout || !fs.existsSync(path.join(checkout, 'izer', 'quantize.py')))
      skipBecause(this, 'AI8X_SYNTHESIS_PATH does not name an ai8x-synthesis checkout (with izer/quantize.py)');
    const p = pythonWithTorch();
    if (!p) skipBecause(this, NO_TORCH);
    python = p!;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-quantize-diff-'));
    const t = (name: string) => path.join(trained, name);
    const networks = sharedDir('ai8x-synthesis', 'networks');
    const file = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
    const kwsA = file('kws-a.yaml', withQuantization(path.join(networks, 'kws20-v3-hwc.yaml'), [8, 4, 2, null, 4, 8, 1, 2, 8]));
    const kws87 = file('kws-87.yaml', withQuantization(path.join(networks, 'ai87-kws20-v3-hwc.yaml'), [4, 4, 8, 8, 2, null, null, 8, 4]));
    const kwsBin = file('kws-bin.yaml', withQuantization(path.join(networks, 'kws20-v3-hwc.yaml'), ['binary', 8, 8, 8, 8, 8, 8, 8, 8]));
    const kwsShort = file('kws-short.yaml', withQuantization(path.join(networks, 'kws20-v3-hwc.yaml'), [8, 4, 2, null, 4], 5));
    const bits = path.join(dir, 'crafted-bits.pth.tar');
    crafted(t('ai85-mnist-qat8.pth.tar'), bits, (s) => {
      s.set('conv1.weight_bits', f32([0]));
      s.delete('conv2.weight_bits');
      s.set('conv3.w_zero_point', f32([0]));
      s.set('conv3.base_b_q', f32([1, 1, 1]));
    });
    const zeroPoint = path.join(dir, 'crafted-zp.pth.tar');
    crafted(t('ai85-mnist-qat8.pth.tar'), zeroPoint, (s) => s.set('conv3.w_zero_point', f32([0.5])), true);
    const noBits = path.join(dir, 'crafted-nobits.pth.tar');
    crafted(t('ai85-kws20-qat8.pth.tar'), noBits, (s) => {
      for (const k of s.keys()) if (k.endsWith('.weight_bits')) s.set(k, f32([0]));
    });
    const kws = t('ai85-kws20-qat8.pth.tar');
    const noisy = t('ai85-kws20_v3_msnoise_mixed-qat8.pth.tar');
    const bayer = t('ai85-bayer2rgb-qat8.pth.tar');
    const m0 = ['--device', 'MAX78000'];
    cases.push(
      { name: 'max', input: kws, args: [...m0, '--clip-method', 'MAX'] },
      { name: 'scale', input: kws, args: [...m0, '--clip-method', 'SCALE'] },
      { name: 'scale-0.5', input: kws, args: [...m0, '--clip-method', 'SCALE', '--scale', '0.5'] },
      { name: 'avgmax', input: kws, args: [...m0, '--clip-method', 'AVGMAX'] },
      { name: 'stddev', input: kws, args: [...m0, '--clip-method', 'STDDEV'] },
      { name: 'stddev-3', input: kws, args: [...m0, '--clip-method', 'STDDEV', '--stddev', '3'] },
      { name: 'noisy-avgmax', input: noisy, args: [...m0, '--clip-method', 'AVGMAX'] },
      { name: 'noisy-stddev-1.5', input: noisy, args: [...m0, '--clip-method', 'STDDEV', '--stddev', '1.5'] },
      { name: 'bayer-stddev', input: bayer, args: [...m0, '--clip-method', 'STDDEV'] },
      { name: 'clip-with-bias', input: t('ai85-mnist-qat8.pth.tar'), args: [...m0, '--clip-method', 'MAX'] },
      { name: 'config', input: t('ai85-kws20_v3-qat8.pth.tar'), args: [...m0, '-c', kwsA] },
      { name: 'config-max78002', input: t('ai85-kws20_v3-qat8.pth.tar'), args: ['--device', 'MAX78002', '-c', kws87] },
      { name: 'config-binary', input: t('ai85-kws20_v3-qat8.pth.tar'), args: [...m0, '-c', kwsBin] },
      { name: 'config-fewer-layers', input: t('ai85-kws20_v3-qat8.pth.tar'), args: [...m0, '-c', kwsShort] },
      { name: 'qat-weight-bits', input: bits, args: [...m0, '--qat-weight-bits', '4'] },
      { name: 'weight-bits-0', input: bits, args: m0 },
      { name: 'zero-point', input: zeroPoint, args: m0 },
      { name: 'no-bits-max-2', input: noBits, args: [...m0, '--qat-weight-bits', '2', '--clip-method', 'MAX'] },
      { name: 'no-bits-stddev-4', input: noBits, args: [...m0, '--qat-weight-bits', '4', '--clip-method', 'STDDEV'] },
      { name: 'no-bits-1', input: noBits, args: [...m0, '--qat-weight-bits', '1'] },
    );
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the same checkpoint as quantize.py, or stops where it stops', () => {
    const spec = cases.map((c) => ({ ...c, output: path.join(dir, `py-${c.name}.pth.tar`) }));
    fs.writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(spec));
    fs.writeFileSync(path.join(dir, 'run.py'), RUN_QUANTIZE);
    const run = spawnSync(python, [path.join(dir, 'run.py'), path.join(dir, 'cases.json'), checkout, path.join(dir, 'ends.json')], {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    assert.equal(run.status, 0, run.stderr);
    const ends = JSON.parse(fs.readFileSync(path.join(dir, 'ends.json'), 'utf8')) as Record<string, string>;
    const pairs: [string, string, string][] = [];
    const failures: string[] = [];
    let agreed = 0;
    for (const c of spec) {
      const args = parseQuantizeArguments(c.args);
      const ours = path.join(dir, `ts-${c.name}.pth.tar`);
      const outcome = quantizeFile({ ...args, input: c.input, output: ours, device: args.device! });
      const theirs = ends[c.name];
      if (theirs !== 'written') {
        if (outcome.ok) failures.push(`${c.name}: quantize.py stopped (${theirs}), this wrote a file`);
        else agreed++;
      } else if (!outcome.ok) failures.push(`${c.name}: quantize.py wrote a file, this stopped: ${outcome.message}`);
      else pairs.push([c.name, ours, c.output]);
    }
    fs.writeFileSync(path.join(dir, 'pairs.json'), JSON.stringify(pairs));
    fs.writeFileSync(path.join(dir, 'compare.py'), COMPARE);
    const cmp = spawnSync(python, [path.join(dir, 'compare.py'), path.join(dir, 'pairs.json'), path.join(dir, 'same.json')], { encoding: 'utf8' });
    assert.equal(cmp.status, 0, cmp.stderr);
    for (const [name, same] of Object.entries(JSON.parse(fs.readFileSync(path.join(dir, 'same.json'), 'utf8')) as Record<string, boolean>)) {
      if (same) agreed++;
      else failures.push(`${name}: the files differ`);
    }
    console.log(`      ${agreed} of ${cases.length} cases agree with quantize.py (${pairs.length} files compared in torch)`);
    assert.ok(cases.length > 0);
    assert.deepEqual(failures, []);
  });
});
