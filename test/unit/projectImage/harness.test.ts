// The hardware-image harness on izer's real projects (../shared/oracle/synthesis): a project is the same as itself,
// and a copy with one change — a register, a kernel word, an input word, the known answer, one FIFO word, the
// interface — is found different, with the difference said in words. A project that hangs or is cancelled ends
// with a message and leaves no process and no scratch folder behind.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareProjects } from '../../../server/src/projectImage/compareProjects';
import { ImageError } from '../../../server/src/projectImage/imageError';
import { projectImage } from '../../../server/src/projectImage/projectImage';
import { ProjectCopies, flipHexWord, requireHarness } from '../../support/projectCopies';
import { requireShared } from '../../support/shared';

const names = { referenceName: "izer's project", candidateName: 'ours' };

describe('hardware image of izer projects', function () {
  this.timeout(300_000);
  let shipped: string;
  const copies = new ProjectCopies();

  before(function () {
    shipped = requireShared(this, 'oracle', 'synthesis', 'shipped');
    requireHarness(this);
  });
  after(() => copies.remove());

  it('a MAX78000 project is the same as itself, and its image holds what izer configures', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const r = await compareProjects(mnist, mnist, names);
    assert.equal(r.same, true, r.summary);
    console.log(`      ${r.summary} (compile ${r.reference.compileSeconds.toFixed(1)} s, run ${r.reference.runSeconds.toFixed(1)} s)`);
    const im = r.reference;
    assert.ok(im.stages.configured.addresses.length > 10000);
    assert.ok(im.stages.input.addresses.length > im.stages.configured.addresses.length, 'load_input adds the sample to data memory');
    assert.deepEqual(im.returned, { cnn_init: 1, cnn_load_weights: 1, cnn_load_bias: 1, cnn_configure: 1, cnn_start: 1 });
    assert.equal(im.checkOutput?.result, 1);
    assert.ok(im.checkOutput!.flips.length >= 2 && im.checkOutput!.flips.every((f) => f.result === 0));
    assert.equal(im.unload?.length, 10);
  });

  it('a MAX78002 project, a RISC-V project and a FIFO project are the same as themselves', async () => {
    for (const dir of [path.join(shipped, 'MAX78002-kws20_v3_1'), path.join(shipped, 'MAX78000-mnist-riscv'), path.join(shipped, 'MAX78000-cats-dogs')]) {
      const r = await compareProjects(dir, dir, names);
      assert.equal(r.same, true, `${path.basename(dir)}: ${r.summary}`);
    }
  });

  it('logs every word load_input writes to a FIFO', async () => {
    const im = await projectImage(path.join(shipped, 'MAX78000-cats-dogs'));
    assert.equal(im.fifoStoresInSources, 1);
    assert.equal(im.fifoWrites.length, 128 * 128, 'a 3x128x128 HWC input: one word per pixel');
    assert.ok(im.fifoWrites.every((w) => w.address === 0x50000008 && w.stage === 'input'));
    assert.deepEqual(im.fifoUnlogged, []);
    const last = im.fifoWrites[im.fifoWrites.length - 1].value;
    const i = im.stages.input.addresses.indexOf(0x50000008);
    assert.equal(im.stages.input.values[i], last, 'the FIFO register holds the last word');
  });

  it("runs the project's own main(): its MSDK calls, the end of the inference, its result", async () => {
    for (const [dir, wait] of [
      [path.join(shipped, 'MAX78000-mnist'), 'MXC_LP_EnterSleepMode'],
      [path.join(shipped, 'MAX78000-mnist-riscv'), null],
    ] as const) {
      const im = await projectImage(dir);
      const app = im.application;
      assert.ok(!('error' in app), `${path.basename(dir)}: ${'error' in app ? app.error : ''}`);
      assert.equal(app.returned, 0);
      const end = app.calls.indexOf('(the inference ends)');
      assert.ok(end > 0, app.calls.join(' | '));
      if (wait) assert.equal(app.calls[end - 1], wait);
      assert.ok(app.calls.includes('MXC_SYS_ClockEnable 10'), 'cnn_enable turns the CNN clock on');
      // main() checks the output against the known answer the harness wrote: the data memory holds it.
      assert.ok(app.image.addresses.length >= im.stages.started.addresses.length);
    }
  });

  it('finds a different clock divider and a boost circuit in main()', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const divided = copies.altered(mnist, 'main.c', (t) =>
      t.replace('MXC_S_GCR_PCLKDIV_CNNCLKSEL_PCLK, MXC_S_GCR_PCLKDIV_CNNCLKDIV_DIV1', 'MXC_S_GCR_PCLKDIV_CNNCLKSEL_PCLK, MXC_S_GCR_PCLKDIV_CNNCLKDIV_DIV4'),
    );
    const r1 = await compareProjects(mnist, divided, names);
    assert.deepEqual(
      r1.differences.map((d) => d.aspect),
      ['application'],
    );
    assert.match(r1.summary, /^main\(\): step \d+ .* is `MXC_GCR->pclkdiv = 0x[0-9a-f]{8}` in izer's project, `MXC_GCR->pclkdiv = 0x[0-9a-f]{8}` in ours/);
    const boosted = copies.altered(mnist, 'main.c', (t) =>
      t.replace('  cnn_init(); // Bring', '  cnn_boost_enable(MXC_GPIO2, MXC_GPIO_PIN_5);\n  cnn_init(); // Bring'),
    );
    const r2 = await compareProjects(mnist, boosted, names);
    assert.match(r2.summary, /^main\(\): step \d+ .* in izer's project, `MXC_GPIO_Config port 2 mask 0x20 func 1 pad 0` in ours/);
  });

  it('finds a changed register and names it', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const altered = copies.altered(mnist, 'cnn.c', (t) =>
      t.replace(/(0x50100010\) = 0x)([0-9a-f]{8})/, (_, a: string, v: string) => a + (parseInt(v, 16) ^ 0x100).toString(16).padStart(8, '0')),
    );
    const r = await compareProjects(mnist, altered, names);
    assert.equal(r.differences[0].aspect, 'configured');
    assert.equal(r.differences[0].address, 0x50100010);
    assert.match(
      r.summary,
      /word 0x50100010 is 0x0001001d in izer's project, 0x0001011d in ours \(quadrant 0, layer 0 register RCNT \(row count\)\); 1 of the \d+ nonzero words/,
    );
  });

  it('finds a changed kernel word', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const r = await compareProjects(
      mnist,
      copies.altered(mnist, 'weights.h', (t) => flipHexWord(t, '#define KERNELS', 40, 0x100)),
      names,
    );
    assert.equal(r.differences[0].aspect, 'configured');
    assert.match(r.summary, /kernel memory of processor \d+, kernel \d+, word \d of 4/);
  });

  it('finds a changed input word', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const r = await compareProjects(
      mnist,
      copies.altered(mnist, 'sampledata.h', (t) => flipHexWord(t, 'SAMPLE_INPUT_0', 100, 0x1000)),
      names,
    );
    assert.equal(r.differences[0].aspect, 'input');
    assert.match(r.summary, /^input image \(after load_input\): word 0x5[0-9a-f]{7} .*data memory of processors/);
  });

  it("finds a known answer that is not the reference's", async () => {
    const kws = path.join(shipped, 'MAX78002-kws20_v3_1');
    const r = await compareProjects(
      kws,
      copies.altered(kws, 'sampleoutput.h', (t) => flipHexWord(t, 'SAMPLE_OUTPUT', 5, 0x1)),
      names,
    );
    assert.equal(r.differences[0].aspect, 'check_output');
    assert.match(r.summary, /check_output\(\) returns 1 in izer's project, 0 in ours: ours does not accept that known answer/);
  });

  it('finds a different sequence of FIFO words, which the final image cannot show', async () => {
    const catsDogs = path.join(shipped, 'MAX78000-cats-dogs');
    const r = await compareProjects(
      catsDogs,
      copies.altered(catsDogs, 'sampledata.h', (t) => flipHexWord(t, 'SAMPLE_INPUT_0', 8000, 0x4)),
      names,
    );
    assert.deepEqual(
      r.differences.map((d) => d.aspect),
      ['fifo'],
    );
    assert.match(
      r.summary,
      /^FIFO words: word 8000 of the 16384 written to FIFO 0's data register is 0x[0-9a-f]{8} in izer's project, 0x[0-9a-f]{8} in ours \(the 8000 before it agree\)\.$/,
    );
  });

  it('says when it cannot follow the stores to a FIFO', async () => {
    const fifo = path.join(shipped, 'MAX78000-cats-dogs');
    const altered = copies.altered(fifo, 'main.c', (t) =>
      t.replace(
        /\*\(\(volatile uint32_t \*\) 0x50000008\) = ([^;]+);/,
        'do { volatile uint32_t *fifo = (volatile uint32_t *) 0x50000008; *fifo = $1; } while (0);',
      ),
    );
    const r = await compareProjects(fifo, altered, names);
    assert.equal(r.differences[0].aspect, 'fifo');
    assert.match(r.summary, /could not follow every store to FIFO 0's data register in ours/);
  });

  it('finds a function of the interface that is missing', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const r = await compareProjects(
      mnist,
      copies.altered(mnist, 'cnn.c', (t) => t.replace('int cnn_load_bias(void)', 'int cnn_load_bias_elsewhere(void)')),
      names,
    );
    assert.equal(r.differences[0].aspect, 'interface');
    assert.match(r.summary, /^ours has no cnn_load_bias\(\), which izer's project has\./);
  });

  it('says which project does not compile, and why', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const broken = copies.altered(mnist, 'cnn.c', (t) => t.replace('int cnn_start(void)\n{', 'int cnn_start(void)\n{\n  this is not C;'));
    await assert.rejects(compareProjects(mnist, broken, names), (e: unknown) => {
      assert.ok(e instanceof ImageError);
      assert.equal(e.problem, 'compile');
      assert.match(e.message, /^ours: Compiling cnn\.c and main\.c with the stand-in MSDK headers failed: cnn\.c:\d+:\d+: error: /);
      return true;
    });
  });

  it('stops a project that opens a file or starts a program, before it can, and says so', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-sandbox-')), 'written');
    try {
      const opening = copies.altered(mnist, 'cnn.c', (t) => t.replace('int cnn_init(void)\n{', `int cnn_init(void)\n{\n  fopen("${marker}", "w");`));
      await assert.rejects(projectImage(opening), /cnn_init made system call \d+, which a generated project has no reason to make/);
      const starting = copies.altered(mnist, 'cnn.c', (t) =>
        t.replace('int cnn_init(void)\n{', `#include <stdlib.h>\nint cnn_init(void)\n{\n  system("touch ${marker}");`),
      );
      await assert.rejects(
        projectImage(starting),
        /it made a system call a generated project has no reason to make \(such as starting a program\), and the sandbox stopped it/,
      );
      assert.equal(fs.existsSync(marker), false);
    } finally {
      fs.rmSync(path.dirname(marker), { recursive: true, force: true });
    }
  });

  it('ends a project that waits for a status bit forever, with a message naming the step', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const hanging = copies.altered(mnist, 'cnn.c', (t) =>
      t.replace('int cnn_start(void)\n{', 'int cnn_start(void)\n{\n  while ((*((volatile uint32_t *) 0x50100000) & (1u << 30)) == 0);'),
    );
    await assert.rejects(projectImage(hanging, { stepTimeoutSeconds: 1 }), (e: unknown) => {
      assert.ok(e instanceof ImageError);
      assert.equal(e.problem, 'run');
      assert.match(e.message, /cnn_start did not return within the time allowed/);
      return true;
    });
  });

  it('cancelled while the project runs, it ends the process and removes its scratch folder', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const hanging = copies.altered(mnist, 'cnn.c', (t) => t.replace('int cnn_start(void)\n{', 'int cnn_start(void)\n{\n  for (;;);'));
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-cancel-'));
    try {
      const cancel = new AbortController();
      const running = projectImage(hanging, { signal: cancel.signal, tempDir });
      const outcome = running.catch((e: unknown) => e);
      // The harness opens its report file first: from then on the compiled project is running.
      const report = () => fs.readdirSync(tempDir).some((d) => fs.existsSync(path.join(tempDir, d, 'stages.txt')));
      while (!report()) {
        if (await Promise.race([outcome.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 25))])) break;
      }
      const scratch = fs.readdirSync(tempDir).map((d) => path.join(tempDir, d));
      cancel.abort();
      const e = await outcome;
      assert.ok(e instanceof ImageError && e.problem === 'cancelled', String(e));
      assert.deepEqual(fs.readdirSync(tempDir), [], 'the scratch folder is gone');
      for (const dir of scratch) assert.deepEqual(processesRunningFrom(dir), [], `no process runs from ${dir}`);
    } finally {
      fs.rmSync(tempDir, { recursive: true, force: true });
    }
  });
});

/** Pids of live processes whose executable lies in `dir` (Linux /proc). */
function processesRunningFrom(dir: string): number[] {
  const out: number[] = [];
  for (const p of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (fs.readlinkSync(`/proc/${p}/exe`).startsWith(dir)) out.push(Number(p));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}
