// `ai8x quantize`'s command line reads quantize.py's flags as its argparse does.
import * as assert from 'node:assert/strict';
import { parseQuantizeArguments } from '../../../server/src/engine/quantize/quantizeArguments';

describe("quantize arguments (quantize.py's flags)", () => {
  it('reads positionals, --device, -c/--config-file, --clip-method, --qat-weight-bits, --scale, --stddev, -v and --force', () => {
    const a = parseQuantizeArguments([
      'in.pth.tar',
      'out.pth.tar',
      '--device',
      'MAX78002',
      '-c',
      'net.yaml',
      '--clip-method=STDDEV',
      '--qat-weight-bits',
      '4',
      '--scale',
      '0.5',
      '--stddev=1e0',
      '-v',
      '--force',
    ]);
    assert.deepEqual(a.problems, []);
    assert.deepEqual(a.positionals, ['in.pth.tar', 'out.pth.tar']);
    assert.equal(a.device, 'MAX78002');
    assert.equal(a.configFile, 'net.yaml');
    assert.equal(a.clipMethod, 'STDDEV');
    assert.equal(a.qatWeightBits, 4);
    assert.equal(a.scale, 0.5);
    assert.equal(a.stddev, 1);
    assert.equal(a.verbose, true);
    assert.equal(a.force, true);
  });

  it('takes the flags before or after `--`, unambiguous prefixes and the short forms glued to their value', () => {
    const a = parseQuantizeArguments(['i', 'o', '--dev', 'ai85', '--', '--clip', 'MAX', '-cnet.yaml', '--verb']);
    assert.deepEqual(a.problems, []);
    assert.deepEqual([a.device, a.clipMethod, a.configFile, a.verbose], ['MAX78000', 'MAX', 'net.yaml', true]);
  });

  it('says what is wrong: unknown and ambiguous options, bad choices and numbers, a missing value', () => {
    const problems = (argv: string[]) => parseQuantizeArguments(argv).problems;
    assert.match(problems(['--frobnicate'])[0], /unknown option --frobnicate/);
    assert.match(problems(['--s', '1'])[0], /ambiguous option --s \(--scale, --stddev\)/);
    assert.match(problems(['--clip-method', 'max'])[0], /invalid choice "max" \(choose from AVGMAX, MAX, STDDEV, SCALE\)/);
    assert.match(problems(['--qat-weight-bits', '4.5'])[0], /not a whole number/);
    assert.match(problems(['--scale', 'big'])[0], /"big" is not a number/);
    assert.match(problems(['--device', 'MAX78001'])[0], /unknown device "MAX78001"/);
    assert.match(problems(['--stddev'])[0], /--stddev needs a value/);
    assert.match(problems(['-x'])[0], /unknown option -x/);
    assert.match(problems(['--force=yes'])[0], /--force takes no value/);
  });

  it('reads numbers as Python does (underscores between digits, inf, a sign)', () => {
    const a = parseQuantizeArguments(['--qat-weight-bits', '+1_0', '--scale', '-inf', '--stddev', '2_0.5']);
    assert.deepEqual([a.qatWeightBits, a.scale, a.stddev], [10, -Infinity, 20.5]);
  });
});
