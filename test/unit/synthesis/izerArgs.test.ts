import * as assert from 'node:assert';
import * as path from 'node:path';
import { splitCommandLine } from '../../../server/src/engine/izerFlags';
import { buildIzerArgs, dropFlags, flagValue, formatCommandLine, logEnabled, networkFileNames } from '../../../server/src/synthesis/izerArgs';

describe('izer argument building', () => {
  const base = {
    network: 'nets/my net.yaml',
    checkpoint: '/data/ck "q".pth.tar',
    sampleInput: null,
    device: 'MAX78002' as const,
    prefix: 'my_net',
    testDir: '/sdk/Examples/MAX78002/CNN',
    flags: [] as string[],
  };

  it('gives izer absolute paths, the device and the prefix, and always --overwrite last', () => {
    const { argv } = buildIzerArgs(base);
    assert.deepStrictEqual(argv, [
      'ai8xize.py',
      '--test-dir',
      '/sdk/Examples/MAX78002/CNN',
      '--prefix',
      'my_net',
      '--checkpoint-file',
      '/data/ck "q".pth.tar',
      '--config-file',
      path.resolve('nets/my net.yaml'),
      '--device',
      'MAX78002',
      '--overwrite',
    ]);
  });

  it('keeps user flags in order but drops the ones synthesis sets itself', () => {
    const { argv, ignored } = buildIzerArgs({
      ...base,
      sampleInput: '/s.npy',
      flags: ['--softmax', '--test-dir', '/elsewhere', '--device=MAX78000', '--timer', '0', '--overwrite', '--sample-input', 'x.npy', '--fifo'],
    });
    const tail = argv.slice(argv.indexOf('--sample-input') + 2);
    assert.deepStrictEqual(tail, ['--softmax', '--timer', '0', '--fifo', '--overwrite']);
    assert.strictEqual(argv.filter((a) => a === '--test-dir').length, 1);
    assert.deepStrictEqual(
      ignored.map((i) => i.split(' (')[0]),
      ['--test-dir /elsewhere', '--device=MAX78000', '--overwrite', '--sample-input x.npy'],
    );
  });

  it('leaves the sample input and checkpoint flags alone when the association has none', () => {
    const { argv } = buildIzerArgs({ ...base, checkpoint: null, flags: ['--sample-input', 'tests/sample_x.npy'] });
    assert.ok(!argv.includes('--checkpoint-file'));
    assert.deepStrictEqual(argv.slice(argv.indexOf('--sample-input'), argv.indexOf('--sample-input') + 2), ['--sample-input', 'tests/sample_x.npy']);
  });

  it('shows a command line a shell reads back as the same argv', () => {
    const argv = ['/usr/bin/python3', 'ai8xize.py', '--test-dir', "/a b/it's", '--config-file', '/x/"q" y.yaml', '--prefix', 'p', ''];
    const shown = formatCommandLine(argv);
    assert.deepStrictEqual(splitCommandLine(shown), argv);
    assert.ok(shown.startsWith('/usr/bin/python3 ai8xize.py --test-dir '));
  });

  it('finds flag values the way argparse does (last wins, --x=v form)', () => {
    assert.strictEqual(flagValue(['--log-filename', 'a.txt', '--log-filename=b.txt'], '--log-filename'), 'b.txt');
    assert.strictEqual(flagValue(['--softmax'], '--log-filename'), undefined);
    assert.deepStrictEqual(dropFlags(['--prefix'], { '--prefix': true }), { kept: [], dropped: ['--prefix'] });
  });

  it('reads abbreviations as argparse does, except options that are the start of longer ones', () => {
    assert.strictEqual(flagValue(['--log-f', 'a.txt'], '--log-filename'), 'a.txt');
    assert.strictEqual(flagValue(['--log', 'a.txt'], '--log-filename'), undefined, '--log is an option of its own');
    assert.deepStrictEqual(dropFlags(['--test-d', '/x', '--softmax', '--pref=p'], { '--test-dir': true, '--prefix': true }), {
      kept: ['--softmax'],
      dropped: ['--test-d /x, which izer reads as --test-dir', '--pref=p, which izer reads as --prefix'],
    });
    assert.strictEqual(logEnabled(['--no-log']), false);
    assert.strictEqual(logEnabled(['--no-log', '-L']), true);
  });

  it('names the files "update network only" replaces, following izer\'s file-name flags', () => {
    assert.deepStrictEqual(networkFileNames([]), ['cnn.c', 'cnn.h', 'weights.h', 'log.txt']);
    assert.deepStrictEqual(networkFileNames(['--api-filename', 'net.c', '--weight-filename', 'w.h', '--no-log']), ['net.c', 'cnn.h', 'w.h']);
    assert.deepStrictEqual(networkFileNames(['--api-filename', 'None', '--log-filename', 'out.log']), ['cnn.h', 'weights.h', 'out.log']);
    assert.deepStrictEqual(networkFileNames(['--weight-filename', './w.h', '--log-filename', 'logs//izer.log']), ['cnn.c', 'cnn.h', 'w.h', 'logs/izer.log']);
    assert.deepStrictEqual(networkFileNames(['--weight-f', 'w.h', '--api-filename=net.c', '--log-file', 'izer.log']), ['net.c', 'cnn.h', 'w.h', 'izer.log']);
  });
});
