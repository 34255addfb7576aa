// Synthesis writes only inside the project folder (<test-dir>/<prefix>): izer's output-name flags that would
// make it write elsewhere are refused before izer runs, whatever source they come from.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { outputNameProblems } from '../../../server/src/synthesis/outputNames';
import { DEFAULT_SYNTHESIS_OPTIONS, flagsFromOptions } from '../../../server/src/synthesis/settingsFlags';
import { mapIzerMessages } from '../../../server/src/synthesis/mapToYaml';
import { synthesize, SynthesisJob } from '../../../server/src/synthesis/synthesize';
import { makeStandIn, StandIn, tempDir, TINY_NETWORK } from './standIn';

describe('synthesis output names stay inside the project folder', function () {
  this.timeout(20000);
  let root: string;
  let standIn: StandIn;
  let network: string;
  let checkpoint: string;
  let testDir: string;

  beforeEach(() => {
    root = tempDir('outside');
    standIn = makeStandIn(root);
    network = path.join(root, 'tiny.yaml');
    fs.writeFileSync(network, TINY_NETWORK);
    checkpoint = path.join(root, 'ck.pth.tar');
    fs.writeFileSync(checkpoint, 'checkpoint');
    testDir = path.join(root, 'Examples', 'MAX78000', 'CNN');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const job = (over: Partial<SynthesisJob> = {}): SynthesisJob => ({
    python: standIn.python,
    synthesisDir: standIn.dir,
    network,
    checkpoint,
    sampleInput: null,
    device: 'MAX78000',
    prefix: 'tiny',
    testDir,
    flags: [],
    mode: 'project',
    placeMessages: mapIzerMessages,
    ...over,
  });
  const target = () => path.join(testDir, 'tiny');
  /** A file of the user's outside the project, with known contents. */
  const userFile = (p: string) => {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, `user's own ${path.basename(p)}`);
    return p;
  };
  const untouched = (p: string) => assert.strictEqual(fs.readFileSync(p, 'utf8'), `user's own ${path.basename(p)}`, `${p} was not touched`);

  it('refuses, before izer runs, every output-name flag that leaves the project (relative, absolute, --x=v, abbreviated)', async () => {
    // Where the stand-in (like izer, which joins each name to <test-dir>/<prefix>) would write without the check.
    const examples = path.dirname(testDir);
    const cases: { flags: string[]; shown: string; value: string; victim?: string }[] = [
      { flags: ['--weight-filename', '../../user-file.h'], shown: '--weight-filename', value: '../../user-file.h', victim: path.join(examples, 'user-file.h') },
      { flags: ['--log-filename', path.join(root, 'elsewhere', 'x.txt')], shown: '--log-filename', value: path.join(root, 'elsewhere', 'x.txt') },
      { flags: ['--sample-filename', '../../../x.h'], shown: '--sample-filename', value: '../../../x.h', victim: path.join(root, 'Examples', 'x.h') },
      { flags: ['--api-filename', '../../../../api.c'], shown: '--api-filename', value: '../../../../api.c', victim: path.join(root, 'api.c') },
      { flags: ['--sample-output-filename', path.join(root, 'out.h')], shown: '--sample-output-filename', value: path.join(root, 'out.h') },
      {
        flags: ['--sample-numpy-filename', '../../expected'],
        shown: '--sample-numpy-filename',
        value: '../../expected',
        victim: path.join(examples, 'expected.npy'),
      },
      { flags: ['--c-filename', '../../main'], shown: '--c-filename', value: '../../main', victim: path.join(examples, 'main.c') },
      { flags: ['--weight-filename=../../user-file.h'], shown: '--weight-filename', value: '../../user-file.h', victim: path.join(examples, 'user-file.h') },
      { flags: ['--weight-f', '../../user-file.h'], shown: '--weight-f', value: '../../user-file.h', victim: path.join(examples, 'user-file.h') },
      { flags: ['--log-file=' + path.join(root, 'log.txt')], shown: '--log-file', value: path.join(root, 'log.txt') },
      // Names izer writes only for RTL simulations or intermediate logs.
      { flags: ['--runtest-filename', path.join(root, 'run_test.sv')], shown: '--runtest-filename', value: path.join(root, 'run_test.sv') },
      { flags: ['--output-filename', '../../output'], shown: '--output-filename', value: '../../output' },
      { flags: ['--input-filename', '../input'], shown: '--input-filename', value: '../input' },
      { flags: ['--output-config-filename', path.join(root, 'config')], shown: '--output-config-filename', value: path.join(root, 'config') },
      { flags: ['--output-data-filename', '../../data'], shown: '--output-data-filename', value: '../../data' },
      { flags: ['--output-weights-filename', '../../w'], shown: '--output-weights-filename', value: '../../w' },
      { flags: ['--output-bias-filename', '../../b'], shown: '--output-bias-filename', value: '../../b' },
      { flags: ['--output-pass-filename', '../../p'], shown: '--output-pass-filename', value: '../../p' },
      // izer appends to <autogen>/autogen_list for RTL simulations: a folder that is never the project.
      {
        flags: ['--rtl', '--autogen', path.join(root, 'regress')],
        shown: '--autogen',
        value: path.join(root, 'regress'),
        victim: path.join(root, 'regress', 'autogen_list'),
      },
      // `..` after a folder izer's OS resolves (a link in the project could lead anywhere).
      { flags: ['--weight-filename', '.vscode/../../w.h'], shown: '--weight-filename', value: '.vscode/../../w.h' },
    ];
    for (const c of cases) {
      const victims = [c.victim ?? (path.isAbsolute(c.value) ? c.value : undefined)].filter((v): v is string => !!v).map(userFile);
      const before = standIn.calls().length;
      const out = await synthesize(job({ flags: ['--softmax', ...c.flags] }), { confirmOverwrite: async () => 'replace' });
      assert.strictEqual(out.status, 'refused', `${c.flags.join(' ')}: ${out.status} ${out.problem ?? ''}`);
      assert.ok(out.problem!.includes(c.shown) && out.problem!.includes(JSON.stringify(c.value)), `${c.flags.join(' ')}: ${out.problem}`);
      assert.match(out.problem!, /outside the project folder/);
      assert.ok(out.problem!.includes(target()), 'names the project folder');
      assert.strictEqual(standIn.calls().length, before, `${c.flags.join(' ')}: izer did not run`);
      for (const v of victims) untouched(v);
      assert.ok(!fs.existsSync(target()));
    }
  });

  it('names where the file would have gone', async () => {
    const out = await synthesize(job({ flags: ['--weight-filename', '../../user-file.h'] }));
    assert.ok(out.problem!.includes(path.join(path.dirname(testDir), 'user-file.h')), out.problem);
  });

  it('refuses such names from the settings (ai8x.synthesis.extraArgs) too', async () => {
    const victim = userFile(path.join(root, 'Examples', 'x.h'));
    const flags = flagsFromOptions({ ...DEFAULT_SYNTHESIS_OPTIONS, extraArgs: ['--sample-filename', '../../../x.h'] });
    const out = await synthesize(job({ flags }));
    assert.strictEqual(out.status, 'refused');
    assert.ok(out.problem!.includes('--sample-filename "../../../x.h"'), out.problem);
    assert.strictEqual(standIn.calls().length, 0);
    untouched(victim);
  });

  it('still takes output names inside the project, in every spelling izer accepts', async () => {
    const flags = [
      '--weight-filename',
      'my_weights.h',
      '--api-filename=net.c',
      '--log-f',
      'izer.log',
      '--sample-filename',
      '.vscode/sample.h',
      '--c-filename',
      'app',
      '--sample-numpy-filename',
      'expected',
      '--output-filename',
      './out',
    ];
    const out = await synthesize(job({ flags }));
    assert.strictEqual(out.status, 'ok', out.problem);
    for (const f of ['my_weights.h', 'net.c', 'izer.log', '.vscode/sample.h', 'app.c', 'expected.npy']) {
      assert.ok(fs.existsSync(path.join(target(), f)), `${f} written`);
      assert.ok(out.files.includes(f), `${f} listed`);
    }
    assert.deepStrictEqual(out.summary?.weightMemory, { used: 71148, total: 442368, percent: 16.1 }, 'the summary is read from izer.log');
    assert.deepStrictEqual(fs.readdirSync(path.dirname(testDir)), ['CNN'], 'nothing beside the output folder');

    fs.writeFileSync(checkpoint, 'retrained');
    fs.writeFileSync(path.join(target(), 'app.c'), 'my app');
    const update = await synthesize(job({ flags, mode: 'update-network-only' }));
    assert.strictEqual(update.status, 'ok', update.problem);
    assert.deepStrictEqual([...update.files].sort(), ['cnn.h', 'izer.log', 'my_weights.h', 'net.c']);
    assert.strictEqual(fs.readFileSync(path.join(target(), 'app.c'), 'utf8'), 'my app');
  });

  it('does not let abbreviations of --test-dir or --prefix send izer elsewhere', async () => {
    const elsewhere = path.join(root, 'elsewhere');
    const notes: string[] = [];
    const out = await synthesize(job({ flags: ['--test-d', elsewhere, '--pref=other', '--softmax'] }), { onNote: (n) => notes.push(n) });
    assert.strictEqual(out.status, 'ok', out.problem);
    assert.ok(fs.existsSync(path.join(target(), 'cnn.c')));
    assert.ok(!fs.existsSync(elsewhere), 'nothing was written to the --test-d folder');
    assert.ok(!fs.existsSync(path.join(testDir, 'other')));
    const [call] = standIn.calls();
    assert.ok(!call.argv.includes('--test-d') && !call.argv.includes('--pref=other') && call.argv.includes('--softmax'));
    assert.ok(
      notes.some((n) => n.includes(`--test-d ${elsewhere}`) && n.includes('--test-dir')),
      notes.join('\n'),
    );
    assert.ok(
      notes.some((n) => n.includes('--pref=other') && n.includes('--prefix')),
      notes.join('\n'),
    );
  });

  it('refuses a name that leads through a link in the project to a folder outside it (update network only)', async () => {
    const flags = ['--weight-filename', '.vscode/w.h'];
    assert.strictEqual(await synthesize(job({ flags })).then((o) => o.status), 'ok');
    const shared = path.join(root, 'shared-vscode');
    fs.mkdirSync(shared);
    const victim = userFile(path.join(shared, 'w.h'));
    fs.rmSync(path.join(target(), '.vscode'), { recursive: true });
    fs.symlinkSync(shared, path.join(target(), '.vscode'));
    const calls = standIn.calls().length;
    const out = await synthesize(job({ flags, mode: 'update-network-only' }), { confirmOverwrite: async () => 'replace' });
    assert.strictEqual(out.status, 'refused', out.problem);
    assert.ok(out.problem!.includes('--weight-filename ".vscode/w.h"') && out.problem!.includes(shared), out.problem);
    assert.strictEqual(standIn.calls().length, calls, 'izer did not run');
    untouched(victim);
    assert.deepStrictEqual(fs.readdirSync(shared), ['w.h']);
  });
});

describe('output-name check (pure)', () => {
  const target = path.join(path.sep, 'p', 'CNN', 'tiny');
  const problems = (flags: string[], platform: NodeJS.Platform = 'linux') => outputNameProblems(flags, target, platform);

  it('takes plain names and sub-folders, and ignores flags that name no output', () => {
    assert.deepStrictEqual(problems(['--weight-filename', 'w.h', '--log-filename=logs/izer.txt', '--api-filename', 'None', '--c-filename', '..']), []);
    assert.deepStrictEqual(problems(['--log', '--softmax', '--sample-input', '../s.npy', '--checkpoint-file', '/abs/ck.pth.tar', '--autogen', 'None']), []);
  });

  it('checks the names izer derives (…c, …npy), not the bare value', () => {
    // "--c-filename .." makes izer write "...c", inside; "--sample-numpy-filename ../x.npy" stays outside.
    assert.deepStrictEqual(problems(['--c-filename', '..']), []);
    assert.strictEqual(problems(['--sample-numpy-filename', '../x.npy']).length, 1);
  });

  it('treats an abbreviation as every output flag it could stand for, but not --log (an option of its own)', () => {
    assert.strictEqual(problems(['--output-d', '../x']).length, 1);
    assert.strictEqual(problems(['--log', '../x']).length, 0);
    assert.strictEqual(problems(['--log-', '../x']).length, 1);
  });

  it('knows Windows paths on Windows only', () => {
    for (const v of ['C:\\Users\\me\\x.h', 'C:x.h', '\\\\server\\share\\x.h', '\\x.h', '..\\x.h', 'sub\\..\\..\\x.h'])
      assert.strictEqual(problems(['--weight-filename', v], 'win32').length, 1, v);
    assert.deepStrictEqual(problems(['--weight-filename', '..\\x.h']), [], 'a backslash is part of a file name on Linux');
    assert.deepStrictEqual(problems(['--weight-filename', 'sub\\w.h'], 'win32'), []);
  });
});
