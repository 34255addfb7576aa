import { checkRequest } from '../app/check';
import { InputSources } from '../app/inputSources';
import { kernelMapText } from '../engine/analysis/kernelMapText';
import { UsageError, parseArgs, readNetworkFile } from './args';
import { commandRequest } from './commandRequest';
import { formatDiagnosticsText } from './formatDiagnostics';

/** `ai8x kernel-map`: izer's "Kernel map:" block for the network, exactly as izer prints it in log.txt. */
export async function runKernelMap(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['device', 'checkpoint', 'sample-input']);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const file = args.positionals[0];
  const req = commandRequest(file, '', args);
  const text = readNetworkFile('ai8x kernel-map', file);
  if (text === null) return 2;
  const { result } = checkRequest({ ...req, text }, InputSources.forCommandLine());
  const mem = result.analysis?.memory;
  const state = result.analysis?.state;
  if (!mem || !state) {
    const needs =
      result.model.arch === 'test'
        ? "izer's sample weights for this test network (run from the ai8x-synthesis folder, or keep the YAML inside it)"
        : "the network's checkpoint (give --checkpoint or a `# ai8x: checkpoint=…` line)";
    process.stderr.write(`ai8x kernel-map: the kernel map needs ${needs}.\n`);
    process.stderr.write(formatDiagnosticsText(file, { ...result, diagnostics: result.diagnostics.filter((d) => d.severity === 'error') }));
    return 2;
  }
  process.stdout.write(kernelMapText(result.device, state.layers, mem.kernels.map));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) process.stderr.write(formatDiagnosticsText(file, { ...result, diagnostics: errors }));
  return errors.length ? 1 : 0;
}
