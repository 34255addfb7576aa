// `ai8x quantize` against ai8x-synthesis' quantize.py: every run recorded in ../shared/oracle/quantize/runs.json
// (the inputs in ../shared/ai8x-synthesis, the outputs next to runs.json; never committed) is quantized again here
// and compared tensor by tensor with quantize.py's file, read back with our reader. Where a Python with torch is at
// hand, torch.load also reads each file written here and compares it with quantize.py's in every value.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCheckpoint } from '../../server/src/engine/checkpoint/readCheckpoint';
import { PyObject, scanValues, Tensor } from '../../server/src/engine/checkpoint/types';
import { parseQuantizeArguments } from '../../server/src/engine/quantize/quantizeArguments';
import { quantizeFile } from '../../server/src/workspace/quantizeFiles';
import { requireShared, sharedDir, skipBecause } from '../support/shared';
import { NO_TORCH, pythonWithTorch } from '../support/pythonTorch';

interface QuantizeRun {
  script: string;
  input: string;
  output: string;
  args: string[];
  exit_code: number;
}

function isTensor(v: Tensor | PyObject): v is Tensor {
  return typeof v === 'object' && v !== null && 'dtype' in v && 'shape' in v;
}

/** The differences between two state_dicts: keys (and their order), then each tensor's dtype, shape and values. */
function stateDictDifferences(ours: ReturnType<typeof readCheckpoint>, theirs: ReturnType<typeof readCheckpoint>): string[] {
  const out: string[] = [];
  const a = ours.stateDict.map((e) => e.key);
  const b = theirs.stateDict.map((e) => e.key);
  if (a.join('\n') !== b.join('\n')) out.push(`keys: ours [${a.join(', ')}], quantize.py's [${b.join(', ')}]`);
  const mine = new Map(ours.stateDict.map((e) => [e.key, e.value]));
  for (const { key, value } of theirs.stateDict) {
    const v = mine.get(key);
    if (v === undefined) continue;
    if (!isTensor(value) || !isTensor(v)) {
      if (JSON.stringify(v) !== JSON.stringify(value)) out.push(`${key}: not the same value`);
      continue;
    }
    if (v.dtype !== value.dtype || v.shape.join() !== value.shape.join()) {
      out.push(`${key}: ours ${v.dtype} [${v.shape}], quantize.py's ${value.dtype} [${value.shape}]`);
      continue;
    }
    const x = scanValues(v);
    const y = scanValues(value);
    let differ = 0;
    let first = -1;
    // Object.is: −0.0 (an output shift of 0) is told from 0.0, as the bytes are.
    for (let i = 0; i < y.length; i++) {
      if (Object.is(x[i], y[i]) || (Number.isNaN(x[i]) && Number.isNaN(y[i]))) continue;
      if (first < 0) first = i;
      differ++;
    }
    if (differ) out.push(`${key}: ${differ} of ${y.length} values differ (first at ${first}: ours ${x[first]}, quantize.py's ${y[first]})`);
  }
  return out;
}

const TORCH_COMPARE = `
import json, math, sys
import torch
def diff(a, b, path):
    if type(a) is not type(b):
        return '%s: %s vs %s' % (path, type(a).__name__, type(b).__name__)
    if isinstance(a, torch.Tensor):
        if a.dtype != b.dtype or a.shape != b.shape:
            return '%s: %s %s vs %s %s' % (path, a.dtype, tuple(a.shape), b.dtype, tuple(b.shape))
        x, y = a.contiguous().view(-1), b.contiguous().view(-1)
        if a.dtype.is_floating_point:  # compare the bits: -0.0 is not 0.0
            bits = {2: torch.int16, 4: torch.int32, 8: torch.int64}[a.element_size()]
            x, y = x.view(bits), y.view(bits)
        return None if torch.equal(x, y) else '%s: values differ' % path
    if isinstance(a, dict):
        if list(a.keys()) != list(b.keys()):
            return '%s: keys %s vs %s' % (path, list(a.keys())[:8], list(b.keys())[:8])
        for k in a:
            d = diff(a[k], b[k], '%s/%s' % (path, k))
            if d: return d
        return None
    if isinstance(a, (list, tuple)):
        if len(a) != len(b): return '%s: length %d vs %d' % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = diff(x, y, '%s[%d]' % (path, i))
            if d: return d
        return None
    if isinstance(a, float):
        same = (a == b and math.copysign(1, a) == math.copysign(1, b)) or (math.isnan(a) and math.isnan(b))
        return None if same else '%s: %r vs %r' % (path, a, b)
    return None if a == b else '%s: %r vs %r' % (path, a, b)
out = {}
for ours, theirs in json.load(open(sys.argv[1])):
    try:
        out[ours] = diff(torch.load(ours, map_location='cpu'), torch.load(theirs, map_location='cpu'), '')
    except Exception as e:
        out[ours] = 'torch.load failed: %s: %s' % (type(e).__name__, e)
json.dump(out, open(sys.argv[2], 'w'))
`;

