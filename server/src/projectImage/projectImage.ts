// The hardware image of a generated project: compiles its C code on this computer against the stand-in MSDK and
// the harness (resources/projectImage), runs it, and returns what the accelerator would hold after each stage, the
// words written to the FIFOs, check_output()'s verdicts and cnn_unload()'s buffer.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileHarness } from './compileHarness';
import { findHarnessFiles } from './harnessFiles';
import { findHostCompiler } from './hostCompiler';
import { ImageError } from './imageError';
import { HarnessReport, parseHarnessReport } from './imageReport';
import { KnownWord, knownAnswerFileText, knownAnswerWords } from './knownAnswer';
import { readProjectSources } from './projectSources';
import { runTool } from './toolRun';
import { readRegularTextFile } from '../workspace/safeRead';

export interface ProjectImageOptions {
  /** The project whose sampleoutput.h is the known answer written into memory (default: the project itself). */
  knownAnswerFrom?: string;
  /** The host C compiler (a path or a name on PATH); cc, gcc or clang on PATH by default. */
  compiler?: string;
  /** Time allowed to each compiler run and to the run of the compiled project. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Time the harness allows each of the project's functions before it stops with a message (default 30 s). */
  stepTimeoutSeconds?: number;
  /** Where the scratch folder is made (default: the system's temp folder). It is removed afterwards. */
  tempDir?: string;
}

export interface ProjectImage extends HarnessReport {
  projectDir: string;
  mainFile: string;
  /** Words of the known answer written into memory before check_output (0: none). */
  knownAnswerWords: number;
  /** Stores to FIFO data registers found in the sources. */
  fifoStoresInSources: number;
  compileSeconds: number;
  runSeconds: number;
}

const DEFAULT_TIMEOUT_MS = 180_000;
const MAX_REPORT_BYTES = 1024 * 2 ** 20;

export async function projectImage(projectDir: string, opts: ProjectImageOptions = {}): Promise<ProjectImage> {
  if (process.platform !== 'linux')
    throw new ImageError(
      'environment',
      "Comparing projects by what the hardware would hold needs Linux (or WSL): the harness maps the accelerator's addresses 0x50000000-0x55ffffff into its own memory.",
    );
  const files = findHarnessFiles();
  if (!files) throw new ImageError('environment', 'The harness files (resources/projectImage) are missing from this installation; reinstall the extension.');
  const compiler = findHostCompiler(opts.compiler);
  const sources = readProjectSources(projectDir);
  const known = readKnownAnswer(opts.knownAnswerFrom ?? projectDir);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const scratch = fs.mkdtempSync(path.join(opts.tempDir ?? os.tmpdir(), 'ai8x-image-'));
  try {
    const compiled = await compileHarness(sources, { compiler, files, scratch, checkOutput: known.length > 0, timeoutMs, signal: opts.signal });
    const reportFile = path.join(scratch, 'report.txt');
    let knownFile = '-';
    if (known.length) {
      knownFile = path.join(scratch, 'known-answer.txt');
      fs.writeFileSync(knownFile, knownAnswerFileText(known), { flag: 'wx' });
    }
    const args = [reportFile, knownFile, String(opts.stepTimeoutSeconds ?? 30)];
    const run = await runTool(compiled.executable, args, { cwd: scratch, timeoutMs, signal: opts.signal, what: 'The compiled project' });
    if (run.exitCode !== 0) {
      const why = run.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit status ${run.exitCode ?? run.signal}`;
      throw new ImageError('run', `The compiled project ${path.basename(projectDir)} stopped: ${why.replace(/^harness: /, '')}`);
    }
    const report = parseHarnessReport(readRegularTextFile(reportFile, MAX_REPORT_BYTES));
    return {
      ...report,
      projectDir,
      mainFile: sources.mainFile,
      knownAnswerWords: known.length,
      fifoStoresInSources: compiled.fifoStores,
      compileSeconds: compiled.seconds,
      runSeconds: run.seconds,
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The known answer of a project's sampleoutput.h; none when the project has no sampleoutput.h (--no-kat). */
function readKnownAnswer(dir: string): KnownWord[] {
  const file = path.join(dir, 'sampleoutput.h');
  if (!fs.existsSync(file)) return [];
  let text: string;
  try {
    text = readRegularTextFile(file, 256 * 2 ** 20);
  } catch (e) {
    throw new ImageError('project', `${file} cannot be read: ${(e as Error).message}`);
  }
  return knownAnswerWords(text, file);
}
