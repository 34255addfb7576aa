// Native synthesis against izer's own generated projects: for every shared case (every accepted shipped run, every
// accepted MAX78000 test network) and every recorded one (.izer-oracle/synthesis: MAX78002 test networks, flag
// sets), our generator's project must give the hardware what izer's project gives it — the memory images after
// configuration, input and start, the FIFO words, check_output() on izer's known answer, cnn_unload() and main()'s
// MSDK calls — through the hardware-image harness (server/src/projectImage). Each set prints N of M and fails on
// zero. Where arm-none-eabi-gcc is installed, our projects are also compiled for the Cortex-M4: every shipped one and
// every tenth of the other sets. AI8X_CONFORMANCE_SETS=shipped,fifo limits the sets (by label) for a quicker local run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkNetwork, CheckResult } from '../../server/src/engine/check';
import { readCheckpoint } from '../../server/src/engine/checkpoint/readCheckpoint';
import { synthesizeFromCheck } from '../../server/src/engine/generate/synthesizeFromCheck';
import { readNpy, SampleInput } from '../../server/src/engine/sample/npy';
import { armCompileCheck } from '../../server/src/projectImage/armCompile';
import { compareProjects } from '../../server/src/projectImage/compareProjects';
import { projectImage } from '../../server/src/projectImage/projectImage';
import { findArmCompiler } from '../../server/src/projectImage/hostCompiler';
import { requireHarness } from '../support/projectCopies';
import { skipBecause, synthesisFile } from '../support/shared';
import { SynthesisCase, synthesisCases, withJobs } from '../support/synthesisCases';
import { checkTestNetwork } from '../support/testsuite';

const JOBS = Math.max(1, Math.min(2, os.cpus().length));

/** Our check of the network as izer was run for this case: same YAML, weights, sample, device and flags. */
function checkCase(c: SynthesisCase): { check: CheckResult; sample: SampleInput | null } {
  const flags = c.izerFlags.filter(
    (f, i, all) => !['--checkpoint-file', '--sample-input'].includes(f) && !['--checkpoint-file', '--sample-input'].includes(all[i - 1]),
  );
  if (!c.checkpoint) {
    const { result, inputs } = checkTestNetwork(
      c.yamlRel,
      c.device,
      flags.filter((f, i, all) => f !== '--device' && all[i - 1] !== '--device'),
    );
    const sample = inputs.sample && !('error' in inputs.sample) ? inputs.sample : null;
    return { check: result, sample };
  }
  const text = fs.readFileSync(c.yaml, 'utf8');
  const dataset = /^dataset:\s*(\S+)/m.exec(text)?.[1]?.toLowerCase();
  const samplePath = c.sampleInput ?? (dataset ? synthesisFile(`tests/sample_${dataset}.npy`) : null);
  const sample = samplePath && fs.existsSync(samplePath) ? readNpy(new Uint8Array(fs.readFileSync(samplePath))) : null;
  const checkpoint = readCheckpoint(new Uint8Array(fs.readFileSync(c.checkpoint)));
  const check = checkNetwork({
    text,
    fileName: c.yamlRel,
    izerFlags: flags,
    resolveInputs: () => ({ checkpoint, checkpointPath: c.checkpoint!, sample: sample ?? undefined, samplePath: samplePath ?? undefined }),
  });
  return { check, sample };
}

/** Generates our project for a case into `dir`: the reason in words when it makes none, else its warnings. */
function generateCase(c: SynthesisCase, dir: string): { why: string } | { warnings: string[] } {
  const { check, sample } = checkCase(c);
  const outcome = synthesizeFromCheck(check, sample, { prefix: c.case, commandLine: `conformance ${c.label}` });
  if (outcome.kind !== 'project')
    return {
      why: outcome.kind === 'refused' ? `refused ${outcome.unsupported.map((u) => u.flag).join(', ')}` : `${outcome.kind}: ${outcome.message}`,
    };
  for (const f of outcome.files) {
    const file = path.join(dir, ...f.path.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.text);
  }
  return { warnings: outcome.warnings };
}

