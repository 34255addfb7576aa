// izer's copy of one of our findings is marked as a duplicate (issue 12, item 5): one problem per mistake.
import * as assert from 'node:assert';
import { checkNetwork } from '../../../server/src/engine/check';
import { LineIndex } from '../../../server/src/engine/lineIndex';
import { markIzerDuplicates } from '../../../server/src/synthesis/duplicates';
import { mapIzerMessages } from '../../../server/src/synthesis/mapToYaml';
import { buildSteps } from '../../../server/src/synthesis/buildSteps';
import { TINY_NETWORK } from './standIn';

describe("izer's copies of our findings", () => {
  it('an izer error on a layer we flag is a duplicate; one on a clean layer stays; yamllint lines match ours', () => {
    const text = TINY_NETWORK.replace('    flatten: true\n', '    flatten: true\n    pool_strid: 2\n').replace('dataset: MNIST', 'dataset: MNIST  ');
    const ours = checkNetwork({ text, fileName: 'tiny.yaml' }).diagnostics;
    assert.ok(ours.some((d) => d.code === 'IZ016' && d.layer === 3));
    const trailingLine = text.split('\n').findIndex((l) => l.startsWith('dataset: MNIST  ')) + 1;
    const placed = mapIzerMessages(
      [
        { severity: 'error', kind: 'izer', text: "Layer 3 (fc): Unknown key(s) for `layers`: {'pool_strid'}." },
        { severity: 'error', kind: 'izer', text: 'Layer 1: `pad` is not compatible with something.' },
        { severity: 'error', kind: 'yamllint', text: `${trailingLine}:15 error trailing spaces (trailing-spaces)`, line: trailingLine, column: 15 },
      ],
      text,
      'MAX78000',
    );
    const marked = markIzerDuplicates(placed, ours, new LineIndex(text));
    assert.deepStrictEqual(
      marked.map((d) => [d.message, d.duplicateOf?.code ?? null]),
      [
        ["izer: Layer 3 (fc): Unknown key(s) for `layers`: {'pool_strid'}.", 'IZ016'],
        ['izer: Layer 1: `pad` is not compatible with something.', null],
        [`izer: ${trailingLine}:15 error trailing spaces (trailing-spaces)`, 'YL001'],
      ],
    );
  });

  it('build steps: MSDK, MAXIM_PATH, make, flash, and the izer command line', () => {
    const lines = buildSteps({
      target: '/p/tiny net',
      device: 'MAX78000',
      msdk: '/opt/MaximSDK',
      maximPathSet: false,
      hasVscodeFolder: false,
      commandLine: "python ai8xize.py --prefix 'tiny net'",
    });
    assert.strictEqual(lines[0], 'Build the MAX78000 project with the MaximSDK (its Arm GCC, make and OpenOCD); first: export MAXIM_PATH=/opt/MaximSDK:');
    assert.ok(lines.includes("  cd '/p/tiny net'"));
    assert.ok(lines.some((l) => l.startsWith('  make ') && l.includes('build/tiny_net.elf')));
    assert.ok(lines.some((l) => l.startsWith('  make flash.openocd')));
    assert.strictEqual(lines.at(-1), "izer command line: python ai8xize.py --prefix 'tiny net'");
    const noMsdk = buildSteps({ target: '/p/x', device: 'MAX78002', msdk: null, maximPathSet: false, hasVscodeFolder: true, commandLine: 'c' });
    assert.match(noMsdk[0], /first install the MaximSDK \(MSDK, https:\/\/github\.com\/analogdevicesinc\/msdk\) and export MAXIM_PATH/);
    assert.ok(noMsdk.some((l) => /\.vscode/.test(l)));
  });
});
