// izer command-line flags that change izer's verdict, allocation or known answer, parsed from an argv list
// (after `--` on our CLI, from a modeline, a setting or a gen-demos line). Other flags are kept but ignored.
import { DeviceName, parseDeviceName } from './device/devices';

export interface IzerFlags {
  device?: DeviceName;
  configFile?: string;
  checkpointFile?: string;
  sampleInput?: string;
  /** --weight-input / --bias-input: the sample-weight files of a test network (`arch: test`), relative to where izer runs. */
  weightInput?: string;
  biasInput?: string;
  prefix?: string;
  fifo: boolean;
  fastFifo: boolean;
  fastFifoQuad: boolean;
  riscv: boolean;
  riscvCache: boolean | null;
  riscvFlash: boolean | null;
  overlapData: boolean;
  noErrorStop: boolean;
  startLayer: number;
  stopAfter: number | null;
  weightStart: number;
  avgPoolRounding: boolean;
  simple1b: boolean;
  mlator: boolean;
  /** --max-verify-length / --max-checklines */
  maxChecklines: number | null;
  /** --no-bias: null = not given, 'all' = every layer, else the listed layers. */
  noBias: 'all' | number[] | null;
  ignoreStreaming: boolean;
  streamingLayers: number[] | null;
  allowStreaming: boolean;
  skipYamlLayers: number;
  skipCheckpointLayers: number;
  inputOffset: number | null;
  outputWidth: number | null;
  calcx4: boolean;
  readAhead: boolean;
  linkLayer: boolean;
  oneShot: boolean;
  pipeline: boolean | null;
  pll: boolean | null;
  maxSpeed: boolean;
  fifoGo: boolean;
  ignoreBiasGroups: boolean;
  ignoreHwLimits: boolean;
  ignoreBn: boolean;
  ignoreActivation: boolean;
  ignoreEnergyWarning: boolean;
  ignoreMlatorWarning: boolean;
  noDeduplicateWeights: boolean;
  newKernelLoader: boolean;
  softmax: boolean;
  unload: boolean | null;
  noWarnZero: boolean;
  embeddedCode: boolean;
  synthesizeInput: number | null;
  synthesizeWords: number;
  compactData: boolean;
  deepsleep: boolean;
  repeatLayers: number;
  timer: number | null;
  energy: boolean;
  maxProc: number | null;
  /** Everything that was given, for display and for passing through to izer. */
  argv: string[];
  problems: string[];
}

export function defaultIzerFlags(): IzerFlags {
  return {
    fifo: false,
    fastFifo: false,
    fastFifoQuad: false,
    riscv: false,
    riscvCache: null,
    riscvFlash: null,
    overlapData: false,
    noErrorStop: false,
    startLayer: 0,
    stopAfter: null,
    weightStart: 0,
    avgPoolRounding: false,
    simple1b: false,
    mlator: false,
    maxChecklines: null,
    noBias: null,
    ignoreStreaming: false,
    streamingLayers: null,
    allowStreaming: false,
    skipYamlLayers: 0,
    skipCheckpointLayers: 0,
    inputOffset: null,
    outputWidth: null,
    calcx4: false,
    readAhead: false,
    linkLayer: false,
    oneShot: false,
    pipeline: null,
    pll: null,
    maxSpeed: false,
    fifoGo: false,
    ignoreBiasGroups: false,
    ignoreHwLimits: false,
    ignoreBn: false,
    ignoreActivation: false,
    ignoreEnergyWarning: false,
    ignoreMlatorWarning: false,
    noDeduplicateWeights: false,
    newKernelLoader: true,
    softmax: false,
    unload: null,
    noWarnZero: false,
    embeddedCode: true,
    synthesizeInput: null,
    synthesizeWords: 8,
    compactData: true,
    deepsleep: false,
    repeatLayers: 1,
    timer: null,
    energy: false,
    maxProc: null,
    argv: [],
    problems: [],
  };
}

