// The editor's maps and fixes held to the izer oracle: the kernel-map view is built from the same allocation
// izer prints (its text toggle is kernel_map.txt byte for byte, its grid is that text cell by cell); the
// data-memory view flags exactly the overwrites the checks report, and none izer would refuse in a run it
// accepted; fix all repairs the mask, offset and typo mutations completely and never adds errors.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import { kernelMapModel } from '../../../server/src/engine/services/kernelMapView';
import { dataMemoryModel } from '../../../server/src/engine/services/dataMemoryView';
import { fixAll } from '../../../server/src/engine/services/fixAll';
import { checkLikeIzer, checkMutation, checkRun, loadExtract, loadMutations, loadRuns, MutationCase, OracleRun } from '../../support/oracleRuns';
import { requireShared, sharedDir } from '../../support/shared';

/** izer's kernel-map text as [processor][column] → layer or −1 (cells are right-aligned to a fixed width). */
function izerCells(text: string, layers: number): number[][] {
  let width = Math.floor(Math.log10(Math.max(1, layers))) + 1;
  if (width > 1) width++;
  return text
    .split('\n')
    .slice(2, 66)
    .map((row) => {
      const cells: number[] = [];
      for (let i = 0; i < row.length; i += width) {
        const c = row.slice(i, i + width).trim();
        cells.push(c === 'X' ? -1 : Number(c));
      }
      return cells;
    });
}

describe('editor maps and fixes vs the izer oracle', function () {
  this.timeout(600000);
  let runs: OracleRun[] = [];
  let mutations: MutationCase[] = [];
  before(function () {
    requireShared(this, 'oracle', 'runs.json');
    runs = loadRuns();
    mutations = loadMutations();
  });

  it("the kernel-map view shows izer's kernel_map.txt: the same text, and a grid that is that text cell by cell", () => {
    let n = 0;
    // izer writes a kernel map for every network it accepts; ../shared must have each of them.
    const accepted = runs.filter((r) => r.accepted);
    for (const run of accepted) {
      const file = sharedDir('oracle', 'runs', run.case, 'kernel_map.txt');
      assert.ok(fs.existsSync(file), `${run.case}: izer accepted it, but ../shared has no kernel_map.txt for it`);
      n++;
      const { result } = checkRun(run);
      const answer = kernelMapModel(result);
      assert.ok('model' in answer, `${run.case}: ${'unavailable' in answer ? answer.unavailable : ''}`);
      const izer = fs.readFileSync(file, 'utf8');
      assert.strictEqual(answer.model.text, izer, `${run.case}: text toggle`);
      const cells = izerCells(izer, result.analysis!.state.layers);
      for (let p = 0; p < 64; p++) {
        const fromRuns = new Array(answer.model.widths[p]).fill(-1);
        for (const [s, e, ll] of answer.model.rows[p]) for (let c = s; c < e; c++) fromRuns[c] = ll;
        assert.deepStrictEqual(fromRuns, cells[p], `${run.case}: processor ${p}`);
      }
      const used = cells.flat().filter((c) => c >= 0).length;
      assert.strictEqual(answer.model.usedCells, used, `${run.case}: used cells`);
    }
    console.log(`      ${n} of ${accepted.length} kernel maps (every run izer accepted): view text and grid identical to izer's`);
    assert.ok(n > 0, 'no kernel map compared');
  });

  it('the data-memory view flags exactly the overwrites the checks report (IZ280, AX305), runs and mutations alike', () => {
    let traced = 0;
    let flagged = 0;
    const problems: string[] = [];
    const cases = [
      ...runs.map((r) => ({ id: r.case, accepted: r.accepted, get: () => checkRun(r).result })),
      ...mutations.map((c) => ({ id: c.id, accepted: c.accepted_no_yamllint, get: () => checkMutation(c, runs).result })),
    ];
    for (const c of cases) {
      const result = c.get();
      const answer = dataMemoryModel(result);
      if (!('model' in answer)) continue;
      traced++;
      const m = answer.model;
      const layerOf = (step: number) => m.steps[step].yamlIndex;
      const reported = result.diagnostics.filter((d) => d.code === 'IZ280' || d.code === 'AX305');
      const shown = m.conflicts.filter((x) => !x.allowedByFlag);
      flagged += shown.length;
      for (const d of reported)
        if (!shown.some((x) => x.code === d.code && layerOf(x.writer) === d.layer)) problems.push(`${c.id}: ${d.code} on layer ${d.layer} is not in the view`);
      for (const x of shown)
        if (!reported.some((d) => d.code === x.code && d.layer === layerOf(x.writer)))
          problems.push(`${c.id}: the view flags ${x.code} for ${m.steps[x.writer].label} without a diagnostic`);
      if (c.accepted)
        for (const x of shown.filter((y) => y.checkedByIzer))
          problems.push(`${c.id}: izer accepted it, but the view has an overwrite izer refuses (${m.steps[x.writer].label})`);
    }
    console.log(`      ${traced} of ${cases.length} networks traced, ${flagged} overwrite(s) of data still needed, all matching the diagnostics`);
    assert.deepStrictEqual(problems, []);
    assert.ok(traced > 50);
  });

  it('fix all repairs mask, offset and typo mutations completely, and never leaves more errors', () => {
    const fixable =
      /procs-too-few|procs-too-many|procs-one-bit|procs-chw-shared|hwc-first-procs|fc-procs-too-few|output-procs-bits|out-offset|key-typo|op-typo|activate-sigmoid|data-format-bad|duplicate-key|unknown-top-key|pad-1-on-1x1|kernel-size-on-mlp|in-seq-nonexistent/;
    const bad: string[] = [];
    let repaired = 0;
    let expected = 0;
    for (const c of mutations) {
      const { result } = checkMutation(c, runs);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (!errors.length) continue;
      const base = runs.find((r) => r.case === c.base_case) ?? null;
      const recheck = (text: string) =>
        checkLikeIzer(text, c.yaml, {
          device: c.device,
          checkpoint: c.checkpoint,
          sampleInput: c.sample_input,
          izerFlags: c.izer_flags,
          extract: base ? loadExtract(base) : null,
        }).result;
      const all = fixAll(result, recheck);
      const after = all ? all.result.diagnostics.filter((d) => d.severity === 'error') : errors;
      if (all && after.length > errors.length) bad.push(`${c.id}: ${errors.length} → ${after.length} errors`);
      if (fixable.test(c.id)) {
        expected++;
        if (after.length || all?.result.diagnostics.some((d) => d.code === 'AX305' || d.code === 'AX306'))
          bad.push(`${c.id} (${c.mutation_description}): left ${after.map((d) => d.code).join(', ')}`);
        else repaired++;
      }
    }
    console.log(`      fix all repaired ${repaired} of ${expected} mask/offset/typo mutations completely`);
    assert.ok(expected >= 20, `${expected} mutation cases of those kinds`);
    assert.deepStrictEqual(bad, []);
  });
});
