import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../../../server/src/engine/lineIndex';
import { MANIFEST_NAME, readManifest } from '../../../server/src/synthesis/manifest';
import { isProcessAlive } from '../../../server/src/process/runProcess';
import { mapIzerMessages } from '../../../server/src/synthesis/mapToYaml';
import { synthesize, SynthesisJob } from '../../../server/src/synthesis/synthesize';
import { lineOf, makeStandIn, StandIn, tempDir, TINY_NETWORK } from './standIn';

describe('synthesis with a stand-in izer', function () {
  this.timeout(20000);
  let root: string;
  let standIn: StandIn;
  let work: string;
  let network: string;
  let checkpoint: string;
  let sample: string;
  let testDir: string;

  beforeEach(() => {
    root = tempDir('synth');
    standIn = makeStandIn(root);
    // Spaces, quotes and an apostrophe in every path izer gets.
    work = path.join(root, `my "work" dir's`);
    fs.mkdirSync(work);
    network = path.join(work, 'tiny net.yaml');
    fs.writeFileSync(network, TINY_NETWORK);
    checkpoint = path.join(work, 'ck "1".pth.tar');
    fs.writeFileSync(checkpoint, 'checkpoint one');
    sample = path.join(work, 'sample in.npy');
    fs.writeFileSync(sample, 'sample');
    testDir = path.join(root, 'Examples', 'MAX78000', 'CNN dir');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const job = (over: Partial<SynthesisJob> = {}): SynthesisJob => ({
    python: standIn.python,
    synthesisDir: standIn.dir,
    network,
    checkpoint,
    sampleInput: sample,
    device: 'MAX78000',
    prefix: 'tiny',
    testDir,
    flags: ['--softmax', '--board-name', 'FTHR_RevA'],
    mode: 'project',
    placeMessages: mapIzerMessages,
    ...over,
  });
  const target = () => path.join(testDir, 'tiny');
  const read = (f: string) => fs.readFileSync(path.join(target(), f), 'utf8');
  const leftovers = () =>
    [...(fs.existsSync(testDir) ? fs.readdirSync(testDir) : []), ...(fs.existsSync(path.dirname(testDir)) ? fs.readdirSync(path.dirname(testDir)) : [])].filter(
      (n) => n.includes('ai8x-synthesis-') || n.includes('ai8x-old') || n.includes('ai8x-new'),
    );

  it('passes izer the exact paths (spaces, quotes) without a shell, in the synthesis folder', async () => {
    const out = await synthesize(job());
    assert.strictEqual(out.status, 'ok', out.problem);
    const [call] = standIn.calls();
    assert.strictEqual(call.cwd, standIn.dir);
    const at = (flag: string) => call.argv[call.argv.indexOf(flag) + 1];
    assert.strictEqual(at('--config-file'), network);
    assert.strictEqual(at('--checkpoint-file'), checkpoint);
    assert.strictEqual(at('--sample-input'), sample);
    assert.strictEqual(at('--prefix'), 'tiny');
    assert.strictEqual(at('--device'), 'MAX78000');
    assert.strictEqual(at('--board-name'), 'FTHR_RevA');
    assert.ok(call.argv.includes('--softmax') && call.argv.includes('--overwrite'));
    // izer wrote into a scratch folder next to the real one, never into the real one.
    assert.notStrictEqual(at('--test-dir'), testDir);
    assert.strictEqual(path.dirname(at('--test-dir')), path.dirname(testDir));
    assert.strictEqual(call.env.PYTHONUNBUFFERED, '1');
  });

  it('places a complete project with a manifest, and the real --test-dir in the generated files', async () => {
    const out = await synthesize(job());
    assert.strictEqual(out.status, 'ok', out.problem);
    assert.strictEqual(out.target, target());
    for (const f of ['cnn.c', 'cnn.h', 'weights.h', 'main.c', 'log.txt', 'sampledata.h', 'Makefile', '.vscode/settings.json']) {
      assert.ok(out.files.includes(f), `${f} listed`);
      assert.ok(fs.existsSync(path.join(target(), f)), `${f} written`);
    }
    assert.ok(read('cnn.c').includes(`--test-dir ${testDir} --prefix tiny`), 'the @generated line names the real folder');
    assert.ok(!read('log.txt').includes('.ai8x-synthesis-'), 'no trace of the scratch folder');
    // The Makefile's DEPTH fallback depends on the depth of --test-dir: the scratch folder must not change it.
    assert.ok(read('Makefile').includes(`DEPTH := ${'../'.repeat(target().split(path.sep).filter(Boolean).length - 1)}\n`));
    const m = readManifest(target());
    assert.ok(m && m.files['cnn.c'] && m.files['Makefile'] && !(MANIFEST_NAME in m.files));
    assert.deepStrictEqual(out.summary?.weightMemory, { used: 71148, total: 442368, percent: 16.1 });
    assert.deepStrictEqual(out.summary?.biasMemory, { used: 10, total: 2048, percent: 0.5 });
    assert.deepStrictEqual(leftovers(), []);
  });

  it('puts izer errors on the YAML lines they name and leaves the target untouched', async () => {
    fs.mkdirSync(target(), { recursive: true });
    fs.writeFileSync(path.join(target(), 'main.c'), 'my own main');
    standIn.behave({
      errors: ['Layer 3 (fc): `flatten` is not compatible with pooling.'],
      warnings: ['Using default pool stride of 1 in layer 1.', 'Defaulting to `out_offset = 0` for layer sequence 2 in YAML configuration.'],
    });
    const out = await synthesize(job(), { confirmOverwrite: async () => 'replace' });
    assert.strictEqual(out.status, 'izer-failed');
    assert.strictEqual(out.exitCode, 1);
    assert.match(out.problem!, /flatten/);
    const lines = new LineIndex(TINY_NETWORK);
    const byText = (s: string) => out.diagnostics.find((d) => d.message.includes(s))!;
    const err = byText('flatten');
    assert.strictEqual(err.severity, 'error');
    assert.strictEqual(err.code, 'AX500');
    assert.strictEqual(err.layer, 3);
    assert.strictEqual(lines.position(err.range[0]).line, lineOf(TINY_NETWORK, 'flatten: true'));
    const w1 = byText('pool stride');
    assert.strictEqual(w1.severity, 'warning');
    assert.strictEqual(lines.position(w1.range[0]).line, lineOf(TINY_NETWORK, '- processors: 0xfffffffffffffff0'));
    const w2 = byText('out_offset = 0');
    assert.strictEqual(lines.position(w2.range[0]).line, lineOf(TINY_NETWORK, 'out_offset', lineOf(TINY_NETWORK, 'name: conv3')));
    assert.strictEqual(fs.readFileSync(path.join(target(), 'main.c'), 'utf8'), 'my own main');
    assert.deepStrictEqual(fs.readdirSync(target()), ['main.c']);
    assert.deepStrictEqual(leftovers(), []);
  });

  it('reports a Python crash as an error and changes nothing', async () => {
    standIn.behave({ crash: "TypeError: '<' not supported between instances of 'str' and 'int'" });
    const out = await synthesize(job());
    assert.strictEqual(out.status, 'izer-failed');
    assert.strictEqual(out.diagnostics.length, 1);
    assert.strictEqual(out.diagnostics[0].code, 'AX502');
    assert.match(out.diagnostics[0].message, /Python exception: TypeError/);
    assert.ok(!fs.existsSync(target()));
  });

  it('replaces its own unchanged output without asking', async () => {
    assert.strictEqual((await synthesize(job())).status, 'ok');
    fs.writeFileSync(checkpoint, 'checkpoint two');
    let asked = false;
    const out = await synthesize(job(), { confirmOverwrite: async () => ((asked = true), 'cancel') });
    assert.strictEqual(out.status, 'ok', out.problem);
    assert.strictEqual(asked, false);
    assert.strictEqual(out.backup, null);
    assert.ok(read('weights.h').includes('"' + sha16('checkpoint two') + '"'));
    assert.deepStrictEqual(leftovers(), []);
  });

  it('never replaces a project the user changed without consent, and keeps a backup when allowed', async () => {
    assert.strictEqual((await synthesize(job())).status, 'ok');
    fs.writeFileSync(path.join(target(), 'main.c'), 'int main(void) { /* my edits */ }');
    fs.writeFileSync(path.join(target(), 'extra.c'), 'mine');

    const refused = await synthesize(job());
    assert.strictEqual(refused.status, 'refused');
    assert.ok(refused.needsConsent);
    assert.match(refused.problem!, /changed: main\.c; added: extra\.c/);
    assert.strictEqual(standIn.calls().length, 1, 'izer did not even run');

    let concern = '';
    const declined = await synthesize(job(), { confirmOverwrite: async (_t, c) => ((concern = c), 'cancel') });
    assert.strictEqual(declined.status, 'refused');
    assert.match(concern, /main\.c/);
    assert.strictEqual(read('main.c'), 'int main(void) { /* my edits */ }');

    const backedUp = await synthesize(job(), { confirmOverwrite: async () => 'backup' });
    assert.strictEqual(backedUp.status, 'ok', backedUp.problem);
    assert.ok(backedUp.backup && fs.existsSync(backedUp.backup));
    assert.strictEqual(fs.readFileSync(path.join(backedUp.backup!, 'main.c'), 'utf8'), 'int main(void) { /* my edits */ }');
    assert.strictEqual(fs.readFileSync(path.join(backedUp.backup!, 'extra.c'), 'utf8'), 'mine');
    assert.ok(read('main.c').includes('@generated'));
    assert.ok(!fs.existsSync(path.join(target(), 'extra.c')));
  });

  it("treats a folder it did not make as the user's; force replaces it but keeps a backup", async () => {
    fs.mkdirSync(target(), { recursive: true });
    fs.writeFileSync(path.join(target(), 'main.c'), 'hand made');
    const refused = await synthesize(job());
    assert.strictEqual(refused.status, 'refused');
    assert.match(refused.problem!, /not made by this synthesis command/);
    const forced = await synthesize(job({ force: true }));
    assert.strictEqual(forced.status, 'ok', forced.problem);
    assert.strictEqual(fs.readFileSync(path.join(forced.backup!, 'main.c'), 'utf8'), 'hand made');
  });

  it('"update network only" replaces just cnn.c, cnn.h, weights.h and log.txt', async () => {
    assert.strictEqual((await synthesize(job())).status, 'ok');
    fs.writeFileSync(path.join(target(), 'main.c'), 'customised main');
    fs.writeFileSync(path.join(target(), 'Makefile'), 'customised Makefile');
    fs.writeFileSync(path.join(target(), 'app.c'), 'more of my code');
    const sampleBefore = read('sampledata.h');
    fs.writeFileSync(checkpoint, 'retrained checkpoint');
    fs.writeFileSync(sample, 'another sample');

    const out = await synthesize(job({ mode: 'update-network-only' }));
    assert.strictEqual(out.status, 'ok', out.problem);
    assert.deepStrictEqual([...out.files].sort(), ['cnn.c', 'cnn.h', 'log.txt', 'weights.h']);
    assert.ok(read('weights.h').includes(sha16('retrained checkpoint')));
    assert.strictEqual(read('main.c'), 'customised main');
    assert.strictEqual(read('Makefile'), 'customised Makefile');
    assert.strictEqual(read('app.c'), 'more of my code');
    assert.strictEqual(read('sampledata.h'), sampleBefore);
    const m = readManifest(target())!;
    assert.strictEqual(m.files['weights.h'], sha256(read('weights.h')));
    assert.deepStrictEqual(leftovers(), []);
  });

  it('"update network only" asks before replacing network files the user edited, and needs a project', async () => {
    const absent = await synthesize(job({ mode: 'update-network-only' }));
    assert.strictEqual(absent.status, 'refused');
    assert.match(absent.problem!, /needs an existing project/);

    assert.strictEqual((await synthesize(job())).status, 'ok');
    fs.writeFileSync(path.join(target(), 'cnn.c'), 'patched by hand');
    const refused = await synthesize(job({ mode: 'update-network-only' }));
    assert.strictEqual(refused.status, 'refused');
    assert.match(refused.problem!, /changed: cnn\.c/);
    assert.strictEqual(read('cnn.c'), 'patched by hand');
    const ok = await synthesize(job({ mode: 'update-network-only' }), { confirmOverwrite: async () => 'backup' });
    assert.strictEqual(ok.status, 'ok');
    assert.strictEqual(fs.readFileSync(path.join(ok.backup!, 'cnn.c'), 'utf8'), 'patched by hand');
    assert.ok(read('cnn.c').includes('@generated'));
  });

  it('replaces a project holding links (to a folder, a file, nowhere) only with consent, and never through them', async () => {
    assert.strictEqual((await synthesize(job())).status, 'ok');
    const outside = path.join(root, 'outside');
    fs.mkdirSync(path.join(outside, 'data'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'data', 'keep.bin'), 'keep');
    fs.writeFileSync(path.join(outside, 'shared.h'), 'shared');
    const addLinks = () => {
      fs.symlinkSync(path.join(outside, 'data'), path.join(target(), 'data'));
      fs.symlinkSync(path.join(outside, 'shared.h'), path.join(target(), 'shared.h'));
      fs.symlinkSync(path.join(root, 'nowhere'), path.join(target(), 'dangling'));
      // A generated file replaced by a link to a folder.
      fs.rmSync(path.join(target(), 'main.c'));
      fs.symlinkSync(path.join(outside, 'data'), path.join(target(), 'main.c'));
    };
    addLinks();

    const refused = await synthesize(job());
    assert.strictEqual(refused.status, 'refused');
    assert.ok(refused.needsConsent);
    assert.match(refused.problem!, /changed: main\.c; added: dangling, data, shared\.h/);

    const backedUp = await synthesize(job(), { confirmOverwrite: async () => 'backup' });
    assert.strictEqual(backedUp.status, 'ok', backedUp.problem);
    for (const l of ['data', 'shared.h', 'dangling', 'main.c']) assert.ok(fs.lstatSync(path.join(backedUp.backup!, l)).isSymbolicLink(), `${l} kept as a link`);
    assert.ok(!fs.existsSync(path.join(target(), 'data')));

    addLinks();
    const replaced = await synthesize(job(), { confirmOverwrite: async () => 'replace' });
    assert.strictEqual(replaced.status, 'ok', replaced.problem);
    assert.strictEqual(fs.readFileSync(path.join(outside, 'data', 'keep.bin'), 'utf8'), 'keep', 'the linked folder was not emptied');
    assert.strictEqual(fs.readFileSync(path.join(outside, 'shared.h'), 'utf8'), 'shared');
    assert.deepStrictEqual(leftovers(), []);
  });

  it('"update network only" writes no file through a link: a linked manifest or network file is replaced, not followed', async () => {
    assert.strictEqual((await synthesize(job())).status, 'ok');
    const elsewhere = path.join(root, 'elsewhere');
    fs.mkdirSync(elsewhere);
    const manifestThere = path.join(elsewhere, 'manifest.json');
    fs.renameSync(path.join(target(), MANIFEST_NAME), manifestThere);
    fs.symlinkSync(manifestThere, path.join(target(), MANIFEST_NAME));
    const manifestText = fs.readFileSync(manifestThere, 'utf8');
    const weightsThere = path.join(elsewhere, 'weights.h');
    fs.renameSync(path.join(target(), 'weights.h'), weightsThere);
    fs.symlinkSync(weightsThere, path.join(target(), 'weights.h'));
    const weightsText = fs.readFileSync(weightsThere, 'utf8');
    fs.mkdirSync(path.join(elsewhere, 'headers'));
    fs.writeFileSync(path.join(elsewhere, 'headers', 'keep.h'), 'keep');
    fs.rmSync(path.join(target(), 'cnn.h'));
    fs.symlinkSync(path.join(elsewhere, 'headers'), path.join(target(), 'cnn.h'));
    fs.writeFileSync(checkpoint, 'retrained checkpoint');

    // weights.h has the same contents, but is a link now: the user's doing, so it is asked about.
    const refused = await synthesize(job({ mode: 'update-network-only' }));
    assert.strictEqual(refused.status, 'refused');
    assert.match(refused.problem!, /changed: cnn\.h, weights\.h/);

    const out = await synthesize(job({ mode: 'update-network-only' }), { confirmOverwrite: async () => 'replace' });
    assert.strictEqual(out.status, 'ok', out.problem);
    assert.strictEqual(fs.readFileSync(manifestThere, 'utf8'), manifestText, 'the linked manifest was not written through');
    assert.strictEqual(fs.readFileSync(weightsThere, 'utf8'), weightsText, 'the linked weights.h was not written through');
    assert.ok(fs.lstatSync(path.join(target(), MANIFEST_NAME)).isFile());
    assert.ok(fs.lstatSync(path.join(target(), 'weights.h')).isFile());
    assert.ok(fs.lstatSync(path.join(target(), 'cnn.h')).isFile());
    assert.deepStrictEqual(fs.readdirSync(path.join(elsewhere, 'headers')), ['keep.h']);
    assert.ok(read('weights.h').includes(sha16('retrained checkpoint')));
    assert.strictEqual(readManifest(target())!.files['weights.h'], sha256(read('weights.h')));
  });

  it('"update network only" changes nothing when one of its files cannot be replaced', async () => {
    assert.strictEqual((await synthesize(job())).status, 'ok');
    fs.rmSync(path.join(target(), 'log.txt'));
    fs.mkdirSync(path.join(target(), 'log.txt'));
    fs.writeFileSync(path.join(target(), 'log.txt', 'notes.txt'), 'my notes');
    const before = ['cnn.c', 'cnn.h', 'weights.h', MANIFEST_NAME].map(read);
    fs.writeFileSync(checkpoint, 'retrained checkpoint');
    const out = await synthesize(job({ mode: 'update-network-only' }), { confirmOverwrite: async () => 'replace' });
    assert.strictEqual(out.status, 'failed');
    assert.match(out.problem!, /log\.txt.*is a folder/);
    assert.match(out.problem!, /Nothing was changed/);
    assert.deepStrictEqual(['cnn.c', 'cnn.h', 'weights.h', MANIFEST_NAME].map(read), before);
    assert.strictEqual(read('log.txt/notes.txt'), 'my notes');
    assert.deepStrictEqual(
      fs.readdirSync(target()).filter((n) => n.includes('ai8x')),
      [MANIFEST_NAME],
    );
    assert.deepStrictEqual(leftovers(), []);
  });

  it('cancels by ending izer and its children, leaving nothing behind', async () => {
    standIn.behave({ hang: true });
    const abort = new AbortController();
    const pidsFile = path.join(standIn.dir, 'pids.json');
    const running = synthesize(job(), { signal: abort.signal });
    const deadline = Date.now() + 10000;
    while (!fs.existsSync(pidsFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(fs.existsSync(pidsFile), 'the stand-in started');
    await new Promise((r) => setTimeout(r, 100));
    const pids = JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as { child: number; grandchild: number };
    assert.ok(isProcessAlive(pids.child) && isProcessAlive(pids.grandchild), 'both run before cancelling');
    abort.abort();
    const out = await running;
    assert.strictEqual(out.status, 'cancelled');
    const gone = Date.now() + 5000;
    while ((isProcessAlive(pids.child) || isProcessAlive(pids.grandchild)) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    assert.strictEqual(isProcessAlive(pids.child), false, 'izer ended');
    assert.strictEqual(isProcessAlive(pids.grandchild), false, 'its child ended');
    assert.ok(!fs.existsSync(target()));
    assert.deepStrictEqual(leftovers(), []);
  });

  it('removes scratch folders of runs whose process was killed, and nothing else', async () => {
    const parent = path.dirname(testDir);
    fs.mkdirSync(parent, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const folders = {
      abandoned: `.ai8x-synthesis-${dead}-aB3xY9`,
      running: `.ai8x-synthesis-${process.ppid}-Qw12Er`,
      unrelated: '.ai8x-synthesis-notes',
    };
    for (const f of Object.values(folders)) {
      fs.mkdirSync(path.join(parent, f, 'tiny'), { recursive: true });
      fs.writeFileSync(path.join(parent, f, 'tiny', 'cnn.c'), '/* half written */');
    }
    const out = await synthesize(job());
    assert.strictEqual(out.status, 'ok', out.problem);
    assert.strictEqual(fs.existsSync(path.join(parent, folders.abandoned)), false, "the killed run's folder is gone");
    assert.strictEqual(fs.existsSync(path.join(parent, folders.running, 'tiny', 'cnn.c')), true, 'a live process keeps its folder');
    assert.strictEqual(fs.existsSync(path.join(parent, folders.unrelated, 'tiny', 'cnn.c')), true, 'other names are not ours');
  });

  it('says so when izer succeeds without writing a project', async () => {
    standIn.behave({ writeNothing: true });
    const out = await synthesize(job());
    assert.strictEqual(out.status, 'failed');
    assert.match(out.problem!, /wrote no tiny folder/);
  });

  it('refuses unusable prefixes and missing inputs before running anything', async () => {
    for (const prefix of ['', '..', 'a/b']) assert.strictEqual((await synthesize(job({ prefix }))).status, 'refused');
    assert.match((await synthesize(job({ checkpoint: path.join(work, 'nope.pth.tar') }))).problem!, /does not exist/);
    assert.strictEqual(standIn.calls().length, 0);
  });

  it('reports a Python that cannot be started', async () => {
    const out = await synthesize(job({ python: path.join(root, 'no-such-python') }));
    assert.strictEqual(out.status, 'failed');
    assert.match(out.problem!, /was not found/);
    assert.deepStrictEqual(leftovers(), []);
  });
});

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
function sha16(s: string): string {
  return sha256(s).slice(0, 16);
}
