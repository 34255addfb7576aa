import * as assert from 'node:assert';
import { IzerOutputParser, parseIzerOutput } from '../../../server/src/synthesis/izerOutput';

describe("reading izer's console output", () => {
  it('takes ERROR:/WARNING: lines, strips colour, and keeps the rest out', () => {
    const msgs = parseIzerOutput(
      'Configuring data set: MNIST.\nmnist...\n',
      '\x1b[33mWARNING:\x1b[0m Layer 1: `output_width` should be 8 for intermediate layers.\n\x1b[31mERROR:\x1b[0m Layer 0: `output_width` must be 8 when activation is used.\n',
    );
    assert.deepStrictEqual(
      msgs.map((m) => [m.severity, m.kind, m.text]),
      [
        ['warning', 'izer', 'Layer 1: `output_width` should be 8 for intermediate layers.'],
        ['error', 'izer', 'Layer 0: `output_width` must be 8 when activation is used.'],
      ],
    );
  });

  it('joins lines split across chunks, and counts a message izer repeats on stdout once', () => {
    const p = new IzerOutputParser();
    p.push('stderr', 'ERR');
    p.push('stderr', 'OR: Unknown value "conv2" for `op` (found in layer sequence 1 in YAML configuration).\r\nWARN');
    p.push('stdout', 'ERROR: Unknown value "conv2" for `op` (found in layer sequence 1 in YAML configuration).\n');
    p.push('stderr', 'ING: last line without newline');
    const msgs = p.end();
    assert.strictEqual(msgs.length, 2);
    assert.strictEqual(msgs[0].text, 'Unknown value "conv2" for `op` (found in layer sequence 1 in YAML configuration).');
    assert.strictEqual(msgs[1].text, 'last line without newline');
  });

  it('reads yamllint findings with their line and column, and drops the file-name line', () => {
    const msgs = parseIzerOutput(
      '',
      'ERROR:     17:11     error    trailing spaces  (trailing-spaces)\nWARNING: networks/my-net.yaml\nWARNING:   3:1       warning  missing document start "---"  (document-start)\n',
      '/abs/networks/my-net.yaml',
    );
    assert.deepStrictEqual(
      msgs.map((m) => [m.severity, m.kind, m.line, m.column, m.text]),
      [
        ['error', 'yamllint', 17, 11, 'yamllint: trailing spaces  (trailing-spaces)'],
        ['warning', 'yamllint', 3, 1, 'yamllint: missing document start "---"  (document-start)'],
      ],
    );
  });

  it('takes PyYAML positions from a message and its indented continuation', () => {
    const msgs = parseIzerOutput('', 'ERROR: Found duplicate key pad while constructing a mapping\n  in "net.yaml", line 15, column 5\nnext\n');
    assert.strictEqual(msgs.length, 1);
    assert.strictEqual(msgs[0].line, 15);
    assert.strictEqual(msgs[0].column, 5);
    assert.match(msgs[0].text, /mapping in "net\.yaml"/);
  });

  it('reports the last line of a Python traceback as a crash', () => {
    const msgs = parseIzerOutput(
      '',
      'Traceback (most recent call last):\n  File "/s/ai8xize.py", line 28, in <module>\n    main()\n  File "/s/izer/izer.py", line 80, in main\n    assert x\nAssertionError\n',
    );
    assert.deepStrictEqual(
      msgs.map((m) => [m.kind, m.severity, m.text]),
      [['exception', 'error', 'AssertionError']],
    );
    const valueError = parseIzerOutput(
      '',
      'Traceback (most recent call last):\n  File "x", line 1\nValueError: ERROR: Argument `--boost` must be a port.pin\n',
    );
    assert.strictEqual(valueError[0].text, 'ValueError: ERROR: Argument `--boost` must be a port.pin');
  });

  it('reports argparse errors', () => {
    const msgs = parseIzerOutput('', "usage: ai8xize.py [-h]\nai8xize.py: error: argument --device: ('MAX1', 'is not a supported device type')\n");
    assert.deepStrictEqual(
      msgs.map((m) => [m.kind, m.text]),
      [['usage', "ai8xize.py: argument --device: ('MAX1', 'is not a supported device type')"]],
    );
  });
});
