// Where the hardware-image harness's C files are at run time. They ship with the extension (and the CLI package)
// in resources/projectImage/: harness.c, sandbox.c, and msdk/ with the stand-in MSDK headers. The code that looks for them
// runs from a bundle in dist/ (extension, server, CLI) or out/test/… (tests), so the folder is found by walking up
// from the bundle to the package root that holds it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface HarnessFiles {
  /** resources/projectImage */
  dir: string;
  harness: string;
  /** Confines the harness process before the project's code runs. */
  sandbox: string;
  /** The stand-in MSDK headers (and standin.c, their definitions for the harness). */
  msdkDir: string;
  standin: string;
}

const RESOURCE = path.join('resources', 'projectImage');

/** The harness's files, found from `start` upwards; null when no folder above holds them. */
export function findHarnessFiles(start: string = __dirname): HarnessFiles | null {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, RESOURCE);
    if (fs.existsSync(path.join(candidate, 'harness.c'))) return filesIn(candidate);
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

function filesIn(dir: string): HarnessFiles {
  const msdkDir = path.join(dir, 'msdk');
  return { dir, harness: path.join(dir, 'harness.c'), sandbox: path.join(dir, 'sandbox.c'), msdkDir, standin: path.join(msdkDir, 'standin.c') };
}
