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
import { linkKnockOnFindings } from './knockOn';
import { yamlLintDiagnostics } from './yamlLint';
import { parseYamlTree, YamlTree } from './yaml/yamlTree';
import { runAnalysis, AnalysisInputs, AnalysisResult } from './analysis/runAnalysis';
import { sampleWeightNames, SampleWeightFile } from './analysis/sampleWeights';

/** Who chose a device explicitly: the command line's `--device`, or the user in the editor (this session only). */
export type DeviceChoiceOrigin = 'command line' | 'session';

export type DeviceSource = DeviceChoiceOrigin | 'modeline' | 'izer flags' | 'association' | 'setting' | 'checkpoint name' | 'file name' | 'default';

/** What the caller (CLI or language server) found for this file: loaded inputs plus association facts. */
export interface ResolvedInputs extends Omit<AnalysisInputs, 'flags'> {
  /** For a test network (`arch: test`): finds and reads a file izer opens by a name relative to where it runs. */
  findSampleWeightFile?: (name: string, role: 'weights' | 'bias') => SampleWeightFile;
  /** Device from an association (settings or gen-demos script). */
  device?: DeviceName | null;
  /** izer flags from the association (they apply after the modeline's and before the caller's own). */
  izerFlags?: string[];
}

export interface ResolveContext {
  modeline: Modeline;
  /** The global `dataset` value, for izer's default sample file. */
  dataset: string | null;
  /** The global `arch` value (`test` selects izer's sample weights instead of a checkpoint). */
  arch: string | null;
}

export interface CheckInput {
  text: string;
  /** Path or URI of the file, for the device guess and messages. */
  fileName?: string;
  /** An explicit choice that beats everything else (the CLI's --device, or a device chosen in the editor). */
  deviceOverride?: DeviceName;
  /** Who made that choice (default: the command line). */
  deviceOverrideSource?: DeviceChoiceOrigin;
  /** The `ai8x.device` setting ('auto' or absent = not set). */
  deviceSetting?: DeviceName | 'auto';
  /** izer flags from settings or the command line; the modeline's flags come first, these win. */
  izerFlags?: readonly string[];
  /** Checkpoint path as associated (only its name is used here, for the device guess). */
  checkpointName?: string;
  /** The line break yamllint expects where izer runs (its `new-lines: platform`); default `\n`. */
  newline?: '\n' | '\r\n';
  /** Loads the checkpoint and sample data for the checkpoint-aware passes (called once per check). */
  resolveInputs?: (ctx: ResolveContext) => ResolvedInputs;
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

export function resolveDevice(
  input: CheckInput,
  modeline: Modeline,
  flags: IzerFlags,
  associated?: DeviceName | null,
): { device: DeviceName; source: DeviceSource } {
  if (input.deviceOverride) return { device: input.deviceOverride, source: input.deviceOverrideSource ?? 'command line' };
  if (modeline.device) return { device: modeline.device, source: 'modeline' };
  if (flags.device) return { device: flags.device, source: 'izer flags' };
  if (associated) return { device: associated, source: 'association' };
  if (input.deviceSetting && input.deviceSetting !== 'auto') return { device: input.deviceSetting, source: 'setting' };
  const fromCkpt = input.checkpointName ? deviceFromCheckpointName(input.checkpointName) : null;
  if (fromCkpt) return { device: fromCkpt, source: 'checkpoint name' };
  const base = (input.fileName ?? '').split(/[\\/]/).pop() ?? '';
  if (/^ai87/i.test(base)) return { device: 'MAX78002', source: 'file name' };
  if (/^ai85/i.test(base)) return { device: 'MAX78000', source: 'file name' };
  return { device: 'MAX78000', source: 'default' };
}

/** `--yamllint none` in the izer flags: izer skips its yamllint step. */
function yamllintOff(argv: readonly string[]): boolean {
  return argv.some((a, i) => (a === '--yamllint' && argv[i + 1]?.toLowerCase() === 'none') || a.toLowerCase() === '--yamllint=none');
}

function readAndAnalyze(
  tree: YamlTree,
  device: Device,
  flags: IzerFlags,
  resolved: ResolvedInputs | undefined,
  sink: DiagnosticSink,
): { model: NetworkModel; analysis: AnalysisResult | null } {
  const model = readNetwork(tree, device, sink, { skipYamlLayers: flags.skipYamlLayers, ignoreActivation: flags.ignoreActivation });
  let analysis: AnalysisResult | null = null;
  if (model.isNetwork && model.layers.length > 0) {
    const inputs: AnalysisInputs = { ...(resolved ?? {}), flags };
    const find = resolved?.findSampleWeightFile;
    if (model.arch === 'test' && find && !inputs.sampleWeights) {
      const names = sampleWeightNames(model, flags);
      inputs.sampleWeights = { weights: find(names.weights, 'weights'), bias: names.bias !== null ? find(names.bias, 'bias') : null };
    }
    analysis = runAnalysis(model, device, inputs, sink);
  }
  return { model, analysis };
}

function globalText(tree: YamlTree, key: string): string | null {
  const root = tree.root;
  if (!root || root.type !== 'map') return null;
  const v = root.entries.find((e) => e.keyName === key)?.value;
  return v && v.type === 'scalar' && v.value.kind !== 'null' ? v.text : null;
}

export function checkNetwork(input: CheckInput): CheckResult {
  const lines = new LineIndex(input.text);
  const tree = parseYamlTree(input.text);
  const modeline = readModeline(tree.comments);
  const resolved = input.resolveInputs ? input.resolveInputs({ modeline, dataset: globalText(tree, 'dataset'), arch: globalText(tree, 'arch') }) : undefined;
  const flags = parseIzerFlags([...(modeline.izerFlags ?? []), ...(resolved?.izerFlags ?? []), ...(input.izerFlags ?? [])]);
  const { device: deviceName, source } = resolveDevice(
    { ...input, checkpointName: input.checkpointName ?? resolved?.checkpointPath },
    modeline,
    flags,
    resolved?.device,
  );
  const device = deviceByName(deviceName);
  const sink = new DiagnosticSink();
  for (const p of modeline.problems) sink.add('AX100', 'warning', p.range, null, p.message);
  for (const p of flags.problems) sink.add('AX101', 'warning', modeline.ranges.izerFlags ?? [0, 0], null, `izer flags: ${p}.`);

  const { model, analysis } = readAndAnalyze(tree, device, flags, resolved, sink);
  linkKnockOnFindings(input.text, lines, sink.items, (text) => {
    const again = new DiagnosticSink();
    readAndAnalyze(parseYamlTree(text), device, flags, resolved, again);
    return again.items;
  });
  // izer's yamllint step (izer flag `--yamllint none` skips it); after the knock-on pass, which compares analyses only.
  if (model.isNetwork && !yamllintOff(flags.argv)) sink.items.push(...yamlLintDiagnostics(tree, lines, { newline: input.newline }));
  const diagnostics = applySuppressions(sink.items, tree.comments, lines).sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  return { device, deviceSource: source, model, modeline, flags, diagnostics, lines, analysis };
}
