// The reader's memory and time budget (issue 13): no checkpoint may make it hold more than 64 × the file's size (and
// never more than 512 MiB), or work past its time budget, however the file is built. Memory is measured in a process
// of its own (readProbe.ts): the peak of resident memory during the read and what stays held after it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { writeTorchCheckpoint } from '../../../server/src/engine/checkpoint/writeCheckpoint';
import { CheckpointError } from '../../../server/src/engine/checkpoint/types';
import { HOSTILE_INPUTS } from './hostileInputs';
import type { ProbeReport } from './readProbe';

const MiB = 2 ** 20;
/**
 * What a read may add to resident memory beyond its budget: the probe runs with 1 MiB semi-spaces, so resident
 * memory follows live memory closely; this covers compiled code and the collector's slack (~6 MiB measured).
 */
const RSS_ALLOWANCE = 24 * MiB;
/** Noise of the heap measurement after a full collection. */
const HEAP_NOISE = 1 * MiB;

const budgetOf = (size: number): number => Math.min(64 * size, 512 * MiB);
const mib = (n: number): string => `${(n / MiB).toFixed(1)} MiB`;

/** Reads `bytes` in a process of its own and reports what it cost. */
function probe(dir: string, bytes: Uint8Array): ProbeReport {
  const file = path.join(dir, 'input.pth');
  fs.writeFileSync(file, bytes);
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-semi-space-size=1', '--max-old-space-size=2048', path.join(__dirname, 'readProbe.js'), 'read', file],
    { encoding: 'utf8', timeout: 90_000 },
  );
  assert.equal(r.status, 0, `the probe did not finish (${r.signal ?? `exit ${r.status}`}): ${(r.stderr ?? '').slice(-600)}`);
  return JSON.parse(r.stdout) as ProbeReport;
}

describe('checkpoint reader: memory and time budget', function () {
  this.timeout(120_000);
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-memory-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('hostile inputs stay within 64 × their size, measured in a separate process', () => {
    for (const [name, make] of Object.entries(HOSTILE_INPUTS)) {
      it(name, () => {
        const bytes = make();
        const budget = budgetOf(bytes.length);
        const r = probe(dir, bytes);
        assert.ok(r.outcome === 'ok' || r.outcome === 'CheckpointError', `${r.outcome}: ${r.message}`);
        assert.ok(
          r.peakGrowth <= budget + RSS_ALLOWANCE,
          `resident memory grew by ${mib(r.peakGrowth)} reading ${bytes.length} bytes (budget ${mib(budget)} + ${mib(RSS_ALLOWANCE)})`,
        );
        assert.ok(r.retained <= budget + HEAP_NOISE, `${mib(r.retained)} stay held after reading ${bytes.length} bytes (budget ${mib(budget)})`);
        if (r.outcome === 'ok') assert.ok(r.memoryBytes !== undefined && r.memoryBytes <= budget, `charged ${r.memoryBytes} of ${budget}`);
      });
    }
  });

  describe('real checkpoints read well within the budget, and what is charged covers what is held', () => {
    const cases: [string, () => Uint8Array][] = [
      ['float32 weights (4 MB)', () => weights('float32', 1 << 20)],
      ['uint8 weights (1 MB; decoded to 8 times the size)', () => weights('uint8', 1 << 20)],
      ['a thousand small tensors', () => manyTensors(1000)],
    ];
    for (const [name, make] of cases) {
      it(name, () => {
        const bytes = make();
        const r = probe(dir, bytes);
        assert.equal(r.outcome, 'ok', r.message);
        assert.ok(r.memoryBytes! <= budgetOf(bytes.length) / 4, `charged ${mib(r.memoryBytes!)} for ${mib(bytes.length)}`);
        assert.ok(r.retained <= r.memoryBytes! + HEAP_NOISE, `holds ${mib(r.retained)} but was charged ${mib(r.memoryBytes!)}`);
      });
    }
  });

  describe('time', () => {
    it('the time budget is checked by work done, so a few costly instructions cannot outrun it', () => {
      // 3,000 copies of a 10,000-item list take 3,000 instructions; the old reader looked at the clock every 65,536
      // instructions and never here. A fake clock that advances a second per reading shows how often it is read.
      let readings = 0;
      const clock = (): number => 1000 * readings++;
      assert.throws(
        () => readCheckpoint(HOSTILE_INPUTS['list copies'](), { limits: { maxMemoryBytes: 2 ** 40, timeBudgetMs: 60_000, clock } }),
        (e: unknown) => e instanceof CheckpointError && e.code === 'limit' && /longer than 60000 ms/.test(e.message),
      );
      assert.ok(readings <= 62, `the clock was read ${readings} times`);
    });
  });
});

function weights(dtype: 'float32' | 'uint8', n: number): Uint8Array {
  return writeTorchCheckpoint({
    arch: 'ai85net5',
    epoch: 1,
    stateDict: [{ key: 'conv.op.weight', tensor: { dtype, shape: [n / 64, 4, 4, 4], values: Array.from({ length: n }, (_, i) => i % 100) } }],
  });
}

function manyTensors(n: number): Uint8Array {
  return writeTorchCheckpoint({
    arch: 'ai85net5',
    epoch: 1,
    stateDict: Array.from({ length: n }, (_, i) => ({ key: `layer${i}.output_shift`, tensor: { dtype: 'float32' as const, shape: [1], values: [i % 8] } })),
  });
}
