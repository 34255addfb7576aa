// Conformance: for every shipped network izer accepted, our simulation's sampleoutput.h records must equal the
// ones izer wrote (../shared/oracle/runs/<case>/oracle_extract.json), word for word and in order.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { knownAnswerDifference, simulate } from '../../../server/src/engine/simulate';
import type { KnownAnswerRecord } from '../../../server/src/engine/simulate';
import { SAMPLE_MISSING, buildPlanForRun } from '../../support/runPipeline';
import { sharedDir, skipBecause } from '../../support/shared';

interface RunEntry {
  case: string;
  accepted: boolean;
  extract: string | null;
}

const oracle = sharedDir('oracle');
const runsFile = `${oracle}/runs.json`;
const runs: RunEntry[] = fs.existsSync(runsFile) ? (JSON.parse(fs.readFileSync(runsFile, 'utf8')) as RunEntry[]) : [];

describe('known answer: conformance with every shared izer run', () => {
  if (runs.length === 0) {
    it('needs ../shared/oracle/runs.json', function () {
      skipBecause(this, `${runsFile} not found`);
    });
    return;
  }
  const tally = { identical: 0, compared: 0, noSample: [] as string[], noAnswer: [] as string[] };
  const candidates = runs.filter((r) => r.accepted && r.extract);
  for (const run of candidates) {
    it(run.case, async function () {
      this.timeout(300_000);
      const extract = JSON.parse(fs.readFileSync(`${oracle}/runs/${run.extract}`, 'utf8')) as {
        known_answer_present: boolean;
        sample_output_records: { address: string; mask: string; words_hex: string[] }[];
      };
      if (!extract.known_answer_present) {
        tally.noAnswer.push(run.case);
        skipBecause(this, `izer wrote no known answer for ${run.case}`);
      }
      let input;
      try {
        input = await buildPlanForRun(run.case);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith(SAMPLE_MISSING)) {
          tally.noSample.push(run.case);
          skipBecause(this, e.message);
        }
        throw e;
      }
      const result = simulate(input.plan, input.sample, { device: input.device, flags: input.flags, keepAllValues: false });
      const expected: KnownAnswerRecord[] = extract.sample_output_records.map((r) => ({ address: r.address, mask: r.mask, words: r.words_hex }));
      const diff = knownAnswerDifference(expected, result.knownAnswer);
      tally.compared++;
      if (diff === null) tally.identical++;
      assert.equal(diff, null, `${run.case}: ${diff}`);
    });
  }
  // Runs last (mocha keeps the order): the count, so that a suite of skips cannot pass as conformance.
  it('compared at least one known answer', () => {
    const missing = tally.noSample.length ? `; ${tally.noSample.length} not compared, their sample input is missing (${tally.noSample.join(', ')})` : '';
    const none = tally.noAnswer.length ? `; ${tally.noAnswer.length} without a known answer from izer` : '';
    console.log(`      ${tally.identical} of ${tally.compared} known answers identical to izer's, of ${candidates.length} runs izer accepted${missing}${none}`);
    assert.ok(tally.compared > 0, 'no known answer compared');
  });
});
