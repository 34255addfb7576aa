// Finds the C compilers the harness uses: the computer's own (cc, gcc or clang on PATH) for the hardware image, and
// arm-none-eabi-gcc for the Arm compile check.
import * as path from 'node:path';
import { findOnPath } from '../process/findOnPath';
import { ImageError } from './imageError';

const HOST_COMPILERS = ['cc', 'gcc', 'clang'];
export const ARM_COMPILER = 'arm-none-eabi-gcc';

/** The host C compiler: `given` (a path or a name on PATH) or the first of cc, gcc and clang on PATH. */
export function findHostCompiler(given?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (given) {
    const found = path.isAbsolute(given) ? given : findOnPath(given, env);
    if (!found) throw new ImageError('environment', `The C compiler ${given} was not found.`);
    return found;
  }
  for (const name of HOST_COMPILERS) {
    const found = findOnPath(name, env);
    if (found) return found;
  }
  throw new ImageError(
    'environment',
    'No C compiler was found on PATH (looked for cc, gcc and clang). Comparing projects by what the hardware would hold compiles them on this computer: ' +
      'install one, e.g. `sudo apt-get install gcc` on Debian or Ubuntu.',
  );
}

/** arm-none-eabi-gcc (`given` or on PATH), or null when it is not installed. */
export function findArmCompiler(given?: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (given) return path.isAbsolute(given) ? given : findOnPath(given, env);
  return findOnPath(ARM_COMPILER, env);
}
