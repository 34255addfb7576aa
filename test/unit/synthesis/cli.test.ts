import * as assert from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isProcessAlive } from '../../../server/src/process/runProcess';
import { repoRoot } from '../../support/shared';
import { lineOf, makeStandIn, StandIn, tempDir, TINY_NETWORK } from './standIn';

describe('ai8x synthesize (CLI) with a stand-in izer', function () {
  this.timeout(20000);
  let cli: string;
  let root: string;
  let standIn: StandIn;
  let network: string;
  let out: string;

  before(function () {
    cli = path.join(repoRoot(), 'dist', 'cli.js');
    if (!fs.existsSync(cli)) {
      console.log(`      (skipped: ${cli} not built; run node esbuild.mjs)`);
      this.skip();
    }
  });
  beforeEach(() => {
    root = tempDir('cli');
    standIn = makeStandIn(root);
    network = path.join(root, 'net work.yaml');
    fs.writeFileSync(network, `# ai8x: checkpoint="ck 1.pth.tar" izer-flags="--softmax"\n${TINY_NETWORK}`);
    fs.writeFileSync(path.join(root, 'ck 1.pth.tar'), 'ck');
    out = path.join(root, 'out');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const clean = { ...process.env, AI8X_SYNTHESIS_PATH: '', AI8X_PYTHON: '', MAXIM_PATH: '', ...env };
    const r = spawnSync(process.execPath, [cli, 'synthesize', '--engine', 'izer', ...args], { cwd: root, env: clean, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const tools = () => ['--synthesis-path', standIn.dir, '--python', standIn.python];

  it('exits 2 and says what to install and where to point when the environment is missing', () => {
    const r = run([network, '--out', out]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /git clone https:\/\/github\.com\/analogdevicesinc\/ai8x-synthesis/);
    assert.match(r.stderr, /--synthesis-path DIR/);
    assert.match(r.stderr, /--python EXE/);
    assert.strictEqual(standIn.calls().length, 0);
  });

  it("uses the modeline's checkpoint and flags, the YAML name as prefix, and shows the command line", () => {
    const r = run([network, '--out', out, ...tools(), '--', '--timer', '0']);
    assert.strictEqual(r.code, 0, r.stderr);
    const [call] = standIn.calls();
    assert.strictEqual(call.argv[call.argv.indexOf('--checkpoint-file') + 1], path.join(root, 'ck 1.pth.tar'));
    assert.strictEqual(call.argv[call.argv.indexOf('--prefix') + 1], 'net work');
    assert.ok(call.argv.indexOf('--softmax') < call.argv.indexOf('--timer'), 'modeline flags first, command-line flags after');
    assert.match(r.stderr, /ai8xize\.py --test-dir \S+ --prefix 'net work' --checkpoint-file '[^']*ck 1\.pth\.tar'/);
    assert.match(r.stdout, /written to .*net work/);
    assert.match(r.stdout, /weights: 71,148 of 442,368 bytes \(16\.1%\)/);
    // How to build it, and the izer command line with the real output folder.
    assert.match(r.stdout, /^ai8x synthesize: Build the MAX78000 project with the MaximSDK/m);
    assert.ok(r.stdout.includes(`ai8x synthesize:   cd '${path.join(out, 'net work')}'`), r.stdout);
    assert.match(r.stdout, /^ai8x synthesize: {3}make {2,}# builds build\/net_work\.elf/m);
    assert.match(
      r.stdout,
      new RegExp(`^ai8x synthesize: izer command line: .*ai8xize\\.py --test-dir ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --prefix 'net work'`, 'm'),
    );
    assert.ok(fs.existsSync(path.join(out, 'net work', 'cnn.c')));
  });

  it('takes the tools from AI8X_SYNTHESIS_PATH / AI8X_PYTHON, and the output folder from MAXIM_PATH', () => {
    const msdk = path.join(root, 'msdk');
    fs.mkdirSync(path.join(msdk, 'Examples'), { recursive: true });
    const r = run([network, '--prefix', 'p', '--device', 'MAX78002'], { AI8X_SYNTHESIS_PATH: standIn.dir, AI8X_PYTHON: standIn.python, MAXIM_PATH: msdk });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.ok(fs.existsSync(path.join(msdk, 'Examples', 'MAX78002', 'CNN', 'p', 'main.c')));
  });

  it("exits with izer's status and prints its errors as file:line:col diagnostics", () => {
    standIn.behave({ errors: ['Layer 3 (fc): `flatten` is not compatible with pooling.'], exitCode: 3 });
    const r = run([network, '--out', out, ...tools()]);
    assert.strictEqual(r.code, 3);
    const text = fs.readFileSync(network, 'utf8');
    assert.ok(r.stdout.includes(`${network}:${lineOf(text, 'flatten: true') + 1}:5: error AX500 izer: Layer 3 (fc): \`flatten\``), r.stdout);
    assert.ok(!fs.existsSync(path.join(out, 'net work')));
  });

  it('prints lines the contributed $ai8xize problem matcher reads (file with spaces, line, column, severity, code)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8'));
    const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'ai8xize');
    const re = new RegExp(matcher.pattern.regexp);
    standIn.behave({
      errors: ['Unknown value "conv9" for `op` (found in layer sequence 2 in YAML configuration).'],
      warnings: ['Using default pool stride of 1 in layer 1.'],
    });
    const r = run([network, '--out', out, ...tools()]);
    const hits = r.stdout
      .split('\n')
      .map((l) => re.exec(l))
      .filter((m): m is RegExpExecArray => !!m);
    const text = fs.readFileSync(network, 'utf8');
    const g = (m: RegExpExecArray, k: string) => m[matcher.pattern[k]];
    assert.deepStrictEqual(
      hits.map((m) => [g(m, 'file'), Number(g(m, 'line')) - 1, g(m, 'severity'), g(m, 'code')]),
      [
        [network, lineOf(text, '- processors: 0xfffffffffffffff0'), 'warning', 'AX501'],
        [network, lineOf(text, 'op: conv2d', lineOf(text, 'name: conv3')), 'error', 'AX500'],
      ],
    );
    assert.match(g(hits[1], 'message'), /^izer: Unknown value "conv9"/);
  });

  it('refuses with exit 2 to replace a project the user changed, unless --force (which keeps a backup)', () => {
    assert.strictEqual(run([network, '--out', out, '--prefix', 'p', ...tools()]).code, 0);
    fs.writeFileSync(path.join(out, 'p', 'main.c'), 'mine');
    const refused = run([network, '--out', out, '--prefix', 'p', ...tools()]);
    assert.strictEqual(refused.code, 2);
    assert.match(refused.stderr, /changed after it was generated \(changed: main\.c\)/);
    assert.match(refused.stderr, /--force/);
    assert.strictEqual(fs.readFileSync(path.join(out, 'p', 'main.c'), 'utf8'), 'mine');
    const forced = run([network, '--out', out, '--prefix', 'p', '--force', ...tools()]);
    assert.strictEqual(forced.code, 0, forced.stderr);
    const backup = /kept in (.*)\n/.exec(forced.stdout)![1];
    assert.strictEqual(fs.readFileSync(path.join(backup, 'main.c'), 'utf8'), 'mine');
  });

  it('refuses output names outside the project from the modeline and after --, before izer runs (exit 2)', () => {
    // izer joins names to <out>/<prefix>: "../../user-file.h" is the file next to the output folder.
    const victim = path.join(root, 'user-file.h');
    fs.writeFileSync(victim, 'mine');
    fs.writeFileSync(network, `# ai8x: checkpoint="ck 1.pth.tar" izer-flags="--softmax --weight-filename ../../user-file.h"\n${TINY_NETWORK}`);
    const fromModeline = run([network, '--out', out, ...tools()]);
    assert.strictEqual(fromModeline.code, 2, fromModeline.stderr);
    assert.match(fromModeline.stderr, /--weight-filename "\.\.\/\.\.\/user-file\.h".*outside the project folder/);
    assert.ok(fromModeline.stderr.includes(victim), fromModeline.stderr);

    fs.writeFileSync(network, `# ai8x: checkpoint="ck 1.pth.tar"\n${TINY_NETWORK}`);
    const log = path.join(root, 'x.txt');
    fs.writeFileSync(log, 'mine');
    const afterDashes = run([network, '--out', out, ...tools(), '--', '--log-filename', log]);
    assert.strictEqual(afterDashes.code, 2, afterDashes.stderr);
    assert.ok(afterDashes.stderr.includes(`--log-filename ${JSON.stringify(log)}`), afterDashes.stderr);

    assert.strictEqual(standIn.calls().length, 0, 'izer never ran');
    assert.strictEqual(fs.readFileSync(victim, 'utf8'), 'mine');
    assert.strictEqual(fs.readFileSync(log, 'utf8'), 'mine');
    assert.ok(!fs.existsSync(out));
  });

  it('--update-network-only keeps main.c', () => {
    assert.strictEqual(run([network, '--out', out, '--prefix', 'p', ...tools()]).code, 0);
    fs.writeFileSync(path.join(out, 'p', 'main.c'), 'mine');
    const r = run([network, '--out', out, '--prefix', 'p', '--update-network-only', ...tools()]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /4 files written/);
    assert.strictEqual(fs.readFileSync(path.join(out, 'p', 'main.c'), 'utf8'), 'mine');
  });

  it('on Ctrl+C ends izer and its children (which run in their own process group) and exits 130', async () => {
    standIn.behave({ hang: true });
    const child = spawn(process.execPath, [cli, 'synthesize', '--engine', 'izer', network, '--out', out, ...tools()], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const pidsFile = path.join(standIn.dir, 'pids.json');
    for (let i = 0; i < 200 && !fs.existsSync(pidsFile); i++) await new Promise((r) => setTimeout(r, 50));
    const pids = JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as { child: number; grandchild: number };
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    child.kill('SIGINT');
    assert.strictEqual(await exited, 130);
    assert.match(stderr, /cancelled; nothing was changed/);
    for (let i = 0; i < 100 && (isProcessAlive(pids.child) || isProcessAlive(pids.grandchild)); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(!isProcessAlive(pids.child) && !isProcessAlive(pids.grandchild), 'no izer process left');
    assert.deepStrictEqual(
      fs.readdirSync(root).filter((n) => n.startsWith('.ai8x-synthesis-')),
      [],
    );
  });

  it('needs a checkpoint (exit 2) and rejects unknown options (exit 2)', () => {
    const bare = path.join(root, 'bare.yaml');
    fs.writeFileSync(bare, TINY_NETWORK);
    const r = run([bare, '--out', out, ...tools()]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /no checkpoint: give --checkpoint FILE/);
    assert.strictEqual(run([network, '--bogus']).code, 2);
  });
});
