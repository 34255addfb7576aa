// The izer command-line flags that shape the generated project (and not the check), resolved to the settings the
// generator uses, with izer's defaults and implications. Flags the native generator does not implement are named,
// so that synthesis can refuse them before anything is written instead of producing something else.
import type { Device } from '../device/devices';
import type { IzerFlags } from '../izerFlags';

export interface SynthesisOptions {
  boardName: string;
  pipeline: boolean;
  pll: boolean;
  clockDivider: number;
  /** Express kernel loading (packed 9-byte kernels). */
  mexpress: boolean;
  newKernelLoader: boolean;
  /** Old loader: one memcpy per processor's kernel columns. */
  compactWeights: boolean;
  compactData: boolean;
  generateKat: boolean;
  unload: boolean;
  softmax: boolean;
  zeroSram: boolean;
  verifyWrites: boolean;
  verifyKernels: boolean;
  wfi: boolean;
  /** Seconds main() waits so a debugger can attach. */
  debugWait: number;
  /** Milliseconds to wait for the load switches after powering the accelerator. */
  enableDelay: number;
  /** [port, pin] of the boost supply, or null. */
  boost: [number, number] | null;
  timer: number | null;
  energy: boolean;
  inputFifo: boolean;
  fifoWait: boolean;
  riscv: boolean;
  riscvFlash: boolean;
  riscvCache: boolean;
  riscvDebug: boolean;
  riscvExclusive: boolean;
  maxCount: number | null;
  /** Loop unrolling of cnn_unload(). */
  unrollMlator: number;
  unroll8bit: number;
  unrollWide: number;
  increaseStart: number;
  increaseDelta1: number;
  increaseDelta2: number;
}

/** A flag the generator does not implement, with the words to refuse it. */
export interface UnsupportedFlag {
  flag: string;
  reason: string;
}

/** Flags that change nothing the generator writes (or that name inputs the caller already resolved). */
const NEUTRAL = new Set([
  '--test-dir',
  '--prefix',
  '--config-file',
  '--checkpoint-file',
  '--sample-input',
  '--device',
  '--ai85',
  '--verbose',
  '-v',
  '--verbose-all',
  '--display-checkpoint',
  '--overwrite',
  '--no-version-check',
  '--version-check-interval',
  '--upstream',
  '--yamllint',
  '--ignore-energy-warning',
  '--ignore-mlator-warning',
  '--ignore-hw-limits',
  '--ignore-bias-groups',
  '--no-warn-zero',
  '--embedded-code',
  '-e',
  '--no-error-stop',
  '--overlap-data',
  '--log',
  '--no-log',
  '--display-progress',
  '--no-display-progress',
  '--skip-yaml-layers',
  '--skip-checkpoint-layers',
  '--ignore-bn',
  '--ignore-activation',
  '--avg-pool-rounding',
  '--weight-start',
  '--start-layer',
  '--no-bias',
  '--input-offset',
  '--output-width',
  '--ignore-streaming',
  '--streaming-layers',
  '--max-proc',
  '--no-deduplicate-weights',
  '--fifo',
  '--fast-fifo',
  '--fast-fifo-quad',
  '--mlator',
  '--max-verify-length',
  '--max-checklines',
  '--simple1b',
  '--calcx4',
  '--read-ahead',
  '--link-layer',
  '--fifo-go',
  '--new-kernel-loader',
  '--old-kernel-loader',
  '--synthesize-input',
  '--synthesize-words',
  '--repeat-layers',
]);

