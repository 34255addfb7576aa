import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNetwork } from '../engine/check';
import { parseDeviceName } from '../engine/device/devices';
import { kernelMapText } from '../engine/analysis/kernelAllocation';
import { optionString, parseArgs, UsageError } from './args';
import { cliInputs } from './cliInputs';
import { formatDiagnosticsText } from './formatDiagnostics';

/** `ai8x kernel-map`: izer's "Kernel map:" block for the network, exactly as izer prints it in log.txt. */
export async function runKernelMap(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['device', 'checkpoint', 'sample-input']);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const file = args.positionals[0];
  const deviceText = optionString(args, 'device');
  const device = deviceText ? parseDeviceName(deviceText) : undefined;
  if (deviceText && !device) throw new UsageError(`unknown device "${deviceText}" (use MAX78000 or MAX78002)`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`ai8x kernel-map: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  const result = checkNetwork({ text, fileName: path.basename(file), deviceOverride: device ?? undefined, izerFlags: args.izerFlags, resolveInputs: cliInputs(file, args) });
  const mem = result.analysis?.memory;
  const state = result.analysis?.state;
  if (!mem || !state) {
    process.stderr.write(`ai8x kernel-map: the kernel map needs the network's checkpoint (give --checkpoint or a \`# ai8x: checkpoint=…\` line).\n`);
    process.stderr.write(formatDiagnosticsText(file, { ...result, diagnostics: result.diagnostics.filter((d) => d.severity === 'error') }));
    return 2;
  }
  process.stdout.write(kernelMapText(result.device, state.layers, mem.kernels.map));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) process.stderr.write(formatDiagnosticsText(file, { ...result, diagnostics: errors }));
  return errors.length ? 1 : 0;
}
