import * as path from 'node:path';
import { checkNetwork } from '../engine/check';
import { formatDiagnosticsJson, formatDiagnosticsText } from './formatDiagnostics';
import { UsageError, deviceOption, optionString, parseArgs, readNetworkFile } from './args';
import { cliInputs } from './cliInputs';
import { mark } from './timing';

export async function runCheck(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['device', 'checkpoint', 'sample-input', 'format']);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const file = args.positionals[0];
  const format = optionString(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const device = deviceOption(args);

  const text = readNetworkFile('ai8x check', file);
  if (text === null) return 2;
  const inputs = cliInputs(file, args);
  const result = checkNetwork({
    text,
    fileName: path.basename(file),
    deviceOverride: device ?? undefined,
    izerFlags: args.izerFlags,
    newline: process.platform === 'win32' ? '\r\n' : '\n',
    // Called once the YAML is parsed and read; the checks follow the inputs.
    resolveInputs: (ctx) => {
      mark('network read');
      const r = inputs(ctx);
      mark('inputs read');
      return r;
    },
  });
  mark('checked');
  const out = format === 'json' ? formatDiagnosticsJson(file, result) : formatDiagnosticsText(file, result);
  process.stdout.write(out);
  mark('written');
  return result.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
