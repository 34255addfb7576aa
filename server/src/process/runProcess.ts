// Runs a program without a shell (an argv array, so paths with spaces or quotes need no quoting) in its own
// process group, streams its output, and on cancellation ends the whole process tree.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  signal?: AbortSignal;
  /** Milliseconds between SIGTERM and SIGKILL when cancelling. */
  killGraceMs?: number;
  /** Called with the child's pid once it runs (tests use it to look for leftovers). */
  onSpawn?: (pid: number) => void;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  cancelled: boolean;
  /** Set when the program could not be started at all (ENOENT, EACCES, …). */
  startError?: string;
}

export function runProcess(command: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    if (opts.signal?.aborted) {
      resolve({ exitCode: null, signal: null, cancelled: true });
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(command, [...args], {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        shell: false,
        // A new process group on POSIX, so that cancelling can signal izer and everything it started.
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (e) {
      resolve({ exitCode: null, signal: null, cancelled: false, startError: (e as Error).message });
      return;
    }
    let cancelled = false;
    let startError: string | undefined;
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (t: string) => opts.onStdout?.(t));
    child.stderr!.on('data', (t: string) => opts.onStderr?.(t));
    child.on('spawn', () => {
      if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      startError = e.code === 'ENOENT' ? `${command} was not found` : e.code === 'EACCES' ? `${command} is not executable` : e.message;
    });
    const onAbort = () => {
      cancelled = true;
      if (child.pid !== undefined) void killTree(child.pid, opts.killGraceMs ?? 2000);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ exitCode: code, signal: sig, cancelled, startError });
    });
  });
}

/** Ends a process and all its descendants: SIGTERM to the group, SIGKILL after a grace period. */
export async function killTree(pid: number, graceMs = 2000): Promise<void> {
  if (process.platform === 'win32') {
    await new Promise<void>((r) => execFile('taskkill', ['/PID', String(pid), '/T', '/F'], { windowsHide: true }, () => r()));
    return;
  }
  if (!signalGroup(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(50);
    if (!groupHasLiveMembers(pid)) return;
  }
  signalGroup(pid, 'SIGKILL');
}

function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of the group is alive (zombies that nobody reaps do not count, where /proc tells). */
function groupHasLiveMembers(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  const members = procGroupMembers(pgid);
  return members === null ? true : members.some((m) => m.state !== 'Z');
}

function procGroupMembers(pgid: number): { pid: number; state: string }[] | null {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return null;
  }
  const out: { pid: number; state: string }[] = [];
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    const st = processStat(Number(n));
    if (st && st.pgid === pgid) out.push({ pid: Number(n), state: st.state });
  }
  return out;
}

/** State and process group of a pid from /proc/<pid>/stat, or null when it does not exist (or no /proc). */
export function processStat(pid: number): { state: string; pgid: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], pgid: Number(rest[2]) };
  } catch {
    return null;
  }
}

/** Is this process alive (not merely an unreaped zombie)? Another user's process counts: only signalling it is refused. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  const st = processStat(pid);
  return st === null ? true : st.state !== 'Z';
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
