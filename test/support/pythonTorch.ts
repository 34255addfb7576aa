// A Python that imports torch, for the tests that compare with PyTorch itself (torch.load of our checkpoints, torch's
// arithmetic, quantize.py): AI8X_PYTHON, else python3, else /usr/bin/python3 (Debian's python3-torch). Null when none.
import { spawnSync } from 'node:child_process';

let found: string | null | undefined;

export function pythonWithTorch(): string | null {
  if (found !== undefined) return found;
  found = null;
  for (const p of [process.env.AI8X_PYTHON, 'python3', '/usr/bin/python3']) {
    // Finding the module is enough (importing torch takes seconds; the tests import it when they run).
    const probe = 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("torch") else 1)';
    if (p && spawnSync(p, ['-c', probe], { encoding: 'utf8', timeout: 60_000 }).status === 0) {
      found = p;
      break;
    }
  }
  return found;
}

export const NO_TORCH = 'no Python with torch (Debian: apt install python3-torch, or set AI8X_PYTHON)';
