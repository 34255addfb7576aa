// Finds the three things synthesis needs — the ai8x-synthesis checkout, the Python that runs it and the
// MSDK — and says precisely what is missing and which setting (or CLI option) to point at it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findOnPath } from '../process/findOnPath';

export type ToolName = 'synthesis' | 'python' | 'msdk';

export interface FoundTool {
  path: string;
  /** Where it came from, for the environment report ("setting ai8x.python", "venv inside the synthesis folder", …). */
  source: string;
}

export interface EnvironmentProblem {
  tool: ToolName;
  message: string;
}

/** How to name the places a user can point us to a tool (settings in VS Code, options on the CLI). */
export interface PlaceNames {
  synthesis: string;
  python: string;
  msdk: string;
}

export const SETTING_NAMES: PlaceNames = {
  synthesis: 'the setting `ai8x.synthesis.path`',
  python: 'the setting `ai8x.python`',
  msdk: 'the setting `ai8x.msdk.path` (or the MAXIM_PATH environment variable)',
};

export const CLI_NAMES: PlaceNames = {
  synthesis: '--synthesis-path DIR (or the AI8X_SYNTHESIS_PATH environment variable)',
  python: '--python EXE (or the AI8X_PYTHON environment variable)',
  msdk: 'the MAXIM_PATH environment variable (or give --out DIR)',
};

export interface EnvironmentQuery {
  /** An explicit ai8x-synthesis folder and where it was given. */
  synthesisPath?: { path: string; source: string };
  /** Workspace folders; one that is an ai8x-synthesis checkout is used when no path is given. */
  workspaceFolders?: readonly string[];
  /** An explicit Python executable (or a virtual-environment folder) and where it was given. */
  python?: { path: string; source: string };
  /** The Python extension's active environment (an executable or an environment folder), if any. */
  pythonFromExtension?: string | null;
  /** An explicit MSDK folder and where it was given; MAXIM_PATH from `env` otherwise. */
  msdkPath?: { path: string; source: string };
  env?: NodeJS.ProcessEnv;
  /** Only report a missing MSDK as a problem when the output folder is derived from it. */
  needMsdk: boolean;
  names: PlaceNames;
}

export interface SynthesisEnvironment {
  synthesis: FoundTool | null;
  python: FoundTool | null;
  msdk: FoundTool | null;
  problems: EnvironmentProblem[];
}

const INSTALL_SYNTHESIS =
  'Install ai8x-synthesis (git clone https://github.com/analogdevicesinc/ai8x-synthesis, then create its Python environment as its README describes)';

/** An ai8x-synthesis checkout has ai8xize.py next to the izer package. */
export function isSynthesisCheckout(dir: string): boolean {
  return isFile(path.join(dir, 'ai8xize.py')) && isDir(path.join(dir, 'izer'));
}

export function findEnvironment(q: EnvironmentQuery): SynthesisEnvironment {
  const problems: EnvironmentProblem[] = [];
  const synthesis = findSynthesis(q, problems);
  const python = findPython(q, synthesis, problems);
  const msdk = findMsdk(q, problems);
  return { synthesis, python, msdk, problems };
}

function findSynthesis(q: EnvironmentQuery, problems: EnvironmentProblem[]): FoundTool | null {
  if (q.synthesisPath && q.synthesisPath.path.trim()) {
    const dir = path.resolve(expandHome(q.synthesisPath.path, q.env));
    if (isSynthesisCheckout(dir)) return { path: dir, source: q.synthesisPath.source };
    const why = !fs.existsSync(dir) ? 'does not exist' : !isDir(dir) ? 'is not a folder' : 'has no ai8xize.py and izer/ folder';
    problems.push({
      tool: 'synthesis',
      message: `The ai8x-synthesis folder ${dir} (from ${q.synthesisPath.source}) ${why}. Point ${q.names.synthesis} to your ai8x-synthesis checkout.`,
    });
    return null;
  }
  for (const ws of q.workspaceFolders ?? []) {
    if (isSynthesisCheckout(ws)) return { path: path.resolve(ws), source: 'the workspace folder' };
  }
  problems.push({
    tool: 'synthesis',
    message: `No ai8x-synthesis folder is configured. ${INSTALL_SYNTHESIS}, and point ${q.names.synthesis} to it (or open that folder as the workspace).`,
  });
  return null;
}

