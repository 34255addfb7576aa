// "ai8x: Check Synthesis Environment": what was found, with versions, and whether izer's Python has the
// packages izer imports.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SynthesisEnvironment } from './environment';
import { izerEnvironment } from './synthesize';

export interface EnvironmentReport {
  lines: string[];
  /** Problems that stop synthesis (missing tools, missing Python packages). */
  problems: string[];
}

/** Modules ai8xize.py imports at start-up (PyPI names in parentheses where they differ). */
const IZER_MODULES: [module: string, pipName: string][] = [
  ['numpy', 'numpy'],
  ['torch', 'torch'],
  ['yaml', 'PyYAML'],
  ['rich', 'rich'],
  ['xxhash', 'xxhash'],
  ['git', 'GitPython'],
  ['github', 'PyGithub'],
];

const PROBE = `
import importlib, json, sys
out = {"python": sys.version.split()[0], "executable": sys.executable, "modules": {}}
for name in sys.argv[1:]:
    try:
        m = importlib.import_module(name)
        out["modules"][name] = str(getattr(m, "__version__", "installed"))
    except Exception as e:
        out["modules"][name] = None
print(json.dumps(out))
`;

export async function describeEnvironment(env: SynthesisEnvironment, timeoutMs = 60000): Promise<EnvironmentReport> {
  const lines: string[] = [];
  const problems = env.problems.map((p) => p.message);

  if (env.synthesis) {
    lines.push(`ai8x-synthesis: ${env.synthesis.path} (from ${env.synthesis.source})`);
    lines.push(`  version: ${await synthesisVersion(env.synthesis.path)}`);
  } else lines.push('ai8x-synthesis: not found');

  if (env.python) {
    lines.push(`Python: ${env.python.path} (from ${env.python.source})`);
    const r = await run(
      env.python.path,
      ['-c', PROBE, ...IZER_MODULES.map((m) => m[0])],
      env.synthesis?.path ?? process.cwd(),
      timeoutMs,
      izerEnvironment(env.python.path),
    );
    let probe: { python: string; modules: Record<string, string | null> } | null;
    try {
      probe = r.ok ? JSON.parse(r.stdout.trim().split('\n').pop() ?? '') : null;
    } catch {
      probe = null;
    }
    if (!probe) {
      lines.push(`  could not run it: ${r.stderr.trim().split('\n').pop() || (r.error ?? '').split('\n')[0] || 'no output'}`);
      problems.push(`The Python interpreter ${env.python.path} does not run. Point the Python setting to a working interpreter.`);
    } else {
      lines.push(`  Python ${probe.python}`);
      const missing: string[] = [];
      for (const [mod, pip] of IZER_MODULES) {
        const v = probe.modules[mod];
        lines.push(`  ${pip}: ${v ?? 'MISSING'}`);
        if (!v) missing.push(pip);
      }
      if (missing.length) {
        const req = env.synthesis ? ` (${path.join(env.synthesis.path, 'requirements.txt')})` : '';
        problems.push(
          `izer's Python lacks ${missing.join(', ')}. Install the requirements of ai8x-synthesis into it${req}, or choose the interpreter of its virtual environment.`,
        );
      }
    }
    const lint = await run('yamllint', ['--version'], process.cwd(), 10000, izerEnvironment(env.python.path));
    lines.push(`yamllint: ${lint.ok ? lint.stdout.trim() || lint.stderr.trim() : 'not found (izer then skips its YAML lint step with a warning)'}`);
  } else lines.push('Python: not found');

  lines.push(
    env.msdk
      ? `MSDK: ${env.msdk.path} (from ${env.msdk.source})${msdkVersion(env.msdk.path)}`
      : 'MSDK: not found (set ai8x.msdk.path or MAXIM_PATH, or choose an output folder)',
  );
  return { lines, problems };
}

async function synthesisVersion(dir: string): Promise<string> {
  const git = await run('git', ['-C', dir, 'describe', '--tags', '--always', '--dirty'], dir, 10000);
  if (git.ok && git.stdout.trim()) {
    const date = await run('git', ['-C', dir, 'log', '-1', '--format=%cd', '--date=short'], dir, 10000);
    return `${git.stdout.trim()}${date.ok ? ` (${date.stdout.trim()})` : ''}`;
  }
  for (const f of ['VERSION', 'version.txt', 'izer/version.py']) {
    try {
      const t = fs.readFileSync(path.join(dir, f), 'utf8').trim();
      if (t) return `${t.split('\n')[0]} (from ${f})`;
    } catch {
      /* try the next one */
    }
  }
  return 'unknown (not a git checkout and no version file)';
}

function msdkVersion(dir: string): string {
  for (const f of ['.version', 'version.txt']) {
    try {
      const t = fs.readFileSync(path.join(dir, f), 'utf8').trim();
      if (t) return `, version ${t.split('\n')[0]}`;
    } catch {
      /* none */
    }
  }
  return '';
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  timeout: number,
  env?: NodeJS.ProcessEnv,
): Promise<{ ok: boolean; stdout: string; stderr: string; error?: string }> {
  return new Promise((resolve) =>
    execFile(cmd, args, { cwd, timeout, env: env ?? process.env, windowsHide: true, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr), error: err ? (code === 'ENOENT' ? `${cmd} not found` : err.message) : undefined });
    }),
  );
}
