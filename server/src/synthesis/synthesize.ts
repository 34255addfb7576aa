// One synthesis run, shared by the VS Code command, the task and the CLI: check the target, run izer into a
// temporary folder next to it, read its messages, and only on success put the result in place.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DeviceName } from '../engine/device/devices';
import type { Diagnostic } from '../engine/diagnostic';
import { rewriteCommandEcho } from './commandEcho';
import { buildIzerArgs, flagValue, formatCommandLine, IzerInvocation, logEnabled, networkFileNames } from './izerArgs';
import { IzerMessage, IzerOutputParser } from './izerOutput';
import { LogSummary, parseLogSummary } from './logSummary';
import { hashFiles, inspectTarget, listFiles, MANIFEST_NAME, overwriteConcern, readManifest, TargetState, writeManifest } from './manifest';
import { outputNamesRefusal } from './outputNames';
import { PlacementError, replaceFiles, replaceFolder } from './placeOutput';
import { isProcessAlive, runProcess } from '../process/runProcess';
import { writeFileSafely } from '../shared/safeWrite';

export type SynthesisMode = 'project' | 'update-network-only';

/**
 * Puts izer's messages on the YAML text izer read: mapToYaml's mapIzerMessages, which the CLI passes. The extension
 * asks the language server instead (ai8x/placeIzerMessages), so that the YAML reader stays out of its bundle.
 */
export type PlaceMessages = (
  messages: IzerMessage[],
  yamlText: string,
  device: DeviceName,
  opts: { skipYamlLayers?: number },
) => Diagnostic[] | Promise<Diagnostic[]>;

/** Where a synthesis puts its project, and what it is made from: the same for izer and the native generator. */
export interface PlacementJob extends IzerInvocation {
  mode: SynthesisMode;
  /** The user already agreed to replace a changed target (CLI --force). */
  force?: boolean;
}

export interface SynthesisJob extends PlacementJob {
  python: string;
  synthesisDir: string;
  /** The YAML text the messages are mapped onto (defaults to the file on disk). */
  networkText?: string;
  placeMessages: PlaceMessages;
}

/** A file of a generated project: its path inside the project (`/`-separated) and its contents. */
export interface GeneratedFile {
  path: string;
  contents: string | Uint8Array;
}

export interface SynthesisHooks {
  signal?: AbortSignal;
  onCommandLine?: (commandLine: string, argv: readonly string[]) => void;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  onNote?: (text: string) => void;
  onSpawn?: (pid: number) => void;
  /**
   * Asked when the target holds work that may be the user's. Resolve to 'replace', 'backup' (keep a copy, then
   * replace) or 'cancel'. Without this hook such a target is never touched unless the job says `force`.
   */
  confirmOverwrite?: (target: string, concern: string, state: TargetState) => Promise<'replace' | 'backup' | 'cancel'>;
}

export type SynthesisStatus = 'ok' | 'izer-failed' | 'cancelled' | 'refused' | 'failed';

export interface SynthesisOutcome {
  status: SynthesisStatus;
  /** izer's exit status when it ran. */
  exitCode: number | null;
  /** The project folder (<testDir>/<prefix>). */
  target: string;
  /** The command izer was started with (python first). */
  argv: string[];
  /** The same with the real output folder (as izer's log.txt records it), quoted for a shell; '' before izer ran. */
  commandLine: string;
  messages: IzerMessage[];
  diagnostics: Diagnostic[];
  /** Files now in the project that this run wrote, relative to the project. */
  files: string[];
  summary: LogSummary | null;
  backup: string | null;
  /** Why it did not succeed, for the user. */
  problem?: string;
  /** Refused because the target may hold the user's work and nobody agreed to replace it. */
  needsConsent?: boolean;
}

/** The outcome of a synthesis that made nothing (yet): for the project folder <testDir>/<prefix>. */
export function emptyOutcome(testDir: string, prefix: string, status: SynthesisStatus = 'failed', problem?: string): SynthesisOutcome {
  const outcome: SynthesisOutcome = {
    status,
    exitCode: null,
    target: path.join(path.resolve(testDir), prefix),
    argv: [],
    commandLine: '',
    messages: [],
    diagnostics: [],
    files: [],
    summary: null,
    backup: null,
  };
  if (problem !== undefined) outcome.problem = problem;
  return outcome;
}

/** Runs izer into a temporary folder and, only when it succeeds, puts its project in place. */
export function synthesize(job: SynthesisJob, hooks: SynthesisHooks = {}): Promise<SynthesisOutcome> {
  return produceAndPlace(job, hooks, 'izer', (scratch, base) => runIzer(job, hooks, scratch, base));
}

