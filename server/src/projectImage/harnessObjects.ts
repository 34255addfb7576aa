// The harness's own C files (harness.c, sandbox.c, msdk/standin.c) compiled to objects once per process and
// compiler, in a folder of ours under the system's temp folder that is removed when the process exits. Every
// project's harness program links them; compiling them each time would double the compiler's work.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HarnessFiles } from './harnessFiles';
import { ImageError } from './imageError';
import { runTool } from './toolRun';

const built = new Map<string, Promise<string[]>>();
let cacheDir: string | null = null;

function ownFolder(): string {
  if (cacheDir && fs.existsSync(cacheDir)) return cacheDir;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-image-objects-'));
  if (!cacheDir) process.once('exit', () => cacheDir && fs.rmSync(cacheDir, { recursive: true, force: true }));
  cacheDir = dir;
  return dir;
}

/**
 * The objects for `compiler`. The build is shared by every project that waits for it, so one caller's cancellation
 * does not end it (it takes about a second); that caller stops waiting instead.
 */
export async function harnessObjects(compiler: string, files: HarnessFiles, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<string[]> {
  const key = `${compiler}\n${files.dir}`;
  let objects = await waitFor(built.get(key) ?? rebuild(key, compiler, files, opts.timeoutMs), opts.signal);
  if (!objects.every((o) => fs.existsSync(o))) objects = await waitFor(rebuild(key, compiler, files, opts.timeoutMs), opts.signal);
  return objects;
}

function waitFor<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new ImageError('cancelled', 'Cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ImageError('cancelled', 'Cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

function rebuild(key: string, compiler: string, files: HarnessFiles, timeoutMs: number): Promise<string[]> {
  const promise = compileAll(compiler, files, timeoutMs);
  built.set(key, promise);
  // A failed build is not kept: the next project tries again.
  promise.catch(() => built.get(key) === promise && built.delete(key));
  return promise;
}

async function compileAll(compiler: string, files: HarnessFiles, timeoutMs: number): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(ownFolder(), 'build-'));
  return Promise.all(
    [files.harness, files.sandbox, files.standin].map(async (source) => {
      const object = path.join(dir, path.basename(source).replace(/\.c$/, '.o'));
      const r = await runTool(compiler, ['-std=gnu11', '-w', '-O1', '-I', files.msdkDir, '-c', source, '-o', object], {
        cwd: dir,
        timeoutMs,
        what: `Compiling the harness's ${path.basename(source)}`,
      });
      if (r.exitCode !== 0)
        throw new ImageError(
          'environment',
          `The harness's own ${path.basename(source)} does not compile with ${compiler}: ${r.stderr.trim().split('\n')[0] ?? ''}`,
        );
      return object;
    }),
  );
}
