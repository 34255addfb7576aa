// dist/cli.js starts the CLI from V8's code cache (server/src/cli/bin.ts): one file per command in a private
// folder, written by the first run, used by the next ones, never trusted when others could have written it, and
// never changing what the CLI does.
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../../server/src/example/exampleNetwork';
import { repoRoot, skipBecause } from '../../support/shared';

const cli = () => path.join(repoRoot(), 'dist', 'cli.js');

describe('ai8x: the code cache', function () {
  this.timeout(60000);
  let dir = '';
  let cache = '';
  /** Runs the CLI with the cache in `cache`; returns its output, exit status and what it did with the cache. */
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = cp.spawnSync(process.execPath, [cli(), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, AI8X_TIMING: '1', AI8X_COMPILE_CACHE: cache, ...env },
    });
    const state = /^ai8x-code-cache (.+)$/m.exec(r.stderr)?.[1] ?? null;
    return { stdout: r.stdout, status: r.status, state };
  };
  const files = () => (fs.existsSync(cache) ? fs.readdirSync(cache).sort() : []);

  before(function () {
    if (!fs.existsSync(cli())) skipBecause(this, `${cli()} not built; run node esbuild.mjs`);
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-code-cache-'));
    cache = path.join(dir, 'cache');
    fs.writeFileSync(path.join(dir, 'tinynet.yaml'), EXAMPLE_NETWORK_YAML.replace('processors: 0x00000000000000ff', 'processors: 0x000000000000000f'));
    fs.writeFileSync(path.join(dir, 'tinynet-q.pth.tar'), exampleCheckpointBytes());
    fs.writeFileSync(path.join(dir, 'sample_tinynet.npy'), exampleSampleBytes());
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the first run of a command writes its cache, the next ones start from it, and the output stays the same', () => {
    const first = run(['check', 'tinynet.yaml', '--format', 'json']);
    assert.equal(first.status, 1, 'the network has an error');
    assert.match(first.stdout, /IZ222/);
    assert.equal(first.state, 'written');
    const written = files();
    assert.equal(written.length, 1);
    assert.match(written[0], /^cliMain-check-\d+-\d+-v[\d.]+-\w+\.bin$/);
    if (process.platform !== 'win32') {
      assert.equal(fs.statSync(cache).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(cache, written[0])).mode & 0o777, 0o600);
    }
    for (let i = 0; i < 2; i++) {
      const again = run(['check', 'tinynet.yaml', '--format', 'json']);
      assert.equal(again.state, 'used');
      assert.equal(again.status, first.status);
      assert.equal(again.stdout, first.stdout);
    }
    // Another command has a cache of its own.
    assert.equal(run(['kernel-map', 'tinynet.yaml']).state, 'written');
    assert.equal(files().length, 2);
  });

  it('a damaged cache is refused by V8: the run is unaffected and the cache written again', () => {
    const first = run(['check', 'tinynet.yaml']);
    const [file] = files();
    const bytes = fs.readFileSync(path.join(cache, file));
    bytes.fill(0x5a, 0, 64);
    fs.writeFileSync(path.join(cache, file), bytes);
    const again = run(['check', 'tinynet.yaml']);
    assert.equal(again.state, 'rejected and written');
    assert.equal(again.stdout, first.stdout);
    assert.equal(run(['check', 'tinynet.yaml']).state, 'used');
  });

  it('AI8X_COMPILE_CACHE=off, a usage error and a folder others can write into leave no cache behind', function () {
    assert.equal(run(['check', 'tinynet.yaml'], { AI8X_COMPILE_CACHE: 'off' }).state, 'off');
    const usage = run(['no-such-command']);
    assert.equal(usage.status, 2);
    assert.deepEqual(files(), []);
    if (process.platform === 'win32') return;
    fs.mkdirSync(cache, { recursive: true });
    fs.chmodSync(cache, 0o777);
    const shared = run(['check', 'tinynet.yaml']);
    assert.equal(shared.state, 'off');
    assert.equal(shared.status, 1);
    assert.deepEqual(files(), []);
  });

  it('the bundle it loads is pure ASCII, so it is read as a one-byte string (esbuild.mjs escapes what esbuild leaves)', () => {
    const bytes = fs.readFileSync(path.join(repoRoot(), 'dist', 'cliMain.js'));
    const at = bytes.findIndex((b) => b > 0x7f);
    assert.equal(at, -1, `dist/cliMain.js has a non-ASCII byte at offset ${at}`);
    // The escaped text still means what it says: the regular expression that reads "8×8×9" and the message that
    // repeats it.
    const r = cp.spawnSync(
      process.execPath,
      [cli(), 'simulate', 'tinynet.yaml', '--checkpoint', 'tinynet-q.pth.tar', '--random-input', '1', '--input-shape', '8×8×9'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, AI8X_COMPILE_CACHE: cache },
      },
    );
    assert.match(r.stdout + r.stderr, /The data reaching this layer is 8×8×9/);
  });
});
