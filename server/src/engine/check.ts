// The engine's front door: text (+ optional checkpoint and sample data) → model, plan and diagnostics.
import { Device, DeviceName, deviceByName, deviceFromCheckpointName } from './device/devices';
import type { Diagnostic } from './diagnostic';
import { DiagnosticSink } from './diagnosticSink';
import { IzerFlags, parseIzerFlags } from './izerFlags';
import { LineIndex } from './lineIndex';
import { Modeline, readModeline } from './model/modeline';
import type { NetworkModel } from './model/network';
import { readNetwork } from './model/readNetwork';
import { applySuppressions } from './suppression';
import { parseYamlTree } from './yaml/yamlTree';
import { runAnalysis, AnalysisInputs, AnalysisResult } from './analysis/runAnalysis';

export type DeviceSource = 'command line' | 'modeline' | 'izer flags' | 'setting' | 'checkpoint name' | 'file name' | 'default';

export interface CheckInput {
  text: string;
  /** Path or URI of the file, for the device guess and messages. */
  fileName?: string;
  /** An explicit choice that beats everything else (the CLI's --device). */
  deviceOverride?: DeviceName;
  /** The `ai8x.device` setting ('auto' or absent = not set). */
  deviceSetting?: DeviceName | 'auto';
  /** izer flags from settings or the command line; the modeline's flags come first, these win. */
  izerFlags?: readonly string[];
  /** Checkpoint path as associated (only its name is used here, for the device guess). */
  checkpointName?: string;
  /** Loaded checkpoint and sample data for the checkpoint-aware passes. */
  analysis?: Omit<AnalysisInputs, 'flags'>;
}

export interface CheckResult {
  device: Device;
  deviceSource: DeviceSource;
  model: NetworkModel;
  modeline: Modeline;
  flags: IzerFlags;
  diagnostics: Diagnostic[];
  lines: LineIndex;
  analysis: AnalysisResult | null;
}

/** Is this text an ai8x network description (top-level `layers` list plus `arch`)? Cheap pre-check. */
export function looksLikeNetwork(text: string): boolean {
  return /^layers\s*:/m.test(text) && /^arch\s*:/m.test(text);
}

export function resolveDevice(input: CheckInput, modeline: Modeline, flags: IzerFlags): { device: DeviceName; source: DeviceSource } {
  if (input.deviceOverride) return { device: input.deviceOverride, source: 'command line' };
  if (modeline.device) return { device: modeline.device, source: 'modeline' };
  if (flags.device) return { device: flags.device, source: 'izer flags' };
  if (input.deviceSetting && input.deviceSetting !== 'auto') return { device: input.deviceSetting, source: 'setting' };
  const fromCkpt = input.checkpointName ? deviceFromCheckpointName(input.checkpointName) : null;
  if (fromCkpt) return { device: fromCkpt, source: 'checkpoint name' };
  const base = (input.fileName ?? '').split(/[\\/]/).pop() ?? '';
  if (/^ai87/i.test(base)) return { device: 'MAX78002', source: 'file name' };
  if (/^ai85/i.test(base)) return { device: 'MAX78000', source: 'file name' };
  return { device: 'MAX78000', source: 'default' };
}

export function checkNetwork(input: CheckInput): CheckResult {
  const lines = new LineIndex(input.text);
  const tree = parseYamlTree(input.text);
  const modeline = readModeline(tree.comments);
  const flags = parseIzerFlags([...(modeline.izerFlags ?? []), ...(input.izerFlags ?? [])]);
  const { device: deviceName, source } = resolveDevice(input, modeline, flags);
  const device = deviceByName(deviceName);
  const sink = new DiagnosticSink();
  for (const p of modeline.problems) sink.add('AX100', 'warning', p.range, null, p.message);
  for (const p of flags.problems) sink.add('AX101', 'warning', modeline.ranges.izerFlags ?? [0, 0], null, `izer flags: ${p}.`);

  const model = readNetwork(tree, device, sink, { skipYamlLayers: flags.skipYamlLayers, ignoreActivation: flags.ignoreActivation });
  let analysis: AnalysisResult | null = null;
  if (model.isNetwork && model.layers.length > 0) {
    analysis = runAnalysis(model, device, { ...(input.analysis ?? {}), flags }, sink);
  }
  const diagnostics = applySuppressions(sink.items, tree.comments, lines);
  return { device, deviceSource: source, model, modeline, flags, diagnostics, lines, analysis };
}
