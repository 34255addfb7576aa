import { checkRequest } from '../app/check';
import { InputSources } from '../app/inputSources';
import { formatDiagnosticsJson, formatDiagnosticsText } from './formatDiagnostics';
import { UsageError, optionString, parseArgs, readNetworkFile } from './args';
import { commandRequest } from './commandRequest';
import { mark } from './timing';

export async function runCheck(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['device', 'checkpoint', 'sample-input', 'format']);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const file = args.positionals[0];
  const format = optionString(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const req = commandRequest(file, '', args);

  const text = readNetworkFile('ai8x check', file);
  if (text === null) return 2;
  const { result } = checkRequest(
    { ...req, text },
    InputSources.forCommandLine(),
    // The inputs are read once the YAML is parsed and read; the checks follow them.
    { phases: { beforeInputs: () => mark('network read'), afterInputs: () => mark('inputs read') } },
  );
  mark('checked');
  const out = format === 'json' ? formatDiagnosticsJson(file, result) : formatDiagnosticsText(file, result);
  process.stdout.write(out);
  mark('written');
  return result.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
