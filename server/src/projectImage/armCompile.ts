// The Arm compile check: compiles a generated project's Arm-side C files (cnn.c, main.c and softmax.c when
// present) for the MAX7800x's Cortex-M4 with arm-none-eabi-gcc, against the stand-in MSDK headers. It says whether
// the code an MSDK build would compile is valid C for that target, without needing the MSDK.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findHarnessFiles } from './harnessFiles';
import { findArmCompiler } from './hostCompiler';
import { ImageError } from './imageError';
import { readProjectSources } from './projectSources';
import { runTool } from './toolRun';

export interface ArmCompileOptions {
  /** arm-none-eabi-gcc's path or name; found on PATH by default. */
  compiler?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  tempDir?: string;
}

export interface ArmCompileResult {
  ok: boolean;
  /** The files compiled. */
  units: string[];
  /** The compiler's first error (with file and line), when not ok. */
  error?: string;
  /** Warning lines, for information. */
  warnings: string[];
  seconds: number;
}

export const ARM_FLAGS = [
  '-mcpu=cortex-m4',
  '-mthumb',
  '-mfloat-abi=softfp',
  '-mfpu=fpv4-sp-d16',
  '-std=gnu11',
  '-Wall',
  '-Werror=implicit-function-declaration',
];

export async function armCompileCheck(projectDir: string, opts: ArmCompileOptions = {}): Promise<ArmCompileResult> {
  const compiler = findArmCompiler(opts.compiler);
  if (!compiler)
    throw new ImageError(
      'environment',
      'arm-none-eabi-gcc was not found on PATH. Install it to check the Arm build, e.g. `sudo apt-get install gcc-arm-none-eabi` on Debian.',
    );
  const files = findHarnessFiles();
  if (!files) throw new ImageError('environment', 'The stand-in MSDK headers (resources/projectImage/msdk) are missing from this installation.');
  const sources = readProjectSources(projectDir);
  const units = ['cnn.c', 'main.c', 'softmax.c'].filter((f) => sources.files.has(f));
  if (!units.includes('main.c')) throw new ImageError('project', `${projectDir} has no main.c.`);
  const scratch = fs.mkdtempSync(path.join(opts.tempDir ?? os.tmpdir(), 'ai8x-arm-'));
  const t0 = Date.now();
  try {
    for (const [name, text] of sources.files) fs.writeFileSync(path.join(scratch, name), text, { flag: 'wx' });
    const results = await Promise.all(
      units.map((name) =>
        runTool(compiler, [...ARM_FLAGS, '-I', scratch, '-I', files.msdkDir, '-c', name, '-o', name.replace(/\.c$/, '.o')], {
          cwd: scratch,
          timeoutMs: opts.timeoutMs ?? 180_000,
          signal: opts.signal,
          what: `Compiling ${name} for the Cortex-M4`,
        }),
      ),
    );
    const lines = results.flatMap((r) =>
      r.stderr
        .split(scratch + path.sep)
        .join('')
        .split('\n'),
    );
    const failed = results.some((r) => r.exitCode !== 0);
    const error = failed ? (lines.find((l) => /\berror\b/.test(l)) ?? lines.find((l) => l.trim()) ?? 'no message').trim() : undefined;
    return { ok: !failed, units, error, warnings: lines.filter((l) => /\bwarning\b/.test(l)), seconds: (Date.now() - t0) / 1000 };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