/** Flags izer accepts whose effect on the project the native generator does not reproduce. */
const NOT_IMPLEMENTED: Record<string, string> = {
  '--rtl': 'RTL-simulation output is not a buildable MSDK project',
  '--rtl-sim': 'RTL-simulation output is not a buildable MSDK project',
  '--top-level': 'only the embedded MSDK project is generated',
  '--input-csv': 'camera-interface input is not generated natively',
  '--one-shot': 'one-shot (layer-by-layer) execution is not generated natively',
  '--stop-start': 'stop/start test code is not generated natively',
  '--snoop-loop': 'snoop loops are not generated natively',
  '--forever': 'the endless inference loop is not generated natively',
  '--fixed-input': 'fixed test-pattern input is not generated natively',
  '--input-split': 'split CHW input loading is not generated natively',
  '--zero-unused': 'zeroing unused layer registers is not generated natively',
  '--write-zero-registers': 'writing zero-valued registers is not generated natively',
  '--init-tram': 'TRAM initialisation is not generated natively',
  '--powerdown': 'powering down unused memories is not generated natively',
  '--apb-base': 'another APB base address is not generated natively',
  '--deepsleep': 'deep-sleep code is not generated natively',
  '--clock-trim': 'clock trim overrides are not generated natively',
  '--ext-rdy': 'external-ready mode is not generated natively',
  '--test-bist': 'BIST tests are not generated natively',
  '--pretend-zero-sram': 'BIST simulation is not generated natively',
  '--legacy-test': 'legacy test layouts are not generated natively',
  '--legacy-kernels': 'legacy kernel layouts are not generated natively',
  '--result-output': 'RTL result files are not generated natively',
  '--rtl-preload': 'RTL preloading is not generated natively',
  '--rtl-preload-weights': 'RTL preloading is not generated natively',
  '--api-filename': 'other output file names are not generated natively',
  '--c-filename': 'other output file names are not generated natively',
  '--weight-filename': 'other output file names are not generated natively',
  '--sample-filename': 'other output file names are not generated natively',
  '--sample-output-filename': 'other output file names are not generated natively',
  '--log-filename': 'other output file names are not generated natively',
  '--log-intermediate': 'intermediate data files are not generated natively',
  '--log-pooling': 'pooling debug files are not generated natively',
  '--override-start': 'streaming overrides are not generated natively',
  '--override-rollover': 'streaming overrides are not generated natively',
  '--override-delta1': 'streaming overrides are not generated natively',
  '--override-delta2': 'streaming overrides are not generated natively',
  '--debug-new-streaming': 'the experimental streaming calculation is not generated natively',
  '--debug-snoop': 'snoop debugging is not generated natively',
  '--debug': 'debug output is not generated natively',
  '--debug-computation': 'debug output is not generated natively',
  '--debug-latency': 'debug output is not generated natively',
  '--kernel-format': 'other kernel formats are not generated natively',
  '--define': 'extra build defines are not generated natively',
  '--define-default-arm': 'extra build defines are not generated natively',
  '--define-default-riscv': 'extra build defines are not generated natively',
  '--eclipse-includes': 'Eclipse project settings are not generated natively',
  '--eclipse-variables': 'Eclipse project settings are not generated natively',
  '--eclipse-openocd-args': 'Eclipse project settings are not generated natively',
  '--autogen': 'autogen lists are not generated natively',
  '--autogen_list': 'autogen lists are not generated natively',
  '--slow-load': 'slowed-down FIFO loading is not generated natively',
  '--max-speed': 'the clock-switching balance is not generated natively',
  '--balance-speed': 'the clock-switching balance is not generated natively',
  '--unload-custom': 'custom unload sequences are not generated natively',
  '--allow-streaming': 'unsupported streaming is not generated natively',
  '--no-fifo-wait': 'FIFO loading without waits is not generated natively',
  '--queue-name': 'RTL queues are not generated natively',
  '--timeout': 'RTL timeouts are not generated natively',
  '--runtest-filename': 'RTL test files are not generated natively',
  '--input-filename': 'other output file names are not generated natively',
  '--output-filename': 'other output file names are not generated natively',
  '--ready-sel': 'other ready selections are not generated natively',
  '--ready-sel-fifo': 'other ready selections are not generated natively',
  '--ready-sel-aon': 'other ready selections are not generated natively',
  '--increase-start': 'streaming adjustments are not generated natively',
  '--increase-delta1': 'streaming adjustments are not generated natively',
  '--increase-delta2': 'streaming adjustments are not generated natively',
};

