// The Arm compile check: izer's projects compile for the Cortex-M4 against the stand-in MSDK headers, and a project
// that is not valid C for that target fails with the compiler's first error. Needs arm-none-eabi-gcc (Debian:
// gcc-arm-none-eabi); skipped with a message without it.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { armCompileCheck } from '../../../server/src/projectImage/armCompile';
import { findArmCompiler } from '../../../server/src/projectImage/hostCompiler';
import { ProjectCopies } from '../../support/projectCopies';
import { requireShared, skipBecause } from '../../support/shared';

describe('Arm compile check', function () {
  this.timeout(300_000);
  let shipped: string;
  let testsuite: string;
  const copies = new ProjectCopies();

  before(function () {
    shipped = requireShared(this, 'oracle', 'synthesis', 'shipped');
    testsuite = requireShared(this, 'oracle', 'synthesis', 'testsuite-MAX78000');
    if (!findArmCompiler()) skipBecause(this, 'arm-none-eabi-gcc is not installed (Debian: apt-get install gcc-arm-none-eabi)');
  });
  after(() => copies.remove());

  it("compiles izer's projects for the Cortex-M4: both devices, RISC-V, FIFO, a test network", async () => {
    const dirs = ['MAX78000-mnist', 'MAX78002-kws20_v3_1', 'MAX78000-mnist-riscv', 'MAX78000-cats-dogs'].map((c) => path.join(shipped, c));
    dirs.push(path.join(testsuite, 'MAX78000-test-eltwiseadd-pool'));
    for (const dir of dirs) {
      const r = await armCompileCheck(dir);
      assert.equal(r.ok, true, `${path.basename(dir)}: ${r.error}`);
      assert.ok(r.units.includes('cnn.c') && r.units.includes('main.c'));
      console.log(`      ${path.basename(dir)}: ${r.units.join(', ')} compile (${r.seconds.toFixed(1)} s, ${r.warnings.length} warnings)`);
    }
  });

  it('reports the first error of a project that does not compile for the target', async () => {
    const mnist = path.join(shipped, 'MAX78000-mnist');
    const broken = copies.altered(mnist, 'main.c', (t) => t.replace('int main(void)\n{', 'int main(void)\n{\n  MXC_Not_A_Function(1);'));
    const r = await armCompileCheck(broken);
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /^main\.c:\d+:\d+: error: implicit declaration of function 'MXC_Not_A_Function'/);
  });
});