/**
 * Puts the files of a generated project in place with the same safety as izer's output: written into a temporary
 * folder first, the target replaced only with consent, a manifest beside them. `command` is recorded in the manifest.
 */
export function placeGeneratedFiles(
  job: PlacementJob,
  files: readonly GeneratedFile[],
  command: string[],
  hooks: SynthesisHooks = {},
): Promise<SynthesisOutcome> {
  return produceAndPlace(job, hooks, 'the generator', async (scratch, base) => {
    const generated = path.join(scratch, job.prefix);
    try {
      writeProject(generated, files);
    } catch (e) {
      return { ...base, status: 'failed', problem: `Could not write the generated files: ${(e as Error).message}. ${base.target} was not changed.` };
    }
    return { outcome: base, generated, command };
  });
}

/** What filled the scratch folder: the outcome so far, the generated project folder and the command to record. */
interface Produced {
  outcome: SynthesisOutcome;
  generated: string;
  command: string[];
}

/** Fills `<scratchTestDir>/<prefix>`; a SynthesisOutcome instead ends the run with the target untouched. */
type Producer = (scratchTestDir: string, base: SynthesisOutcome) => Promise<Produced | SynthesisOutcome>;

async function produceAndPlace(job: PlacementJob, hooks: SynthesisHooks, tool: string, produce: Producer): Promise<SynthesisOutcome> {
  const testDir = path.resolve(job.testDir);
  const base = emptyOutcome(testDir, job.prefix);
  const target = base.target;
  const networkFiles = job.mode === 'update-network-only' ? networkFileNames(job.flags) : undefined;

  const bad = badPrefix(job.prefix);
  if (bad) return { ...base, status: 'refused', problem: bad };
  const outside = outputNamesRefusal(job.flags, target);
  if (outside) return { ...base, status: 'refused', problem: outside };
  if (!fs.existsSync(job.network)) return { ...base, status: 'refused', problem: `The network file ${job.network} does not exist.` };
  if (job.checkpoint && !fs.existsSync(job.checkpoint)) return { ...base, status: 'refused', problem: `The checkpoint ${job.checkpoint} does not exist.` };
  if (job.sampleInput && !fs.existsSync(job.sampleInput)) return { ...base, status: 'refused', problem: `The sample input ${job.sampleInput} does not exist.` };

  let state = inspectTarget(target, networkFiles);
  if (job.mode === 'update-network-only' && (state.kind === 'absent' || state.kind === 'not-a-folder')) {
    return {
      ...base,
      status: 'refused',
      problem: `"Update network only" needs an existing project, but ${target} ${state.kind === 'absent' ? 'does not exist' : 'is not a folder'}. Synthesize the whole project first.`,
    };
  }
  let consent = await askConsent(job, hooks, target, state);
  if (consent === 'cancel') return { ...base, status: 'refused', needsConsent: state.kind !== 'not-a-folder', problem: refusalText(target, state, job.mode) };

  let scratch: { testDir: string; remove: string };
  try {
    scratch = scratchTestDir(testDir);
  } catch (e) {
    return { ...base, status: 'failed', problem: `Cannot create a temporary folder for ${tool}: ${(e as Error).message}` };
  }
  try {
    const produced = await produce(scratch.testDir, base);
    if (!('generated' in produced)) return produced;
    const { outcome, generated, command } = produced;

    // The user may have edited the target while izer ran.
    const again = inspectTarget(target, networkFiles);
    if (job.mode === 'update-network-only' && (again.kind === 'absent' || again.kind === 'not-a-folder')) {
      return { ...outcome, status: 'refused', problem: `${target} disappeared while ${tool} ran; nothing was written.` };
    }
    if (!sameState(state, again)) {
      state = again;
      consent = await askConsent(job, hooks, target, state);
      if (consent === 'cancel')
        return { ...outcome, status: 'refused', needsConsent: state.kind !== 'not-a-folder', problem: refusalText(target, state, job.mode) };
    }
    const backup = consent === 'backup' || (consent === 'replace' && !!job.force && overwriteConcern(target, state) !== null);

    let files: string[];
    let placedBackup: string | null;
    try {
      if (job.mode === 'project') {
        writeManifest(generated, { mode: 'project', network: job.network, device: job.device, command, files: hashFiles(generated) });
        placedBackup = replaceFolder(generated, target, { backup }).backup;
        files = listFiles(target);
      } else {
        // The manifest is replaced together with the files it describes.
        const previous = readManifest(target);
        files = networkFiles!.filter((f) => f !== MANIFEST_NAME && isFile(path.join(generated, f)));
        writeManifest(generated, {
          mode: previous?.mode ?? 'update-network-only',
          network: job.network,
          device: job.device,
          command,
          files: { ...(previous?.files ?? {}), ...hashFiles(generated, files) },
        });
        placedBackup = replaceFiles(generated, target, [...files, MANIFEST_NAME], { backup }).backup;
      }
    } catch (e) {
      return { ...outcome, status: 'failed', problem: `Could not put the new files into ${target}: ${(e as Error).message}. ${stillAsItWas(e)}` };
    }
    const logName = logEnabled(job.flags) ? (flagValue(job.flags, '--log-filename') ?? 'log.txt') : null;
    let summary: LogSummary | null = null;
    if (logName) {
      try {
        summary = parseLogSummary(fs.readFileSync(path.join(target, logName), 'utf8'));
      } catch {
        summary = null;
      }
    }
    return { ...outcome, status: 'ok', files: files.filter((f) => f !== MANIFEST_NAME), summary, backup: placedBackup };
  } finally {
    fs.rmSync(scratch.remove, { recursive: true, force: true });
  }
}