/** Flags the generator reads itself (beyond IzerFlags), with whether they take a value. */
const OWN: Record<string, boolean> = {
  '--board-name': true,
  '--pipeline': false,
  '--no-pipeline': false,
  '--pll': false,
  '--no-pll': false,
  '--apb': false,
  '--clock-divider': true,
  '--mexpress': false,
  '--no-mexpress': false,
  '--compact-weights': false,
  '--compact-data': false,
  '--no-compact-data': false,
  '--no-kat': false,
  '--unload': false,
  '--no-unload': false,
  '--softmax': false,
  '--zero-sram': false,
  '--verify-writes': false,
  '--verify-kernels': false,
  '--no-wfi': false,
  '--debugwait': true,
  '--switch-delay': true,
  '--boost': true,
  '--timer': true,
  '--no-timer': false,
  '--energy': false,
  '--input-fifo': false,
  '--riscv': false,
  '--riscv-flash': false,
  '--no-riscv-flash': false,
  '--riscv-cache': false,
  '--no-riscv-cache': false,
  '--riscv-debug': false,
  '--riscv-exclusive': false,
  '--unroll-mlator': true,
  '--unroll-8bit': true,
  '--unroll-wide': true,
};

/** The not-implemented flags that take a value (so that value is not read as a flag). */
const NOT_IMPLEMENTED_WITH_VALUE = new Set([
  '--top-level',
  '--input-csv',
  '--input-split',
  '--apb-base',
  '--clock-trim',
  '--api-filename',
  '--c-filename',
  '--weight-filename',
  '--sample-filename',
  '--sample-output-filename',
  '--log-filename',
  '--override-start',
  '--override-rollover',
  '--override-delta1',
  '--override-delta2',
  '--kernel-format',
  '--define',
  '--define-default-arm',
  '--define-default-riscv',
  '--eclipse-includes',
  '--eclipse-variables',
  '--eclipse-openocd-args',
  '--autogen',
  '--autogen_list',
  '--slow-load',
  '--queue-name',
  '--timeout',
  '--runtest-filename',
  '--input-filename',
  '--output-filename',
  '--ready-sel',
  '--ready-sel-fifo',
  '--ready-sel-aon',
  '--increase-start',
  '--increase-delta1',
  '--increase-delta2',
]);

/** The neutral flags that take a value. */
const NEUTRAL_WITH_VALUE = new Set([
  '--test-dir',
  '--prefix',
  '--config-file',
  '--checkpoint-file',
  '--sample-input',
  '--device',
  '--yamllint',
  '--version-check-interval',
  '--upstream',
  '--skip-yaml-layers',
  '--skip-checkpoint-layers',
  '--weight-start',
  '--start-layer',
  '--input-offset',
  '--output-width',
  '--streaming-layers',
  '--max-proc',
  '--max-verify-length',
  '--max-checklines',
  '--synthesize-input',
  '--synthesize-words',
  '--repeat-layers',
]);

export interface ResolvedSynthesisOptions {
  options: SynthesisOptions;
  unsupported: UnsupportedFlag[];
  problems: string[];
}

