// System prerequisites of the browser-based test harnesses (e2e in code-server, webview screenshots):
// Debian's chromium, and code-server installed by scripts/setup-code-server.sh (which needs libkrb5-dev, ripgrep).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION || '4.100.3';
export const CODE_SERVER = process.env.CODE_SERVER || join(REPO_ROOT, '.vscode-test/code-server/node_modules/.bin/code-server');

export function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  return '/usr/bin/chromium';
}

export function hasChromium() {
  return existsSync(chromiumPath());
}

export function codeServerVersion() {
  if (!existsSync(CODE_SERVER)) return null;
  // code-server writes ~/.config/code-server/config.yaml on any start unless XDG_CONFIG_HOME points elsewhere.
  const xdg = mkdtempSync(join(tmpdir(), 'cs-version-'));
  try {
    const out = execFileSync(CODE_SERVER, ['--version'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: xdg },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.trim().split('\n').pop().split(' ')[0];
  } catch {
    return null;
  } finally {
    rmSync(xdg, { recursive: true, force: true });
  }
}

export function hasCodeServer() {
  return codeServerVersion() === CODE_SERVER_VERSION;
}

/** How to run apt-get here: as root directly, else through password-less sudo, else null. */
function aptGet() {
  if (process.getuid && process.getuid() === 0) return ['apt-get'];
  if (spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n', 'apt-get'];
  return null;
}

let aptUpdated = false;

/** Installs Debian packages; returns an error text (with the command to run by hand) or null on success. */
export function aptInstall(packages) {
  const cmd = aptGet();
  const manual = `sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`;
  if (!cmd) return `cannot install ${packages.join(', ')} without root or password-less sudo; run:\n    ${manual}`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log(`prerequisites: ${cmd.join(' ')} install -y ${packages.join(' ')}`);
  if (!aptUpdated) {
    const u = spawnSync(cmd[0], [...cmd.slice(1), 'update', '-q'], { stdio: 'inherit', env });
    if (u.status !== 0) return `apt-get update failed; run:\n    ${manual}`;
    aptUpdated = true;
  }
  const r = spawnSync(cmd[0], [...cmd.slice(1), 'install', '-y', '-q', ...packages], { stdio: 'inherit', env });
  return r.status === 0 ? null : `apt-get install failed; run:\n    ${manual}`;
}

/** Makes sure chromium exists (installing it if allowed); returns an error text or null. */
export function ensureChromium() {
  if (hasChromium()) return null;
  if (process.env.CHROMIUM) return `CHROMIUM=${process.env.CHROMIUM} does not exist`;
  const err = aptInstall(['chromium']);
  if (err) return `chromium is missing: ${err}`;
  return hasChromium() ? null : 'chromium is still missing after apt-get install chromium';
}

/** Makes sure code-server is installed (scripts/setup-code-server.sh); returns an error text or null. */
export function ensureCodeServer() {
  if (hasCodeServer()) return null;
  if (process.env.CODE_SERVER) return `CODE_SERVER=${process.env.CODE_SERVER} is not code-server ${CODE_SERVER_VERSION}`;
  console.log(`prerequisites: code-server ${CODE_SERVER_VERSION} not found, running scripts/setup-code-server.sh`);
  const r = spawnSync('bash', [join(REPO_ROOT, 'scripts/setup-code-server.sh')], { stdio: 'inherit', cwd: REPO_ROOT });
  if (r.status !== 0) return `code-server setup failed; see the messages above, or run:\n    bash scripts/setup-code-server.sh`;
  return hasCodeServer() ? null : 'code-server is still missing after scripts/setup-code-server.sh';
}