/** The Python executable of a virtual environment folder, if it has one. */
export function venvPython(dir: string): string | null {
  const candidates = process.platform === 'win32' ? ['Scripts/python.exe', 'python.exe'] : ['bin/python3', 'bin/python'];
  for (const c of candidates) {
    const p = path.join(dir, c);
    if (isFile(p)) return p;
  }
  return null;
}

function findPython(q: EnvironmentQuery, synthesis: FoundTool | null, problems: EnvironmentProblem[]): FoundTool | null {
  if (q.python && q.python.path.trim()) {
    const p = resolveExecutable(expandHome(q.python.path, q.env), q.env);
    if (p) return { path: p, source: q.python.source };
    problems.push({
      tool: 'python',
      message: `The Python interpreter "${q.python.path}" (from ${q.python.source}) was not found. Point ${q.names.python} to the python of your ai8x-synthesis environment (e.g. ai8x-synthesis/venv/bin/python3).`,
    });
    return null;
  }
  const fromExtension = q.pythonFromExtension ? resolveExecutable(q.pythonFromExtension, q.env) : null;
  // When the workspace is the synthesis checkout, the interpreter chosen for it is the one meant for izer.
  const workspaceIsSynthesis = !!synthesis && (q.workspaceFolders ?? []).some((w) => samePath(w, synthesis.path));
  if (fromExtension && workspaceIsSynthesis) return { path: fromExtension, source: "the Python extension's active environment" };
  if (synthesis) {
    for (const v of ['venv', '.venv']) {
      const p = venvPython(path.join(synthesis.path, v));
      if (p) return { path: p, source: `${v}/ inside the ai8x-synthesis folder` };
    }
  }
  if (fromExtension) return { path: fromExtension, source: "the Python extension's active environment" };
  problems.push({
    tool: 'python',
    message: `No Python for ai8x-synthesis was found (no venv/ or .venv/ in ${synthesis ? synthesis.path : 'the ai8x-synthesis folder'}, no active environment of the Python extension). Create the environment as ai8x-synthesis's README describes (python -m venv venv; pip install -r requirements.txt), or point ${q.names.python} to a Python that has its requirements.`,
  });
  return null;
}

function findMsdk(q: EnvironmentQuery, problems: EnvironmentProblem[]): FoundTool | null {
  const given =
    q.msdkPath && q.msdkPath.path.trim() ? q.msdkPath : q.env?.MAXIM_PATH ? { path: q.env.MAXIM_PATH, source: 'the MAXIM_PATH environment variable' } : null;
  if (!given) {
    if (q.needMsdk)
      problems.push({
        tool: 'msdk',
        message: `The MaximSDK (MSDK) was not found, so there is no default output folder <MSDK>/Examples/<device>/CNN. Install the MSDK and point ${q.names.msdk} to it.`,
      });
    return null;
  }
  const dir = path.resolve(expandHome(given.path, q.env));
  if (isDir(path.join(dir, 'Examples')) || isDir(path.join(dir, 'Libraries'))) return { path: dir, source: given.source };
  if (q.needMsdk)
    problems.push({
      tool: 'msdk',
      message: `${dir} (from ${given.source}) is not an MSDK folder (it has no Examples/ or Libraries/). Point ${q.names.msdk} to the MaximSDK installation.`,
    });
  return null;
}

/** An executable path, a virtual-environment folder, or a bare name looked up on PATH → absolute executable. */
export function resolveExecutable(p: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (!p) return null;
  const hasSep = p.includes('/') || p.includes('\\');
  if (hasSep || path.isAbsolute(p)) {
    const abs = path.resolve(p);
    if (isDir(abs)) return venvPython(abs);
    return isFile(abs) ? abs : null;
  }
  return findOnPath(p, env);
}

function expandHome(p: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME ?? env.USERPROFILE;
  return home && (p === '~' || p.startsWith('~/')) ? path.join(home, p.slice(1)) : p;
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
