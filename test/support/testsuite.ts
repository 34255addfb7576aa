// izer's own test networks (../shared/ai8x-synthesis/tests, `arch: test`) and what izer said of them
// (../shared/oracle/testsuite/<device>.json), and how to check one exactly as izer was run: from the
// ai8x-synthesis folder, with the same flags and device.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNetwork, CheckResult, ResolveContext, ResolvedInputs } from '../../server/src/engine/check';
import type { DeviceName } from '../../server/src/engine/device/devices';
import { simulate, SimulationError } from '../../server/src/engine/simulate';
import type { KnownAnswerRecord } from '../../server/src/engine/simulate';
import type { SampleInput } from '../../server/src/engine/sample/npy';
import { kernelMapText } from '../../server/src/engine/analysis/kernelMapText';
import { resolveAssociation, ScriptIndex } from '../../server/src/workspace/associations';
import { InputFiles, loadAssociatedInputs } from '../../server/src/workspace/inputFiles';
import { sharedDir } from './shared';

export interface TestsuiteCase {
  case: string;
  device: DeviceName;
  yaml: string;
  izer_flags: string[];
  exit_code: number;
  accepted: boolean;
  error_lines: string[];
  python_exception_lines: string[];
  stderr_tail?: string;
  kernel_map?: string;
  known_answer?: KnownAnswerRecord[];
}

export function loadTestsuite(device: DeviceName): TestsuiteCase[] {
  const file = sharedDir('oracle', 'testsuite', `${device}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as TestsuiteCase[]) : [];
}

/** izer rejected the case only because a weights or sample file is missing from the snapshot. */
export function missingFileOnly(c: TestsuiteCase): boolean {
  return !c.accepted && [...c.error_lines, c.stderr_tail ?? ''].some((l) => /does not exist!/.test(l));
}

/** The flags izer was given besides the ones every test run had (config file, device, verbosity, yamllint). */
export function extraFlags(c: TestsuiteCase): string[] {
  const out: string[] = [];
  const a = c.izer_flags;
  for (let i = 0; i < a.length; i++) {
    if (['--config-file', '--device', '--yamllint', '--prefix', '--test-dir'].includes(a[i])) i++;
    else if (a[i] !== '--verbose' && a[i] !== '-v') out.push(a[i]);
  }
  return out;
}

const files = new InputFiles();

/** Our check of a test network as izer ran it (from the ai8x-synthesis folder). */
export function checkTestNetwork(yamlRel: string, device: DeviceName, izerFlags: string[] = []): { result: CheckResult; inputs: ResolvedInputs } {
  const root = sharedDir('ai8x-synthesis');
  const yamlPath = path.join(root, yamlRel);
  let inputs: ResolvedInputs = {};
  const result = checkNetwork({
    text: fs.readFileSync(yamlPath, 'utf8'),
    fileName: path.basename(yamlRel),
    deviceOverride: device,
    izerFlags,
    resolveInputs: (ctx) => (inputs = testNetworkInputs(yamlPath, ctx)),
  });
  return { result, inputs };
}

/** The inputs izer reads for a network in the ai8x-synthesis folder: its sample weights and sample input. */
export function testNetworkInputs(yamlPath: string, ctx: ResolveContext): ResolvedInputs {
  const a = resolveAssociation({
    yamlPath,
    modeline: ctx.modeline,
    dataset: ctx.dataset,
    preferredDevice: null,
    settings: { associations: [], autoAssociate: false },
    workspaceFolders: [sharedDir('ai8x-synthesis')],
    scripts: new ScriptIndex(() => []),
  });
  return loadAssociatedInputs(files, a, ctx.modeline);
}

export interface TestNetworkOutcome {
  errors: string[];
  kernelMap: string | null;
  knownAnswer: KnownAnswerRecord[] | null;
  simulationError: string | null;
}

/** Verdict, kernel map and known answer of one test network. */
export function runTestNetwork(yamlRel: string, device: DeviceName, izerFlags: string[] = [], withSimulation = true): TestNetworkOutcome {
  const { result, inputs } = checkTestNetwork(yamlRel, device, izerFlags);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.layer ?? '-'} ${d.message}`);
  const mem = result.analysis?.memory;
  const kernelMap = mem ? kernelMapText(result.device, result.analysis!.state.layers, mem.kernels.map) : null;
  let knownAnswer: KnownAnswerRecord[] | null = null;
  let simulationError: string | null = null;
  const plan = result.analysis?.plan;
  if (withSimulation && !errors.length && plan && inputs.sample && !('error' in inputs.sample)) {
    try {
      knownAnswer = simulate(plan, inputs.sample as SampleInput, { device: result.device, flags: result.flags, keepAllValues: false }).knownAnswer;
    } catch (e) {
      simulationError = e instanceof SimulationError ? `${e.code} ${e.message}` : `${(e as Error).stack}`;
    }
  }
  return { errors, kernelMap, knownAnswer, simulationError };
}
