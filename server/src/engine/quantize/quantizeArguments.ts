// The command line of `ai8x quantize`: quantize.py's own flags (`--device`, `-c/--config-file`, `--clip-method`,
// `--qat-weight-bits`, `--scale`, `--stddev`, `-v`), read as its argparse reads them (`--name value`, `--name=value`,
// unambiguous prefixes such as `--clip`), plus `--force`. A `--` between them changes nothing.
import { DeviceName, parseDeviceName } from '../device/devices';
import { ClipMethod, CLIP_METHODS } from './clipMethods';

export interface QuantizeArguments {
  /** The input and output checkpoints (and anything else not a flag, which is a usage problem). */
  positionals: string[];
  device: DeviceName | null;
  configFile: string | null;
  clipMethod: ClipMethod | null;
  qatWeightBits: number | null;
  scale: number | null;
  stddev: number | null;
  verbose: boolean;
  /** Replace an existing output file. */
  force: boolean;
  /** Usage problems, in words; none means the arguments are fine. */
  problems: string[];
}

type Name = 'device' | 'config-file' | 'clip-method' | 'qat-weight-bits' | 'scale' | 'stddev' | 'verbose' | 'force';

const VALUED: readonly Name[] = ['device', 'config-file', 'clip-method', 'qat-weight-bits', 'scale', 'stddev'];
const NAMES: readonly Name[] = [...VALUED, 'verbose', 'force'];
const SHORT: Record<string, Name> = { '-c': 'config-file', '-v': 'verbose' };

/** Python's int() of a command-line word (digits with an optional sign and underscores between digits). */
function pythonInt(s: string): number | null {
  const t = s.trim();
  return /^[+-]?\d+(_\d+)*$/.test(t) ? Number(t.replace(/_/g, '')) : null;
}

/** Python's float() of a command-line word. */
function pythonFloat(s: string): number | null {
  const t = s
    .trim()
    .toLowerCase()
    .replace(/(\d)_(?=\d)/g, '$1');
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t) ? Number(t) : null;
}

export function parseQuantizeArguments(argv: readonly string[]): QuantizeArguments {
  const out: QuantizeArguments = {
    positionals: [],
    device: null,
    configFile: null,
    clipMethod: null,
    qatWeightBits: null,
    scale: null,
    stddev: null,
    verbose: false,
    force: false,
    problems: [],
  };
  const set = (name: Name, value: string): void => {
    switch (name) {
      case 'device': {
        const d = parseDeviceName(value);
        if (d) out.device = d;
        else out.problems.push(`unknown device "${value}" (use MAX78000 or MAX78002)`);
        break;
      }
      case 'config-file':
        out.configFile = value;
        break;
      case 'clip-method':
        if ((CLIP_METHODS as readonly string[]).includes(value)) out.clipMethod = value as ClipMethod;
        else out.problems.push(`--clip-method: invalid choice "${value}" (choose from ${CLIP_METHODS.join(', ')})`);
        break;
      case 'qat-weight-bits': {
        const n = pythonInt(value);
        if (n === null) out.problems.push(`--qat-weight-bits: "${value}" is not a whole number`);
        else out.qatWeightBits = n;
        break;
      }
      case 'scale':
      case 'stddev': {
        const x = pythonFloat(value);
        if (x === null) out.problems.push(`--${name}: "${value}" is not a number`);
        else if (name === 'scale') out.scale = x;
        else out.stddev = x;
        break;
      }
      default:
        break;
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') continue;
    let name: Name | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const word = eq > 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq > 0 ? a.slice(eq + 1) : undefined;
      const exact = NAMES.find((n) => n === word);
      const matches = exact ? [exact] : NAMES.filter((n) => n.startsWith(word));
      if (matches.length !== 1 || !word) {
        out.problems.push(matches.length > 1 ? `ambiguous option --${word} (${matches.map((m) => `--${m}`).join(', ')})` : `unknown option ${a}`);
        continue;
      }
      name = matches[0];
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      name = SHORT[a.slice(0, 2)];
      if (!name) {
        out.problems.push(`unknown option ${a}`);
        continue;
      }
      if (a.length > 2) inline = a.slice(2);
    } else {
      out.positionals.push(a);
      continue;
    }
    if (!VALUED.includes(name)) {
      if (inline !== undefined) out.problems.push(`--${name} takes no value`);
      else if (name === 'verbose') out.verbose = true;
      else out.force = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) out.problems.push(`--${name} needs a value`);
    else set(name, value);
  }
  return out;
}