describe('ai8x quantize vs quantize.py (../shared/oracle/quantize)', function () {
  this.timeout(600_000);
  let runs: QuantizeRun[] = [];
  let dir = '';
  const written: [string, string][] = [];

  before(function () {
    requireShared(this, 'oracle', 'quantize', 'runs.json');
    requireShared(this, 'ai8x-synthesis', 'trained');
    runs = JSON.parse(fs.readFileSync(sharedDir('oracle', 'quantize', 'runs.json'), 'utf8')) as QuantizeRun[];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-quantize-oracle-'));
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('quantizes every run as quantize.py did: the same keys, and every state_dict tensor of the same dtype, shape and values', () => {
    const failures: string[] = [];
    let identical = 0;
    for (const run of runs) {
      const args = parseQuantizeArguments(run.args);
      assert.deepEqual(args.problems, [], `${run.output}: ${run.args.join(' ')}`);
      const root = sharedDir('ai8x-synthesis');
      const output = path.join(dir, run.output);
      const outcome = quantizeFile({
        ...args,
        input: path.join(root, run.input),
        output,
        device: args.device!,
        // quantize.py's scripts run in the ai8x-synthesis folder: a config file is relative to it.
        configFile: args.configFile ? path.resolve(root, args.configFile) : null,
      });
      if (run.exit_code !== 0) {
        if (outcome.ok) failures.push(`${run.output}: quantize.py stopped (exit ${run.exit_code}), this wrote a file`);
        else identical++;
        continue;
      }
      if (!outcome.ok) {
        failures.push(`${run.output}: ${outcome.message}`);
        continue;
      }
      written.push([output, sharedDir('oracle', 'quantize', run.output)]);
      const differences = stateDictDifferences(
        readCheckpoint(fs.readFileSync(output)),
        readCheckpoint(fs.readFileSync(sharedDir('oracle', 'quantize', run.output))),
      );
      if (differences.length) failures.push(`${run.output}:\n    ${differences.slice(0, 5).join('\n    ')}`);
      else identical++;
    }
    console.log(`      ${identical} of ${runs.length} quantize.py runs identical`);
    assert.ok(runs.length > 0, 'runs.json lists no run: nothing was compared');
    assert.deepEqual(failures, []);
  });

  it('torch.load reads every file written, equal to quantize.py’s in every value (optimizer state, extras and Python types too)', function () {
    const python = pythonWithTorch();
    if (!python) skipBecause(this, NO_TORCH);
    assert.ok(written.length > 0, 'no file was written to compare');
    fs.writeFileSync(path.join(dir, 'pairs.json'), JSON.stringify(written));
    fs.writeFileSync(path.join(dir, 'compare.py'), TORCH_COMPARE);
    const run = spawnSync(python!, [path.join(dir, 'compare.py'), path.join(dir, 'pairs.json'), path.join(dir, 'verdicts.json')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const verdicts = JSON.parse(fs.readFileSync(path.join(dir, 'verdicts.json'), 'utf8')) as Record<string, string | null>;
    const same = Object.values(verdicts).filter((v) => v === null).length;
    console.log(`      ${same} of ${written.length} files load in torch equal to quantize.py's`);
    assert.deepEqual(
      Object.entries(verdicts).filter(([, v]) => v !== null),
      [],
    );
  });
});
