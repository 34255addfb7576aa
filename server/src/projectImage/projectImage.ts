// The hardware image of a generated project: compiles its C code on this computer against the stand-in MSDK and
// the harness (resources/projectImage), runs it, and returns what the accelerator would hold after each stage, the
// words written to the FIFOs, check_output()'s verdicts and cnn_unload()'s buffer; then runs the project's own
// main() and returns its MSDK calls, peripheral registers and final memory.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileHarness } from './compileHarness';
import { findHarnessFiles } from './harnessFiles';
import { findHostCompiler } from './hostCompiler';
import { ImageError } from './imageError';
import { ApplicationRun, HarnessReport, parseApplicationReport, parseHarnessReport } from './imageReport';
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
  /**
   * The run of the project's main(); or why it did not finish (it waits for something the harness does not do), or
   * why it was not run (`skipped`: its check_output refuses the known answer, so main() would end in its failure loop).
   */
  application: ApplicationRun | { error: string; skipped?: boolean };
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
    let knownFile = '-';
    if (known.length) {
      knownFile = path.join(scratch, 'known-answer.txt');
      fs.writeFileSync(knownFile, knownAnswerFileText(known), { flag: 'wx' });
    }
    const runMode = async (mode: 'stages' | 'application') => {
      const reportFile = path.join(scratch, `${mode}.txt`);
      const args = [mode, reportFile, knownFile, String(opts.stepTimeoutSeconds ?? 30)];
      let run = await runTool(compiled.executable, args, { cwd: scratch, timeoutMs, signal: opts.signal, what: 'The compiled project' });
      // The accelerator's ranges are mapped at fixed addresses; where the system placed something there first (rare,
      // with a randomised layout the harness could not turn off), another start of the process finds them free.
      for (let retry = 0; retry < 3 && run.exitCode === 2 && /harness: cannot map /.test(run.stderr); retry++)
        run = await runTool(compiled.executable, args, { cwd: scratch, timeoutMs, signal: opts.signal, what: 'The compiled project' });
      if (run.exitCode !== 0) {
        const why = run.stderr.trim().split('\n').filter(Boolean).pop() ?? stoppedBy(run.exitCode, run.signal);
        throw new ImageError(
          'run',
          `The compiled project ${path.basename(projectDir)} stopped${mode === 'application' ? ' in main()' : ''}: ${why.replace(/^harness: /, '')}`,
        );
      }
      return { text: readRegularTextFile(reportFile, MAX_REPORT_BYTES), seconds: run.seconds };
    };
    const stages = await runMode('stages');
    const report = parseHarnessReport(stages.text);
    const refused = report.checkOutput !== null && report.checkOutput.result !== 1;
    const application = refused
      ? { error: 'main() was not run: its check_output() refuses the known answer, so it would end in its failure loop', skipped: true }
      : await runMode('application').catch((e: unknown) => {
          if (e instanceof ImageError && e.problem === 'run') return { error: e.message };
          throw e;
        });
    return {
      ...report,
      projectDir,
      mainFile: sources.mainFile,
      knownAnswerWords: known.length,
      fifoStoresInSources: compiled.fifoStores,
      application: 'error' in application ? application : parseApplicationReport(application.text),
      compileSeconds: compiled.seconds,
      runSeconds: stages.seconds + ('seconds' in application ? application.seconds : 0),
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

/** Why the harness ended when it said nothing itself. */
function stoppedBy(exitCode: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGSYS') return 'it made a system call a generated project has no reason to make (such as starting a program), and the sandbox stopped it';
  return signal ? `it was ended by ${signal}` : `exit status ${exitCode}`;
}
