// Reads the izer invocations in ai8x-synthesis' gen-demos-max7800*.sh and scripts/gen_*.sh files: each
// `ai8xize.py` line pairs a network YAML with its checkpoint, sample input, device and other flags.
import { parseDeviceName, DeviceName } from '../device/devices';
import { splitCommandLine } from '../izerFlags';

export interface ScriptInvocation {
  configFile: string;
  checkpointFile: string | null;
  sampleInput: string | null;
  device: DeviceName | null;
  /** The other izer flags on the line (without the file and device flags). */
  izerFlags: string[];
  /** 0-based line of the invocation in the script. */
  line: number;
}

const FILE_FLAGS = new Set(['--config-file', '--checkpoint-file', '--sample-input', '--device', '--prefix', '--test-dir']);

/** Expands `$VAR`/`${VAR}` from simple assignments earlier in the script; unknown variables stay as written. */
function expand(word: string, vars: Map<string, string>): string {
  return word.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a, b) => vars.get(a ?? b) ?? m);
}

export function parseGenDemosScript(text: string): ScriptInvocation[] {
  const out: ScriptInvocation[] = [];
  const vars = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i];
    while (/\\\s*$/.test(line) && i + 1 < lines.length) line = line.replace(/\\\s*$/, ' ') + lines[++i];
    const code = line.replace(/(^|\s)#.*$/, '');
    const assign = /^\s*(?:export\s+)?(\w+)=(.*)$/.exec(code);
    if (assign && !code.includes('ai8xize')) {
      const words = splitCommandLine(expand(assign[2], vars));
      vars.set(assign[1], words.join(' '));
      continue;
    }
    if (!/ai8xize(\.py)?\b/.test(code)) continue;
    // Expand before splitting: an unquoted $VAR holding several flags becomes several words, as in a shell.
    const words = splitCommandLine(expand(code, vars));
    const at = words.findIndex((w) => /ai8xize(\.py)?$/.test(w));
    if (at < 0) continue;
    const args = words.slice(at + 1).filter((w) => w !== '"$@"' && w !== '$@');
    const get = (flag: string): string | null => {
      const k = args.findIndex((a) => a === flag || a.startsWith(flag + '='));
      if (k < 0) return null;
      return args[k].includes('=') ? args[k].slice(args[k].indexOf('=') + 1) : (args[k + 1] ?? null);
    };
    const config = get('--config-file');
    if (!config) continue;
    const dev = get('--device');
    const flags: string[] = [];
    for (let k = 0; k < args.length; k++) {
      const name = args[k].split('=')[0];
      if (FILE_FLAGS.has(name)) {
        if (!args[k].includes('=')) k++;
        continue;
      }
      if (args[k] === '--ai85') continue;
      flags.push(args[k]);
    }
    out.push({
      configFile: config,
      checkpointFile: get('--checkpoint-file'),
      sampleInput: get('--sample-input'),
      device: dev ? parseDeviceName(dev) : args.includes('--ai85') ? 'MAX78000' : null,
      izerFlags: flags,
      line: start,
    });
  }
  return out;
}