/** izer into the scratch folder: its command line, output and messages, and the project it wrote. */
async function runIzer(job: SynthesisJob, hooks: SynthesisHooks, tmpBase: string, base: SynthesisOutcome): Promise<Produced | SynthesisOutcome> {
  const target = base.target;
  const built = buildIzerArgs({ ...job, testDir: tmpBase });
  const logical = buildIzerArgs({ ...job, testDir: path.resolve(job.testDir) }).argv;
  const argv = [job.python, ...built.argv];
  for (const i of built.ignored) hooks.onNote?.(`Ignored izer flag ${i}.`);
  hooks.onCommandLine?.(formatCommandLine(argv), argv);
  hooks.onNote?.(`Working directory: ${job.synthesisDir}`);
  hooks.onNote?.(`izer writes into ${tmpBase} first; ${target} is only ${job.mode === 'project' ? 'replaced' : 'updated'} if it succeeds.`);

  const parser = new IzerOutputParser(job.network);
  const run = await runProcess(job.python, built.argv, {
    cwd: job.synthesisDir,
    env: izerEnvironment(job.python),
    signal: hooks.signal,
    onSpawn: hooks.onSpawn,
    onStdout: (t) => {
      parser.push('stdout', t);
      hooks.onOutput?.('stdout', t);
    },
    onStderr: (t) => {
      parser.push('stderr', t);
      hooks.onOutput?.('stderr', t);
    },
  });
  const messages = parser.end();
  const outcome: SynthesisOutcome = { ...base, argv, commandLine: formatCommandLine([job.python, ...logical]), exitCode: run.exitCode, messages };
  if (run.cancelled) return { ...outcome, status: 'cancelled', problem: 'Synthesis was cancelled; nothing was changed.' };
  if (run.startError) return { ...outcome, status: 'failed', problem: `Could not start ${job.python}: ${run.startError}.` };
  outcome.diagnostics = await placeMessages(job, hooks, messages);
  if (run.exitCode !== 0) {
    const first = messages.find((m) => m.severity === 'error');
    const how = run.exitCode === null ? `was ended by signal ${run.signal}` : `exited with status ${run.exitCode}`;
    return { ...outcome, status: 'izer-failed', problem: `izer ${how}${first ? `: ${first.text.replace(/\.$/, '')}` : ''}. ${target} was not changed.` };
  }
  const generated = path.join(tmpBase, job.prefix);
  if (!fs.existsSync(generated)) {
    return {
      ...outcome,
      status: 'failed',
      problem: `izer reported success but wrote no ${job.prefix} folder (is the output in RTL mode?). ${target} was not changed.`,
    };
  }
  rewriteCommandEcho(generated, built.argv, logical);
  return { outcome, generated, command: logical };
}

/** Writes a generated project's files under `dir`; a path that would leave it (absolute, `..`) is refused. */
function writeProject(dir: string, files: readonly GeneratedFile[]): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) {
    const parts = f.path.split('/');
    if (!f.path || path.isAbsolute(f.path) || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0')))
      throw new Error(`the generated file name "${f.path}" is not a plain path inside the project`);
    const file = path.join(dir, ...parts);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileSafely(file, f.contents, { replace: false });
  }
}

function isFile(p: string): boolean {
  try {
    return fs.lstatSync(p).isFile();
  } catch {
    return false;
  }
}

