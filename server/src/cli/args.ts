import { readRegularTextFile } from '../workspace/safeRead';
import { DeviceName, parseDeviceName } from '../engine/device/devices';
// Minimal argument parsing for the `ai8x` CLI: `--name value`, `--name=value`, flags, positionals,
// and everything after `--` kept verbatim as izer flags.
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
  izerFlags: string[];
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], valued: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: new Map(), izerFlags: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.izerFlags = argv.slice(i + 1);
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (valued.includes(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        out.options.set(name, v);
      } else if (flags.includes(name)) {
        out.options.set(name, true);
      } else throw new UsageError(`unknown option --${name}`);
    } else out.positionals.push(a);
  }
  return out;
}

export function optionString(p: ParsedArgs, name: string): string | undefined {
  const v = p.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** The `--device` option, or undefined when not given; a usage error for an unknown device. */
export function deviceOption(p: ParsedArgs): DeviceName | undefined {
  const text = optionString(p, 'device');
  if (text === undefined) return undefined;
  const d = parseDeviceName(text);
  if (!d) throw new UsageError(`unknown device "${text}" (use MAX78000 or MAX78002)`);
  return d;
}

/** The largest network file the CLI reads (a 10,000-layer network is a few MiB). */
export const MAX_NETWORK_FILE_BYTES = 64 * 2 ** 20;

/** Reads the network file named on the command line (a regular file only); prints the reason and returns null when it cannot. */
export function readNetworkFile(command: string, file: string): string | null {
  try {
    return readRegularTextFile(file, MAX_NETWORK_FILE_BYTES);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(code ? `${command}: cannot read ${file}: ${code}\n` : `${command}: ${(e as Error).message}\n`);
    return null;
  }
}
