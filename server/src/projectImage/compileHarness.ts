// Builds the harness program for one project in a scratch folder: the project's C files prepared for the host
// (sourcePreparation.ts), preprocessed, rewritten, and compiled and linked with the harness's own objects (harness.c,
// sandbox.c and the MSDK stand-ins), which are compiled once per process and compiler (harnessObjects.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { harnessObjects } from './harnessObjects';
import type { HarnessFiles } from './harnessFiles';
import { ImageError } from './imageError';
import type { ProjectSources } from './projectSources';
import { forTheHost, withHarnessPrologue } from './sourcePreparation';
import { runTool } from './toolRun';

export interface CompileOptions {
  compiler: string;
  files: HarnessFiles;
  /** An empty folder of ours; everything is written under it. */
  scratch: string;
  /** Whether the harness calls check_output (there is a known answer). */
  checkOutput: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface CompiledHarness {
  executable: string;
  /** Stores to FIFO data registers found in the sources and turned into logger calls. */
  fifoStores: number;
  seconds: number;
}

/** The files compiled as translation units of their own; every header is only copied beside them. */
function unitsOf(sources: ProjectSources): string[] {
  return ['cnn.c', sources.mainFile];
}

export async function compileHarness(sources: ProjectSources, opts: CompileOptions): Promise<CompiledHarness> {
  const t0 = Date.now();
  const projectDir = path.join(opts.scratch, 'project');
  fs.mkdirSync(projectDir);
  for (const [name, text] of sources.files) {
    if (!name.endsWith('.h')) continue;
    fs.writeFileSync(path.join(projectDir, name), text, { flag: 'wx' });
  }
  const units = unitsOf(sources);
  for (const name of units) {
    const prepared = withHarnessPrologue(sources.files.get(name)!, name, { isMain: name === sources.mainFile, checkOutput: opts.checkOutput });
    fs.writeFileSync(path.join(projectDir, name), prepared, { flag: 'wx' });
  }
  const common = ['-std=gnu11', '-w', '-I', projectDir, '-I', opts.files.msdkDir];
  const hostUnits = await Promise.all(
    units.map(async (name) => {
      const preprocessed = path.join(opts.scratch, name.replace(/\.c$/, '.pre.i'));
      const r = await runTool(opts.compiler, [...common, '-E', path.join(projectDir, name), '-o', preprocessed], {
        cwd: opts.scratch,
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        what: `Preprocessing ${name}`,
      });
      if (r.exitCode !== 0) throw compileError(name, r.stderr, opts.scratch);
      const host = forTheHost(fs.readFileSync(preprocessed, 'utf8'));
      const unit = path.join(opts.scratch, name.replace(/\.c$/, '.i'));
      fs.writeFileSync(unit, host.text, { flag: 'wx' });
      return { unit, fifoStores: host.fifoStores };
    }),
  );
  const objects = await harnessObjects(opts.compiler, opts.files, { timeoutMs: opts.timeoutMs, signal: opts.signal });
  const executable = path.join(opts.scratch, 'harness');
  const args = [...common, '-O1', '-no-pie', '-pthread', '-o', executable, ...objects, ...hostUnits.map((u) => u.unit), '-Wl,--unresolved-symbols=ignore-all'];
  const r = await runTool(opts.compiler, args, { cwd: opts.scratch, timeoutMs: opts.timeoutMs, signal: opts.signal, what: 'Compiling the project' });
  if (r.exitCode !== 0) throw compileError(units.join(' and '), r.stderr, opts.scratch);
  return { executable, fifoStores: hostUnits.reduce((n, u) => n + u.fifoStores, 0), seconds: (Date.now() - t0) / 1000 };
}

/** The compiler's first error, with our scratch paths taken out and the harness's own needs said in words. */
function compileError(what: string, stderr: string, scratch: string): ImageError {
  const clean = stderr
    .split(path.join(scratch, 'project') + path.sep)
    .join('')
    .split(scratch + path.sep)
    .join('');
  const missing = /'(load_input|check_output)' undeclared|undeclared identifier '(load_input|check_output)'/.exec(clean);
  if (missing) return new ImageError('compile', `The project's main file has no ${missing[1] ?? missing[2]}(), which the comparison calls.`);
  const first = clean.split('\n').find((l) => /\berror\b/.test(l)) ?? clean.split('\n').find((l) => l.trim()) ?? 'no message';
  return new ImageError('compile', `Compiling ${what} with the stand-in MSDK headers failed: ${first.trim().slice(0, 400)}`);
}
