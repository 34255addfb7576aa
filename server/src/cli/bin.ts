// `ai8x` as installed (dist/cli.js): starts the CLI (dist/cliMain.js) from V8's code cache. Node 20 has no
// module.enableCompileCache (Node ≥ 22.1), so this does what it does with vm.Script: the first run of a command
// compiles the bundle as usual and, once done, saves V8's code for every function that ran; later runs of that
// command start from it instead of parsing and compiling about a megabyte of JavaScript again. Nothing but start-up
// time depends on the cache: when it is missing, stale, rejected by V8 or unwritable, the CLI runs the same.
//
// The cache is a per-user folder (AI8X_COMPILE_CACHE names another; `off` disables it), 0700 and owned by the user,
// since V8 trusts what it loads from there. One file per command, named after the bundle's size and time and Node's
// version, so a rebuilt bundle or another Node never reads a cache made for something else (V8's own check compares
// only the source length).
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

interface CliMain {
  /** Runs the command, sets the exit code and resolves with it. */
  runCli(argv: string[]): Promise<number>;
}

const MAIN = path.join(__dirname, 'cliMain.js');

/** What became of the code cache in this run (AI8X_TIMING=1 prints it, for the benchmark and the tests). */
type CacheState = 'off' | 'used' | 'written' | 'rejected and written' | 'not written';

function cacheFolder(): string | null {
  const setting = process.env.AI8X_COMPILE_CACHE;
  if (setting === 'off' || setting === '0') return null;
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const dir = setting || path.join(os.tmpdir(), `ai8x-compile-cache${uid === null ? '' : `-${uid}`}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    // Only a real folder of ours that no one else can write into.
    if (!st.isDirectory() || (uid !== null && (st.uid !== uid || (st.mode & 0o022) !== 0))) return null;
    return dir;
  } catch {
    return null;
  }
}

/** Loads cliMain.js like require() would, from the code cache when there is one; `save` writes the cache if needed. */
function load(command: string): { cli: CliMain; save: () => CacheState } {
  const dir = cacheFolder();
  if (!dir || !/^[a-z-]+$/.test(command)) return { cli: Module.createRequire(MAIN)(MAIN) as CliMain, save: () => 'off' };
  const bytes = fs.readFileSync(MAIN);
  // The build keeps the bundle ASCII (esbuild.mjs), so it can be a one-byte string: quicker than decoding UTF-8.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const st = fs.statSync(MAIN);
  const prefix = `cliMain-${command}-`;
  const file = path.join(dir, `${prefix}${st.size}-${Math.floor(st.mtimeMs)}-${process.version}-${process.arch}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: MAIN, cachedData });
  const mod = new Module(MAIN, module);
  mod.filename = MAIN;
  mod.loaded = true;
  const wrapper = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: Module, f: string, d: string) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(MAIN), mod, MAIN, __dirname);
  const save = (): CacheState => {
    if (cachedData && !script.cachedDataRejected) return 'used';
    try {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, file);
      // Caches of earlier builds of this command are of no use any more.
      for (const f of fs.readdirSync(dir))
        if (f.startsWith(prefix) && f.endsWith('.bin') && path.join(dir, f) !== file) fs.rmSync(path.join(dir, f), { force: true });
      return cachedData ? 'rejected and written' : 'written';
    } catch {
      // A read-only or full disk only costs the next run its head start.
      return 'not written';
    }
  };
  return { cli: mod.exports as CliMain, save };
}

const argv = process.argv.slice(2);
const { cli, save } = load(argv[0] ?? '');
void cli.runCli(argv).then((code) => {
  // Exit status 2 is a usage problem (an unknown command among them): nothing worth caching ran.
  const state = code !== 2 ? save() : 'not written';
  if (process.env.AI8X_TIMING) process.stderr.write(`ai8x-code-cache ${state}\n`);
  exitWhenWritten(code);
});

/**
 * Ends the process once stdout and stderr hold nothing unwritten. Letting Node wind down on its own costs a cold run
 * about as much again as its analysis (tearing down the heap and the loaded checkpoint), and the command is done.
 */
function exitWhenWritten(code: number): void {
  const pending = [process.stdout, process.stderr].filter((s) => s.writableLength > 0);
  if (pending.length === 0) process.exit(code);
  let left = pending.length;
  for (const s of pending)
    s.once('drain', () => {
      if (--left === 0) process.exit(code);
    });
}