/** What a failed placement left: the previous state, unless putting it back failed too (the message then says where it is). */
function stillAsItWas(e: unknown): string {
  return e instanceof PlacementError && !e.restored ? '' : 'Nothing was changed.';
}

/** Scratch folders are named `<prefix><pid of the process that made them>-<random>`. */
const SCRATCH_PREFIX = '.ai8x-synthesis-';

/**
 * Scratch folders left behind when the process that made them was killed mid-run (normally each run removes its
 * own). Only our own names, only when their process is gone; a failure to remove one is not an error.
 */
export function removeAbandonedScratch(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /^\.?ai8x-synthesis-(\d+)-[A-Za-z0-9]{6}$/.exec(name);
    if (!m || Number(m[1]) === process.pid || isProcessAlive(Number(m[1]))) continue;
    try {
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Someone else's permissions or a file in use: leave it.
    }
  }
  return removed;
}

/**
 * A fresh --test-dir for izer at the same depth as the real one: izer writes `"../" * depth` into the Makefile
 * (its DEPTH fallback for MAXIM_PATH), so a deeper scratch folder would change the generated Makefile. A sibling
 * of the real folder also keeps the final move on one filesystem.
 */
function scratchTestDir(testDir: string): { testDir: string; remove: string } {
  const parent = path.dirname(testDir);
  try {
    fs.mkdirSync(testDir, { recursive: true });
    if (parent !== testDir) {
      removeAbandonedScratch(parent);
      const d = fs.mkdtempSync(path.join(parent, `${SCRATCH_PREFIX}${process.pid}-`));
      return { testDir: d, remove: d };
    }
  } catch {
    // Not writable there: fall back to the system's temporary folder below.
  }
  removeAbandonedScratch(os.tmpdir());
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `${SCRATCH_PREFIX.slice(1)}${process.pid}-`));
  let d = root;
  const want = testDir.split(path.sep).filter(Boolean).length;
  while (d.split(path.sep).filter(Boolean).length < want) d = path.join(d, 'd');
  fs.mkdirSync(d, { recursive: true });
  return { testDir: d, remove: root };
}

async function askConsent(job: PlacementJob, hooks: SynthesisHooks, target: string, state: TargetState): Promise<'replace' | 'backup' | 'cancel'> {
  const concern = overwriteConcern(target, state);
  if (!concern) return 'replace';
  if (state.kind === 'not-a-folder') return 'cancel';
  if (job.force) return 'replace';
  if (!hooks.confirmOverwrite) return 'cancel';
  return hooks.confirmOverwrite(target, concern, state);
}

function refusalText(target: string, state: TargetState, mode: SynthesisMode): string {
  const concern = overwriteConcern(target, state) ?? '';
  if (state.kind === 'not-a-folder') return `${concern} Choose another prefix or output folder.`;
  const what = mode === 'project' ? 'It was left as it is' : 'Its network files were left as they are';
  return `${concern} ${what}.`;
}

function sameState(a: TargetState, b: TargetState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** izer's folder name; must stay one plain path component. */
function badPrefix(prefix: string): string | null {
  if (!prefix || prefix === '.' || prefix === '..' || /[\\/]/.test(prefix) || prefix.includes('\0')) {
    return `The prefix "${prefix}" cannot be used as a project folder name; use a plain name such as "mnist".`;
  }
  return null;
}

async function placeMessages(job: SynthesisJob, hooks: SynthesisHooks, messages: IzerMessage[]): Promise<Diagnostic[]> {
  if (!messages.length) return [];
  let text = job.networkText;
  if (text === undefined) {
    try {
      text = fs.readFileSync(job.network, 'utf8');
    } catch {
      return [];
    }
  }
  const skip = Number(flagValue(job.flags, '--skip-yaml-layers') ?? 0) || 0;
  try {
    return await job.placeMessages(messages, text, job.device, { skipYamlLayers: skip });
  } catch (e) {
    // izer's output is still in the log; only its places in the YAML are missing.
    hooks.onNote?.(`Could not place izer's messages on the YAML: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}

/** The environment izer runs in: unbuffered UTF-8 output, and a virtual environment's bin first on PATH. */
export function izerEnvironment(python: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' };
  const binDir = path.dirname(python);
  // izer starts `yamllint` by name; inside a venv that is the venv's copy.
  if (fs.existsSync(path.join(binDir, '..', 'pyvenv.cfg'))) {
    const key = Object.keys(out).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
    out[key] = [binDir, out[key]].filter(Boolean).join(path.delimiter);
    out.VIRTUAL_ENV = path.resolve(binDir, '..');
  }
  return out;
}
