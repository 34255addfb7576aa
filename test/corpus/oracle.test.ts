// Held to the izer oracle: verdicts of the shared runs and mutation cases, and kernel maps byte for byte.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import { kernelMapText } from '../../server/src/engine/analysis/kernelAllocation';
import { checkMutation, checkRun, loadMutations, loadRuns, OracleRun } from '../support/oracleRuns';
import { requireShared, sharedDir } from '../support/shared';

const errorsOf = (r: ReturnType<typeof checkRun>['result']) => r.diagnostics.filter((d) => d.severity === 'error');
const describeErrors = (r: ReturnType<typeof checkRun>['result']) =>
  errorsOf(r)
    .slice(0, 3)
    .map((d) => `${d.code}@${d.layer ?? '-'} ${d.message}`)
    .join(' | ');

describe('izer oracle: shared runs', function () {
  this.timeout(300000);
  let runs: OracleRun[] = [];
  before(function () {
    requireShared(this, 'oracle', 'runs.json');
    runs = loadRuns();
  });

  it('every accepted run is clean, every rejected run gets an error', () => {
    const bad: string[] = [];
    let standIns = 0;
    for (const run of runs) {
      const { result, sample } = checkRun(run);
      if (sample.standIn) standIns++;
      const errs = errorsOf(result);
      if (run.accepted && errs.length) bad.push(`${run.case} (accepted by izer): ${describeErrors(result)}`);
      if (!run.accepted && !errs.length) bad.push(`${run.case} (izer: ${run.izer_error_lines[0]}): no error`);
    }
    console.log(`      ${runs.length - bad.length} of ${runs.length} run verdicts agree with izer (${standIns} run(s) use a zero-filled stand-in for a sample file missing from ../shared)`);
    assert.deepStrictEqual(bad, []);
  });

  it('ai8x kernel maps are identical to izer\'s kernel_map.txt', () => {
    const diffs: string[] = [];
    let n = 0;
    for (const run of runs.filter((r) => r.extract)) {
      const file = sharedDir('oracle', 'runs', run.case, 'kernel_map.txt');
      if (!fs.existsSync(file)) continue;
      n++;
      const { result } = checkRun(run);
      const mem = result.analysis?.memory;
      const ours = mem ? kernelMapText(result.device, result.analysis!.state.layers, mem.kernels.map) : '(no kernel map)';
      const theirs = fs.readFileSync(file, 'utf8');
      if (ours !== theirs) {
        const a = ours.split('\n');
        const b = theirs.split('\n');
        const line = a.findIndex((x, i) => x !== b[i]);
        diffs.push(`${run.case}: first difference in line ${line + 1}${line > 1 && line < 66 ? ` (processor ${line - 2})` : ''}`);
      }
    }
    console.log(`      ${n - diffs.length} of ${n} kernel maps identical`);
    assert.deepStrictEqual(diffs, []);
  });
});

describe('izer oracle: mutation cases', function () {
  this.timeout(300000);
  it('"we report an error" equals izer rejecting the file (without yamllint)', function () {
    requireShared(this, 'oracle', 'mutations', 'cases.json');
    const runs = loadRuns();
    const cases = loadMutations();
    const disagree: string[] = [];
    const wrongLayer: string[] = [];
    for (const c of cases) {
      const { result } = checkMutation(c, runs);
      const errs = errorsOf(result);
      const weReject = errs.length > 0;
      if (weReject === c.accepted_no_yamllint) {
        disagree.push(`${c.id} [${c.mutation_description}]: izer ${c.accepted_no_yamllint ? 'accepts' : 'rejects (' + (c.izer_error_lines_no_yamllint[0] ?? '') + ')'}, we ${weReject ? 'report ' + describeErrors(result) : 'report no error'}`);
      }
    }
    console.log(`      ${cases.length - disagree.length} of ${cases.length} mutation verdicts agree with izer`);
    for (const d of disagree) console.log(`        disagree: ${d}`);
    for (const w of wrongLayer) console.log(`        layer: ${w}`);
    assert.deepStrictEqual(disagree, []);
  });
});
