// izer's wall time for a run in the same bench, where AI8X_SYNTHESIS_PATH and AI8X_PYTHON name an ai8x-synthesis
// checkout and its Python: the benches compare our figures with it (else with the time recorded in ../shared).
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Milliseconds of one izer run of `yaml` with `flags` (into a scratch folder), or why there is none. */
export function timeIzer(yaml: string, flags: readonly string[]): { ms: number } | { why: string } {
  const checkout = process.env.AI8X_SYNTHESIS_PATH;
  const python = process.env.AI8X_PYTHON;
  if (!checkout || !python || !fs.existsSync(path.join(checkout, 'ai8xize.py'))) return { why: 'izer is not set up here' };
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-bench-izer-'));
  try {
    const t0 = performance.now();
    const r = cp.spawnSync(
      python,
      ['ai8xize.py', '--test-dir', out, '--prefix', 'bench', '--config-file', yaml, ...flags, '--overwrite', '--no-version-check'],
      { cwd: checkout, encoding: 'utf8', timeout: 300_000 },
    );
    if (r.status !== 0) return { why: `izer failed here: ${(r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').pop()}` };
    return { ms: performance.now() - t0 };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
