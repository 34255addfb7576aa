// Finds a program by its bare name in the folders of PATH, as a shell would (with PATHEXT's extensions on Windows).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The absolute path of the first file called `name` on PATH, or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').concat(['']) : [''];
  for (const d of dirs)
    for (const e of exts) {
      const candidate = path.join(d, name + e);
      if (isFile(candidate)) return candidate;
    }
  return null;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