export function resolveSynthesisOptions(flags: IzerFlags, device: Device): ResolvedSynthesisOptions {
  const argv = flags.argv;
  const unsupported: UnsupportedFlag[] = [];
  const problems: string[] = [];
  const given = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) continue;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | true = eq > 0 ? arg.slice(eq + 1) : true;
    const takesValue = OWN[name] ?? (NOT_IMPLEMENTED_WITH_VALUE.has(name) || NEUTRAL_WITH_VALUE.has(name));
    if (value === true && takesValue) {
      if (name === '--no-bias') continue;
      value = argv[i + 1] ?? '';
      i++;
    }
    if (name in NOT_IMPLEMENTED) unsupported.push({ flag: name, reason: NOT_IMPLEMENTED[name] });
    else if (name in OWN) given.set(name, value);
    else if (!NEUTRAL.has(name) && name !== '--no-bias') unsupported.push({ flag: name, reason: 'this flag is not known to the native generator' });
  }
  const num = (name: string, fallback: number): number => {
    const v = given.get(name);
    if (v === undefined) return fallback;
    const n = typeof v === 'string' && /^[-+]?(0x[0-9a-f]+|\d+)$/i.test(v.trim()) ? Number(v.trim()) : NaN;
    if (!Number.isFinite(n)) {
      problems.push(`${name} needs a whole number (got "${v === true ? '' : v}")`);
      return fallback;
    }
    return n;
  };
  const has = (name: string) => given.has(name);

  const pipeline = flags.pipeline ?? device.features.pipeline;
  const pll = flags.pll ?? device.features.pll;
  let clockDivider = num('--clock-divider', 0);
  if (clockDivider === 0) {
    if (pipeline) clockDivider = 1;
    else {
      const speed = pll ? device.pllSpeed : device.apbSpeed;
      let d = Math.ceil(speed / 50) - 1;
      d |= d >> 1;
      d |= d >> 2;
      d |= d >> 4;
      d |= d >> 8;
      clockDivider = d + 1;
    }
  } else if (![1, 2, 4, 8, 16].includes(clockDivider)) problems.push('--clock-divider must be 1, 2, 4, 8 or 16');

  let boost: [number, number] | null = null;
  const b = given.get('--boost');
  if (typeof b === 'string') {
    const m = /^\s*(\d+)\.(\d+)\s*$/.exec(b);
    if (m) boost = [Number(m[1]), Number(m[2])];
    else problems.push(`--boost needs a port.pin such as 2.5 (got "${b}")`);
  }

  const riscvFlashFlag = has('--riscv-flash') ? true : has('--no-riscv-flash') ? false : null;
  const riscvCacheFlag = has('--riscv-cache') ? true : has('--no-riscv-cache') ? false : null;
  const riscvDebug = has('--riscv-debug');
  const riscvExclusive = has('--riscv-exclusive');
  let riscv = flags.riscv || riscvDebug || riscvExclusive;
  let riscvCache = riscvCacheFlag ?? riscv;
  let riscvFlash = riscvFlashFlag ?? riscv;
  if (riscvCache) {
    riscvFlash = true;
    riscv = true;
  }
  if (riscvFlash || riscvExclusive) riscv = true;
  riscvCache = riscvCache && riscv;

  const newKernelLoader = flags.newKernelLoader;
  const mexpress = has('--no-mexpress') ? false : true;
  let compactWeights = has('--compact-weights') && !newKernelLoader;
  if (!newKernelLoader && mexpress) compactWeights = true;
  const energy = has('--energy');
  let timer: number | null = flags.timer;
  if (has('--no-timer') || energy) timer = null;
  const softmax = flags.softmax;

  const options: SynthesisOptions = {
    boardName: typeof given.get('--board-name') === 'string' ? (given.get('--board-name') as string) : 'EvKit_V1',
    pipeline,
    pll,
    clockDivider,
    mexpress,
    newKernelLoader,
    compactWeights,
    compactData: flags.compactData,
    generateKat: !has('--no-kat'),
    unload: flags.unload ?? true,
    softmax,
    zeroSram: has('--zero-sram'),
    verifyWrites: has('--verify-writes'),
    verifyKernels: has('--verify-kernels') || (has('--verify-writes') && newKernelLoader),
    wfi: !has('--no-wfi'),
    debugWait: num('--debugwait', 2),
    enableDelay: num('--switch-delay', device.name === 'MAX78002' ? 10 : 0),
    boost,
    timer,
    energy,
    inputFifo: has('--input-fifo'),
    fifoWait: true,
    riscv,
    riscvFlash,
    riscvCache,
    riscvDebug,
    riscvExclusive,
    maxCount: flags.maxChecklines,
    unrollMlator: num('--unroll-mlator', 8),
    unroll8bit: num('--unroll-8bit', 1),
    unrollWide: num('--unroll-wide', 8),
    increaseStart: 2,
    increaseDelta1: 0,
    increaseDelta2: 0,
  };
  if (!flags.embeddedCode) unsupported.push({ flag: '--rtl', reason: 'RTL-simulation output is not a buildable MSDK project' });
  return { options, unsupported, problems };
}
