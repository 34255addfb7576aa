// Comments that silence findings, and the modeline that picks device and flags.
import * as assert from 'node:assert';
import { checkNetwork } from '../../../server/src/engine/check';

const BASE = `arch: t
dataset: d
layers:
  - processors: 0x0000000000000001
    op: conv2d
    pad: 1
    activate: None
  - processors: 0x0000000000000001
    out_offset: 0x0000
    op: conv2d
    pad: 1
    activate: None
`;
const codes = (text: string, device?: 'MAX78000' | 'MAX78002') =>
  checkNetwork({ text, fileName: 's.yaml', deviceOverride: device }).diagnostics.map((d) => d.code);

describe('suppression comments', () => {
  it('the base fixture has the missing out_offset warning (IZ025) on layer 0', () => {
    assert.ok(codes(BASE).includes('IZ025'));
  });
  it('`# ai8x-ignore CODE` at the end of the line', () => {
    assert.ok(
      !codes(
        BASE.replace('  - processors: 0x0000000000000001\n    op: conv2d', '  - processors: 0x0000000000000001  # ai8x-ignore IZ025\n    op: conv2d'),
      ).includes('IZ025'),
    );
  });
  it('`# ai8x-ignore` without codes silences everything on that line, only there', () => {
    const text = BASE.replace(
      '  - processors: 0x0000000000000001\n    op: conv2d',
      '  - processors: 0x0000000000000001  # ai8x-ignore\n    op: conv2d',
    ).replace('    out_offset: 0x0000\n', '    out_offset: 0x0000\n    pol: 1\n');
    const c = codes(text);
    assert.ok(!c.includes('IZ025'));
    assert.ok(c.includes('IZ016'), 'a finding on another line stays');
  });
  it('`# ai8x-ignore-next-line CODE` and another code on that line stays', () => {
    const text = BASE.replace(
      '  - processors: 0x0000000000000001\n    op: conv2d',
      '  # ai8x-ignore-next-line IZ031\n  - processors: 0x0000000000000001\n    op: conv2d',
    );
    assert.ok(codes(text).includes('IZ025'));
    const text2 = BASE.replace(
      '  - processors: 0x0000000000000001\n    op: conv2d',
      '  # ai8x-ignore-next-line IZ025\n  - processors: 0x0000000000000001\n    op: conv2d',
    );
    assert.ok(!codes(text2).includes('IZ025'));
  });
  it('`# ai8x-ignore-file CODE` anywhere', () => {
    const withTwo = BASE.replace('    out_offset: 0x0000\n', '');
    assert.strictEqual(codes(withTwo).filter((c) => c === 'IZ025').length, 2);
    assert.strictEqual(codes('# ai8x-ignore-file IZ025\n' + withTwo).filter((c) => c === 'IZ025').length, 0);
  });
});

describe('modeline and device resolution', () => {
  it('device from the modeline; the CLI override wins', () => {
    const text =
      '# ai8x: device=MAX78002\n' +
      BASE.replace('    pad: 1\n    activate: None\n  - processors', '    pad: 1\n    activate: None\n    groups: 1\n    readahead: true\n  - processors');
    const r = checkNetwork({ text, fileName: 's.yaml' });
    assert.strictEqual(r.device.name, 'MAX78002');
    assert.strictEqual(r.deviceSource, 'modeline');
    assert.ok(!r.diagnostics.some((d) => d.code === 'IZ133'), 'readahead is fine on MAX78002');
    const o = checkNetwork({ text, fileName: 's.yaml', deviceOverride: 'MAX78000' });
    assert.strictEqual(o.deviceSource, 'command line');
    assert.ok(o.diagnostics.some((d) => d.code === 'IZ133'));
  });
  it('izer flags from the modeline take effect; a bad modeline token is reported, not fatal', () => {
    const streaming = BASE.replace(
      '    op: conv2d\n    pad: 1\n    activate: None\n  - processors',
      '    op: conv2d\n    pad: 1\n    activate: None\n    streaming: true\n  - processors',
    );
    assert.ok(codes(streaming).includes('IZ156'));
    assert.ok(!codes('# ai8x: izer-flags="--fifo"\n' + streaming).includes('IZ156'));
    const bad = checkNetwork({ text: '# ai8x: devize=MAX78002 device=MAX9\n' + BASE, fileName: 's.yaml' });
    assert.strictEqual(bad.diagnostics.filter((d) => d.code === 'AX100').length, 2);
    assert.strictEqual(bad.device.name, 'MAX78000');
  });
  it('the device guessed from the file or checkpoint name (ai85/ai87), the setting before them', () => {
    assert.strictEqual(checkNetwork({ text: BASE, fileName: 'networks/ai87-thing.yaml' }).device.name, 'MAX78002');
    assert.strictEqual(checkNetwork({ text: BASE, fileName: 'x.yaml', checkpointName: 'trained/ai87-x-q.pth.tar' }).deviceSource, 'checkpoint name');
    assert.strictEqual(checkNetwork({ text: BASE, fileName: 'networks/ai87-thing.yaml', deviceSetting: 'MAX78000' }).deviceSource, 'setting');
  });
});
