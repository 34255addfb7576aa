import * as assert from 'node:assert';
import * as path from 'node:path';
import { readModeline } from '../../../server/src/engine/model/modeline';
import { parseYamlTree } from '../../../server/src/engine/yaml/yamlTree';
import { checkpointModelineEdit, TextEdit } from '../../../server/src/synthesis/modelineEdit';
import { DEFAULT_SYNTHESIS_OPTIONS, flagsFromOptions, normalizeSynthesisOptions } from '../../../server/src/synthesis/settingsFlags';
import { TINY_NETWORK } from './standIn';

const apply = (text: string, e: TextEdit) => text.slice(0, e.offset) + e.text + text.slice(e.offset + e.length);
const modelineOf = (text: string) => readModeline(parseYamlTree(text).comments);

describe('synthesis settings as izer flags', () => {
  it('adds nothing but --no-version-check for the defaults', () => {
    assert.deepStrictEqual(flagsFromOptions(DEFAULT_SYNTHESIS_OPTIONS), ['--no-version-check']);
  });

  it("turns each setting into izer's flag", () => {
    const flags = flagsFromOptions({
      ...DEFAULT_SYNTHESIS_OPTIONS,
      boardName: 'FTHR_RevA',
      softmax: true,
      compactData: false,
      mexpress: false,
      timer: 0,
      fastFifo: true,
      fifo: true,
      riscv: true,
      overlapData: true,
      boost: '2.5',
      checkForUpdates: true,
      extraArgs: ['--mlator'],
    });
    assert.deepStrictEqual(flags, [
      '--board-name',
      'FTHR_RevA',
      '--softmax',
      '--no-compact-data',
      '--no-mexpress',
      '--timer',
      '0',
      '--fast-fifo',
      '--riscv',
      '--overlap-data',
      '--boost',
      '2.5',
      '--mlator',
    ]);
  });

  it('ignores settings of the wrong type', () => {
    const o = normalizeSynthesisOptions({ softmax: 'yes', timer: '3', extraArgs: ['--a', 5], boardName: 7 });
    assert.deepStrictEqual(o, { ...DEFAULT_SYNTHESIS_OPTIONS, extraArgs: ['--a'] });
  });
});

describe('recording a chosen checkpoint in the modeline', () => {
  const yaml = path.join('/proj', 'networks', 'net.yaml');

  it('adds a modeline the engine reads back, relative to the YAML and quoted when needed', () => {
    const ck = path.join('/proj', 'trained', "my ck's.pth.tar");
    const text = apply(TINY_NETWORK, checkpointModelineEdit(TINY_NETWORK, yaml, ck));
    assert.ok(text.startsWith('# ai8x: checkpoint='));
    assert.strictEqual(modelineOf(text).checkpoint, "../trained/my ck's.pth.tar");
    assert.strictEqual(path.resolve(path.dirname(yaml), modelineOf(text).checkpoint!), ck);
    assert.strictEqual(text.slice(text.indexOf('\n') + 1), TINY_NETWORK);
  });

  it('extends an existing modeline, or replaces the checkpoint it names', () => {
    const withDevice = `# ai8x: device=MAX78002\n${TINY_NETWORK}`;
    const a = apply(withDevice, checkpointModelineEdit(withDevice, yaml, '/proj/networks/a.pth.tar'));
    assert.ok(a.startsWith('# ai8x: device=MAX78002 checkpoint=a.pth.tar\n'));
    assert.strictEqual(modelineOf(a).device, 'MAX78002');
    const b = apply(a, checkpointModelineEdit(a, yaml, '/proj/b c.pth.tar'));
    assert.ok(b.startsWith("# ai8x: device=MAX78002 checkpoint='../b c.pth.tar'\n"), b.split('\n')[0]);
    assert.strictEqual(modelineOf(b).checkpoint, '../b c.pth.tar');
  });
});
