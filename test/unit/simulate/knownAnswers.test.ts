// Conformance: for every shipped network izer accepted, our simulation's sampleoutput.h records must equal the
// ones izer wrote (../shared/oracle/runs/<case>/oracle_extract.json), word for word and in order.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { knownAnswerDifference, simulate } from '../../../server/src/engine/simulate';
import type { KnownAnswerRecord } from '../../../server/src/engine/simulate';
import { PIPELINE_NOT_AVAILABLE, SAMPLE_MISSING, buildPlanForRun } from '../../support/runPipeline';
import { sharedDir } from '../../support/shared';

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
      console.log(`      (skipped: ${runsFile} not found)`);
      this.skip();
    });
    return;
  }
  const tally = { identical: 0, compared: 0, noSample: [] as string[] };
  after(() => {
    const missing = tally.noSample.length ? `; ${tally.noSample.length} not compared, their sample input is missing (${tally.noSample.join(', ')})` : '';
    console.log(`      ${tally.identical} of ${tally.compared} known answers identical to izer's${missing}`);
  });
  for (const run of runs.filter((r) => r.accepted && r.extract)) {
    it(run.case, async function () {
      this.timeout(300_000);
      const extract = JSON.parse(fs.readFileSync(`${oracle}/runs/${run.extract}`, 'utf8')) as {
        known_answer_present: boolean;
        sample_output_records: { address: string; mask: string; words_hex: string[] }[];
      };
      if (!extract.known_answer_present) {
        console.log(`      (skipped: izer wrote no known answer for ${run.case})`);
        this.skip();
      }
      let input;
      try {
        input = await buildPlanForRun(run.case);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith(PIPELINE_NOT_AVAILABLE)) {
          console.log(`      (skipped: ${PIPELINE_NOT_AVAILABLE} — test/support/runPipeline.ts)`);
          this.skip();
        }
        if (e instanceof Error && e.message.startsWith(SAMPLE_MISSING)) {
          tally.noSample.push(run.case);
          console.log(`      (skipped: ${e.message})`);
          this.skip();
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
});
