// `npm run example`: the main job on the built-in example, from a fresh clone.
// Installs dependencies if needed, builds, writes the example network with its checkpoint and sample input
// into ./example, and runs the ai8x CLI on it: check, kernel map, the simulator and native synthesis.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
const step = (title) => console.log(`\n\u001b[1m== ${title}\u001b[0m`);

if (!existsSync(join(root, 'node_modules', 'esbuild'))) {
  step('Installing dependencies (npm ci)');
  run(npm, ['ci', '--no-audit', '--no-fund']);
}
step('Building (esbuild)');
run(process.execPath, ['esbuild.mjs']);

const cli = join(root, 'dist', 'cli.js');
const ex = join(root, 'example');
step('Writing the built-in example into ./example');
run(process.execPath, [cli, 'example', ex]);

const yaml = join(ex, 'tinynet.yaml');
const ai8x = (args) => spawnSync(process.execPath, [cli, ...args], { cwd: ex, encoding: 'utf8' });

step("ai8x check example/tinynet.yaml   (device, checkpoint and sample come from the file's `# ai8x:` line)");
const check = ai8x(['check', yaml]);
process.stdout.write(check.stdout || 'no problems found\n');
process.stderr.write(check.stderr);

step('ai8x check --format json (the contract scripts use)');
const json = ai8x(['check', yaml, '--format', 'json']);
process.stdout.write(json.stdout.split('\n').slice(0, 12).join('\n') + '\n  …\n');

step('ai8x kernel-map (izer\'s "Kernel map:" block; first 16 processors, first 100 columns)');
const km = ai8x(['kernel-map', yaml]);
process.stdout.write(
  km.stdout
    .split('\n')
    .slice(0, 18)
    .map((l) => l.slice(0, 100))
    .join('\n') + '\n',
);
process.stderr.write(km.stderr);

step('ai8x simulate (bit-exact izer simulation and known answer, no Python)');
const sim = ai8x(['simulate', yaml]);
if (/unknown command/.test(sim.stderr)) console.log('(the simulate command is not part of this build)');
else {
  process.stdout.write(sim.stdout);
  process.stderr.write(sim.stderr);
}

step('ai8x synthesize (the MSDK project, made natively: no Python, PyTorch or ai8x-synthesis)');
const projects = join(ex, 'projects');
const syn = ai8x(['synthesize', yaml, '--out', projects, '--force']);
process.stdout.write(syn.stdout);
process.stderr.write(syn.stderr);
if (syn.status === 0) console.log(`(build it with the MaximSDK: cd example/projects/tinynet && make; the project's own VS Code tasks build and flash it)`);

step('A mistake, to see a diagnostic: the second layer with 4 instead of 8 processors');
const { readFileSync, writeFileSync, mkdtempSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const tmp = mkdtempSync(join(tmpdir(), 'ai8x-example-'));
const broken = readFileSync(yaml, 'utf8')
  .replace('processors: 0x00000000000000ff', 'processors: 0x000000000000000f')
  .replace('checkpoint=tinynet-q.pth.tar', `checkpoint="${join(ex, 'tinynet-q.pth.tar')}"`)
  .replace('sample-input=sample_tinynet.npy', `sample-input="${join(ex, 'sample_tinynet.npy')}"`);
writeFileSync(join(tmp, 'tinynet-broken.yaml'), broken);
const bad = ai8x(['check', join(tmp, 'tinynet-broken.yaml')]);
process.stdout.write(bad.stdout);
console.log(`(exit status ${bad.status}: 1 means errors were found)`);
console.log('\nOpen example/tinynet.yaml in VS Code with this extension to see the same checks as you type.');
