import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNetwork } from '../engine/check';
import { parseDeviceName } from '../engine/device/devices';
import { formatDiagnosticsJson, formatDiagnosticsText } from './formatDiagnostics';
import { optionString, parseArgs, UsageError } from './args';
import { cliInputs } from './cliInputs';

export async function runCheck(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['device', 'checkpoint', 'sample-input', 'format']);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const file = args.positionals[0];
  const format = optionString(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const deviceText = optionString(args, 'device');
  const device = deviceText ? parseDeviceName(deviceText) : undefined;
  if (deviceText && !device) throw new UsageError(`unknown device "${deviceText}" (use MAX78000 or MAX78002)`);

  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`ai8x check: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  const result = checkNetwork({
    text,
    fileName: path.basename(file),
    deviceOverride: device ?? undefined,
    izerFlags: args.izerFlags,
    resolveInputs: cliInputs(file, args),
  });
  const out = format === 'json' ? formatDiagnosticsJson(file, result) : formatDiagnosticsText(file, result);
  process.stdout.write(out);
  return result.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
