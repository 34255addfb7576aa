// Our hardware-image harness agrees with ../shared/tools/cnnhost, the shared definition of "the same project":
// on pairs of izer projects and deliberately altered copies, both say "same" or both say "different". Where
// cnnhost cannot see a difference by design (a FIFO word before the last), ours must.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { findOnPath } from '../../../server/src/process/findOnPath';
import { runProcess } from '../../../server/src/process/runProcess';
import { compareProjects } from '../../../server/src/projectImage/compareProjects';
import { ProjectCopies, flipHexWord, requireHarness } from '../../support/projectCopies';
import { requireShared, skipBecause } from '../../support/shared';

/** cnnhost's verdict on a pair: true when it says the images are the same. */
async function cnnhostSame(cnnhost: string, python: string, a: string, b: string): Promise<{ same: boolean; output: string }> {
  let output = '';
  const limit = new AbortController();
  const timer = setTimeout(() => limit.abort(), 240_000);
  try {
    const r = await runProcess(python, [path.join(cnnhost, 'cnnhost.py'), 'compare', a, b], {
      cwd: cnnhost,
      signal: limit.signal,
      onStdout: (t) => (output += t),
      onStderr: (t) => (output += t),
    });
    assert.ok(!r.cancelled, `cnnhost did not finish on ${a} and ${b}`);
    assert.ok(r.exitCode === 0 || r.exitCode === 1, `cnnhost failed (${r.exitCode}): ${output}`);
    return { same: r.exitCode === 0, output: output.trim() };
  } finally {
    clearTimeout(timer);
  }
}

describe('hardware image agrees with cnnhost', function () {
  this.timeout(600_000);
  let cnnhost: string;
  let python: string;
  let shipped: string;
  let testsuite: string;
  const copies = new ProjectCopies();

  before(function () {
    cnnhost = requireShared(this, 'tools', 'cnnhost');
    shipped = requireShared(this, 'oracle', 'synthesis', 'shipped');
    testsuite = requireShared(this, 'oracle', 'synthesis', 'testsuite-MAX78000');
    requireHarness(this);
    python = findOnPath('python3') ?? skipBecause(this, 'python3 (which runs cnnhost) is not on PATH');
  });
  after(() => copies.remove());

  it('gives the same verdict on projects compared with themselves and with altered copies', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const kws = path.join(shipped, 'MAX78002-kws20_v3_1');
    const conv1d = path.join(testsuite, 'MAX78000-test-conv1d-pool-5-wide');
    const pairs: [string, string, string][] = [
      ['mnist with itself', mnist, mnist],
      ['kws20_v3 (MAX78002) with itself', kws, kws],
      ['a test network with itself', conv1d, conv1d],
      ['mnist with a changed register', mnist, copies.altered(mnist, 'cnn.c', (t) => t.replace('= 0x0001001d; // Rows', '= 0x0001001c; // Rows'))],
      ['mnist with a changed kernel word', mnist, copies.altered(mnist, 'weights.h', (t) => flipHexWord(t, '#define KERNELS', 40, 0x100))],
      ['kws20_v3 with a wrong known answer', kws, copies.altered(kws, 'sampleoutput.h', (t) => flipHexWord(t, 'SAMPLE_OUTPUT', 5, 0x1))],
      ['mnist with kws20_v3', mnist, kws],
    ];
    let agreed = 0;
    for (const [what, a, b] of pairs) {
      const [theirs, ours] = await Promise.all([cnnhostSame(cnnhost, python, a, b), compareProjects(a, b)]);
      assert.equal(ours.same, theirs.same, `${what}: cnnhost says "${theirs.output}", ours "${ours.summary}"`);
      agreed++;
      console.log(`      ${what}: both ${ours.same ? 'same' : 'different'}`);
    }
    console.log(`      ${agreed} of ${pairs.length} pairs compared, all agree`);
  });

  it('sees a change of a FIFO word before the last, which cnnhost cannot see', async () => {
    const catsDogs = path.join(shipped, 'MAX78000-cats-dogs');
    const altered = copies.altered(catsDogs, 'sampledata.h', (t) => flipHexWord(t, 'SAMPLE_INPUT_0', 100, 0x2));
    const [theirs, ours] = await Promise.all([cnnhostSame(cnnhost, python, catsDogs, altered), compareProjects(catsDogs, altered)]);
    assert.equal(theirs.same, true, theirs.output);
    assert.equal(ours.same, false);
    assert.equal(ours.differences[0].aspect, 'fifo');
  });
});