/**
 * Cases where izer's own project fails on the harness, with what it does. Ours follows izer there and must warn
 * the user (the test checks both); such a case counts as agreeing with izer, and is listed.
 */
const IZER_FAULTS: Record<string, { harness: RegExp; warning: RegExp }> = {
  // izer's custom unload of this wide output steps past MAX78002's quadrants (generate/unloadReach.ts).
  'testsuite-MAX78002/MAX78002-test-widegap': {
    harness: /cnn_unload touched memory outside/,
    warning: /cnn_unload\(\) reads .* outside MAX78002's accelerator/,
  },
};

describe("native synthesis gives the hardware what izer's project gives it", function () {
  // Up to a few hundred projects compiled twice each: minutes, not hours. A hung harness run ends itself (20 s).
  this.timeout(60 * 60 * 1000);
  const only = process.env.AI8X_CONFORMANCE_SETS?.split(',').map((s) => s.trim());
  const all = synthesisCases().filter((c) => !only || only.includes(c.set));
  const sets = [...new Set(all.map((c) => c.set))];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-conformance-'));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  if (!sets.includes('shipped') && (!only || only.includes('shipped')))
    it('shipped: every accepted shipped run', function () {
      skipBecause(this, '../shared/oracle/synthesis not found');
    });

  const arm = !!findArmCompiler();
  if (!arm) console.log('      (no Cortex-M4 compile of our projects: arm-none-eabi-gcc is not installed; Debian: apt-get install gcc-arm-none-eabi)');

  for (const set of sets) {
    it(`${set}: every case`, async function () {
      requireHarness(this);
      const cases = all.filter((c) => c.set === set);
      const t0 = Date.now();
      let armCompiled = 0;
      const izerFaults: string[] = [];
      const results = await withJobs(cases, JOBS, async (c) => {
        const dir = path.join(scratch, set, c.case);
        const fault = IZER_FAULTS[c.label];
        try {
          const generated = generateCase(c, dir);
          if ('why' in generated) return `${c.case}: ${generated.why}`;
          if (fault && !generated.warnings.some((w) => fault.warning.test(w)))
            return `${c.case}: izer's project faults here, and ours does not warn about it (warnings: ${generated.warnings.join('; ') || 'none'})`;
          const r = await compareProjects(c.referenceDir, dir, { device: c.device, referenceName: "izer's project", candidateName: 'ours' }).catch(
            async (e: unknown) => {
              if (!fault || !fault.harness.test((e as Error).message)) throw e;
              // Whichever project stopped the comparison, both must fault the same way.
              const alone = await Promise.all(
                [c.referenceDir, dir].map((d) =>
                  projectImage(d).then(
                    () => 'ran',
                    (x: unknown) => (x as Error).message,
                  ),
                ),
              );
              if (!alone.every((m) => fault.harness.test(m))) throw new Error(`izer's project and ours do not fault alike: ${alone.join(' | ')}`);
              return null;
            },
          );
          if (r === null) {
            izerFaults.push(c.case);
            return null;
          }
          if (!r.same) return `${c.case}: ${r.summary}`;
          if (arm && (set === 'shipped' || cases.indexOf(c) % 10 === 0)) {
            const a = await armCompileCheck(dir);
            if (!a.ok) return `${c.case}: does not compile for the Cortex-M4: ${a.error}`;
            armCompiled++;
          }
          return null;
        } catch (e) {
          return `${c.case}: ${(e as Error).message}`;
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
      const failures = results.filter((r): r is string => r !== null);
      console.log(
        `      ${set}: ${cases.length - failures.length} of ${cases.length} cases give izer's images` +
          (arm ? `, ${armCompiled} of them compiled for the Cortex-M4` : '') +
          (izerFaults.length ? ` (${izerFaults.length} where izer's own project faults and ours warns: ${izerFaults.join(', ')})` : '') +
          ` (${((Date.now() - t0) / 1000).toFixed(0)} s, ${JOBS} jobs)`,
      );
      assert.ok(cases.length > 0, 'compared at least one case');
      assert.deepEqual(failures.slice(0, 10), []);
    });
  }
});