type Setter = (f: IzerFlags, value: string | undefined) => void;
interface FlagSpec {
  names: string[];
  takesValue: boolean | 'optional';
  set: Setter;
}

const int = (s: string | undefined, auto = false): number | null => {
  if (s === undefined) return null;
  const t = s.trim();
  if (auto && /^[-+]?0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  if (auto && /^[-+]?0[bB][01]+$/.test(t)) return parseInt(t.replace(/0[bB]/, ''), 2);
  if (auto && /^[-+]?0[oO][0-7]+$/.test(t)) return parseInt(t.replace(/0[oO]/, ''), 8);
  return /^[-+]?\d+$/.test(t) ? parseInt(t, 10) : null;
};
const intList = (s: string): number[] | null => {
  const parts = s.split(',').map((x) => x.trim());
  const nums = parts.map((x) => int(x));
  return nums.every((n) => n !== null) ? (nums as number[]) : null;
};

const bool =
  (key: keyof IzerFlags, value: boolean): FlagSpec['set'] =>
  (f) => {
    (f as unknown as Record<string, unknown>)[key] = value;
  };
const number =
  (key: keyof IzerFlags, auto = false): FlagSpec['set'] =>
  (f, v) => {
    const n = int(v, auto);
    if (n === null) f.problems.push(`expected a number, got "${v ?? ''}"`);
    else (f as unknown as Record<string, unknown>)[key] = n;
  };
const text =
  (key: keyof IzerFlags): FlagSpec['set'] =>
  (f, v) => {
    (f as unknown as Record<string, unknown>)[key] = v;
  };

const SPECS: FlagSpec[] = [
  {
    names: ['--device'],
    takesValue: true,
    set: (f, v) => {
      const d = parseDeviceName(v ?? '');
      if (!d) f.problems.push(`--device: "${v}" is not a supported device (MAX78000 or MAX78002)`);
      else f.device = d;
    },
  },
  { names: ['--ai85'], takesValue: false, set: (f) => (f.device = 'MAX78000') },
  { names: ['--config-file'], takesValue: true, set: text('configFile') },
  { names: ['--checkpoint-file'], takesValue: true, set: text('checkpointFile') },
  { names: ['--sample-input'], takesValue: true, set: text('sampleInput') },
  { names: ['--prefix'], takesValue: true, set: text('prefix') },
  { names: ['--weight-input'], takesValue: true, set: text('weightInput') },
  { names: ['--bias-input'], takesValue: true, set: text('biasInput') },
  { names: ['--fifo'], takesValue: false, set: bool('fifo', true) },
  { names: ['--fast-fifo'], takesValue: false, set: bool('fastFifo', true) },
  { names: ['--fast-fifo-quad'], takesValue: false, set: bool('fastFifoQuad', true) },
  { names: ['--riscv'], takesValue: false, set: bool('riscv', true) },
  { names: ['--riscv-cache'], takesValue: false, set: bool('riscvCache', true) },
  { names: ['--no-riscv-cache'], takesValue: false, set: bool('riscvCache', false) },
  { names: ['--riscv-flash'], takesValue: false, set: bool('riscvFlash', true) },
  { names: ['--no-riscv-flash'], takesValue: false, set: bool('riscvFlash', false) },
  { names: ['--riscv-debug', '--riscv-exclusive'], takesValue: false, set: bool('riscv', true) },
  { names: ['--overlap-data'], takesValue: false, set: bool('overlapData', true) },
  { names: ['--no-error-stop'], takesValue: false, set: bool('noErrorStop', true) },
  { names: ['--start-layer'], takesValue: true, set: number('startLayer') },
  { names: ['--stop-after'], takesValue: true, set: number('stopAfter') },
  { names: ['--weight-start'], takesValue: true, set: number('weightStart') },
  { names: ['--avg-pool-rounding'], takesValue: false, set: bool('avgPoolRounding', true) },
  { names: ['--simple1b'], takesValue: false, set: bool('simple1b', true) },
  { names: ['--mlator'], takesValue: false, set: bool('mlator', true) },
  { names: ['--max-verify-length', '--max-checklines'], takesValue: true, set: number('maxChecklines') },
  {
    names: ['--no-bias'],
    takesValue: 'optional',
    set: (f, v) => {
      if (v === undefined || v === '') f.noBias = 'all';
      else {
        const l = intList(v);
        if (!l) f.problems.push('--no-bias needs a comma-separated list of layer numbers, or nothing');
        else f.noBias = l;
      }
    },
  },
  { names: ['--ignore-streaming'], takesValue: false, set: bool('ignoreStreaming', true) },
  {
    names: ['--streaming-layers'],
    takesValue: true,
    set: (f, v) => {
      const l = intList(v ?? '');
      if (!l) f.problems.push('--streaming-layers needs a comma-separated list of layer numbers');
      else f.streamingLayers = l;
    },
  },
  { names: ['--allow-streaming'], takesValue: false, set: bool('allowStreaming', true) },
  { names: ['--skip-yaml-layers'], takesValue: true, set: number('skipYamlLayers') },
  { names: ['--skip-checkpoint-layers'], takesValue: true, set: number('skipCheckpointLayers') },
  { names: ['--input-offset'], takesValue: true, set: number('inputOffset', true) },
  { names: ['--output-width'], takesValue: true, set: number('outputWidth') },
  { names: ['--calcx4'], takesValue: false, set: bool('calcx4', true) },
  { names: ['--read-ahead'], takesValue: false, set: bool('readAhead', true) },
  { names: ['--link-layer'], takesValue: false, set: bool('linkLayer', true) },
  { names: ['--one-shot'], takesValue: false, set: bool('oneShot', true) },
  { names: ['--pipeline'], takesValue: false, set: bool('pipeline', true) },
  { names: ['--no-pipeline'], takesValue: false, set: bool('pipeline', false) },
  { names: ['--pll'], takesValue: false, set: bool('pll', true) },
  { names: ['--no-pll', '--apb'], takesValue: false, set: bool('pll', false) },
  { names: ['--max-speed'], takesValue: false, set: bool('maxSpeed', true) },
  { names: ['--balance-speed'], takesValue: false, set: bool('maxSpeed', false) },
  { names: ['--fifo-go'], takesValue: false, set: bool('fifoGo', true) },
  { names: ['--ignore-bias-groups'], takesValue: false, set: bool('ignoreBiasGroups', true) },
  { names: ['--ignore-hw-limits'], takesValue: false, set: bool('ignoreHwLimits', true) },
  { names: ['--ignore-bn'], takesValue: false, set: bool('ignoreBn', true) },
  { names: ['--ignore-activation'], takesValue: false, set: bool('ignoreActivation', true) },
  { names: ['--ignore-energy-warning'], takesValue: false, set: bool('ignoreEnergyWarning', true) },
  { names: ['--ignore-mlator-warning'], takesValue: false, set: bool('ignoreMlatorWarning', true) },
  { names: ['--no-deduplicate-weights'], takesValue: false, set: bool('noDeduplicateWeights', true) },
  { names: ['--new-kernel-loader'], takesValue: false, set: bool('newKernelLoader', true) },
  { names: ['--old-kernel-loader'], takesValue: false, set: bool('newKernelLoader', false) },
  { names: ['--softmax'], takesValue: false, set: bool('softmax', true) },
  { names: ['--unload'], takesValue: false, set: bool('unload', true) },
  { names: ['--no-unload'], takesValue: false, set: bool('unload', false) },
  { names: ['--no-warn-zero'], takesValue: false, set: bool('noWarnZero', true) },
  { names: ['-e', '--embedded-code'], takesValue: false, set: bool('embeddedCode', true) },
  { names: ['--rtl', '--rtl-sim'], takesValue: false, set: bool('embeddedCode', false) },
  { names: ['--synthesize-input'], takesValue: true, set: number('synthesizeInput', true) },
  { names: ['--synthesize-words'], takesValue: true, set: number('synthesizeWords') },
  { names: ['--compact-data'], takesValue: false, set: bool('compactData', true) },
  { names: ['--no-compact-data'], takesValue: false, set: bool('compactData', false) },
  { names: ['--deepsleep'], takesValue: false, set: bool('deepsleep', true) },
  { names: ['--repeat-layers'], takesValue: true, set: number('repeatLayers') },
  { names: ['--timer'], takesValue: true, set: number('timer') },
  { names: ['--energy'], takesValue: false, set: bool('energy', true) },
  { names: ['--max-proc'], takesValue: true, set: number('maxProc') },
];

/** Flags we know take a value but do not need (so their value is not mistaken for a flag). */
const OTHER_VALUE_FLAGS = new Set([
  '--test-dir',
  '--board-name',
  '--clock-divider',
  '--debugwait',
  '--define',
  '--define-default-arm',
  '--define-default-riscv',
  '--eclipse-includes',
  '--eclipse-variables',
  '--eclipse-openocd-args',
  '--unroll-mlator',
  '--unroll-8bit',
  '--unroll-wide',
  '--boost',
  '--switch-delay',
  '--c-filename',
  '--api-filename',
  '--weight-filename',
  '--sample-filename',
  '--sample-output-filename',
  '--sample-numpy-filename',
  '--slow-load',
  '--log-filename',
  '--clock-trim',
  '--kernel-format',
  '--input-csv',
  '--input-csv-format',
  '--input-csv-retrace',
  '--input-csv-period',
  '--input-pix-clk',
  '--autogen',
  '--autogen_list',
  '--input-filename',
  '--output-filename',
  '--output-config-filename',
  '--output-data-filename',
  '--output-weights-filename',
  '--output-bias-filename',
  '--output-pass-filename',
  '--runtest-filename',
  '--top-level',
  '--queue-name',
  '--timeout',
  '--override-start',
  '--increase-start',
  '--override-rollover',
  '--override-delta1',
  '--increase-delta1',
  '--override-delta2',
  '--increase-delta2',
  '--apb-base',
  '--ready-sel',
  '--ready-sel-fifo',
  '--ready-sel-aon',
  '--input-split',
  '--version-check-interval',
  '--upstream',
  '--yamllint',
]);

export function parseIzerFlags(argv: readonly string[]): IzerFlags {
  const f = defaultIzerFlags();
  f.argv = [...argv];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) continue;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const spec = SPECS.find((s) => s.names.includes(name));
    if (!spec) {
      if (OTHER_VALUE_FLAGS.has(name) && inline === undefined) i++;
      continue;
    }
    let value = inline;
    if (value === undefined && spec.takesValue === true) {
      value = argv[i + 1];
      i++;
      if (value === undefined) {
        f.problems.push(`${name} needs a value`);
        continue;
      }
    } else if (value === undefined && spec.takesValue === 'optional' && i + 1 < argv.length && !argv[i + 1].startsWith('-')) {
      value = argv[++i];
    }
    spec.set(f, value);
  }
  // Implications izer applies.
  if (f.fastFifoQuad) f.fastFifo = true;
  if (f.fastFifo) f.fifo = true;
  if (f.riscvCache) {
    f.riscv = true;
    f.riscvFlash = true;
  }
  if (f.riscvFlash) f.riscv = true;
  return f;
}

/** Splits a command-line string the way a POSIX shell would for simple quoting ("…", '…', \x). */
export function splitCommandLine(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < s.length) {
      if (s[i + 1] === '\n') i++;
      else {
        cur += s[++i];
        has = true;
      }
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}
