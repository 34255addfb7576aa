// What the harness reports about one project (see resources/projectImage/harness.c for the report's lines), read
// into the images the comparison works on.
import { ImageError } from './imageError';

export const STAGES = ['configured', 'input', 'started'] as const;
export type StageName = (typeof STAGES)[number];

/** The nonzero 32-bit words of the accelerator's memory, in address order. */
export interface MemoryImage {
  addresses: Uint32Array;
  values: Uint32Array;
}

export interface FifoWrite {
  address: number;
  value: number;
  /** The stage during which the store happened (normally "input": load_input). */
  stage: StageName;
}

export interface FlipVerdict {
  address: number;
  bit: number;
  /** check_output()'s result with that one bit changed (CNN_FAIL is 0). */
  result: number;
}

export interface HarnessReport {
  stages: Record<StageName, MemoryImage>;
  fifoWrites: FifoWrite[];
  /** FIFO registers that held a word no logged store put there: a store the harness did not recognise. */
  fifoUnlogged: { stage: StageName; address: number; value: number }[];
  /** What cnn_init, cnn_load_weights, … returned. */
  returned: Record<string, number>;
  /** Functions of the interface the project lacks (cnn_load_bias, load_input, check_output, …). */
  missing: string[];
  /** check_output() with the known answer in memory, and with one checked bit changed; null without a known answer. */
  checkOutput: { result: number; flips: FlipVerdict[] } | null;
  /** cnn_unload()'s buffer; null when the project has no cnn_unload. */
  unload: Uint32Array | null;
}

/** What running the project's own main() gave (the harness's "application" mode). */
export interface ApplicationRun {
  /** The MSDK calls main() made and the stand-in peripheral registers it changed, in order ("MXC_GPIO_Config port 2 mask 0x20 func 1 pad 0", "MXC_GCR->pclkdiv = 0x00050000", "(the inference ends)"). */
  calls: string[];
  /** Words written to each FIFO register during main(), counted and hashed. */
  fifo: { address: number; count: number; hash: number }[];
  /** main()'s result; null when the project has no main. */
  returned: number | null;
  /** The stand-in peripheral registers that main() left nonzero ("GCR->pclkdiv", "GPIO2->out", …). */
  peripherals: Record<string, number>;
  /** The accelerator's memory when main() returned. */
  image: MemoryImage;
}

export function parseApplicationReport(text: string): ApplicationRun {
  const lines = completeLines(text);
  const run: ApplicationRun = { calls: [], fifo: [], returned: null, peripherals: {}, image: { addresses: new Uint32Array(), values: new Uint32Array() } };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i++];
    const [key, a, b, c] = line.split(' ');
    if (key === 'call') run.calls.push(line.slice(5));
    else if (key === 'fifo_count') run.fifo.push({ address: parseInt(a, 16), count: Number(b), hash: parseInt(c, 16) });
    else if (key === 'returned' && a === 'main') run.returned = Number(b);
    else if (key === 'peripheral') run.peripherals[a] = parseInt(b, 16);
    else if (key === 'stage') i = readImage(lines, i, (image) => (run.image = image));
    else if (key !== 'missing' && key !== 'done' && key !== 'fifo_unlogged') throw unknownLine(line);
  }
  return run;
}

function completeLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[lines.length - 1] !== 'done') throw new ImageError('run', 'The compiled project stopped before the harness finished its report.');
  return lines;
}

/** Reads the "ADDRESS VALUE" lines from `start`; returns the index after them. */
function readImage(lines: readonly string[], start: number, take: (image: MemoryImage) => void): number {
  let i = start;
  while (i < lines.length && /^[0-9a-f]{8} /.test(lines[i])) i++;
  const addresses = new Uint32Array(i - start);
  const values = new Uint32Array(i - start);
  for (let k = start; k < i; k++) {
    addresses[k - start] = parseInt(lines[k].slice(0, 8), 16);
    values[k - start] = parseInt(lines[k].slice(9), 16);
  }
  take({ addresses, values });
  return i;
}

function unknownLine(line: string): ImageError {
  return new ImageError('run', `The harness's report has a line it does not know: ${line.slice(0, 80)}`);
}

export function parseHarnessReport(text: string): HarnessReport {
  const lines = completeLines(text);
  const stages = {} as Record<StageName, MemoryImage>;
  const fifoWrites: FifoWrite[] = [];
  const fifoUnlogged: HarnessReport['fifoUnlogged'] = [];
  const returned: Record<string, number> = {};
  const missing: string[] = [];
  let checkOutput: HarnessReport['checkOutput'] = null;
  let unload: Uint32Array | null = null;
  let stageIndex = 0;
  const hex = (s: string) => parseInt(s, 16);
  let i = 0;
  while (i < lines.length) {
    const line = lines[i++];
    const [key, a, b, c] = line.split(' ');
    switch (key) {
      case 'stage':
        i = readImage(lines, i, (image) => (stages[a as StageName] = image));
        stageIndex++;
        break;
      case 'fifo':
        fifoWrites.push({ address: hex(a), value: hex(b), stage: STAGES[Math.min(stageIndex, STAGES.length - 1)] });
        break;
      case 'fifo_unlogged':
        fifoUnlogged.push({ address: hex(a), value: hex(b), stage: STAGES[Math.min(stageIndex, STAGES.length - 1)] });
        break;
      case 'returned':
        returned[a] = Number(b);
        break;
      case 'missing':
        missing.push(a);
        break;
      case 'check_output':
        checkOutput = { result: Number(a), flips: [] };
        break;
      case 'flip':
        checkOutput?.flips.push({ address: hex(a), bit: hex(b), result: Number(c) });
        break;
      case 'unload':
        if (a === 'missing') missing.push('cnn_unload');
        else {
          const n = Number(a);
          unload = new Uint32Array(n);
          for (let k = 0; k < n; k++) unload[k] = hex(lines[i + k]);
          i += n;
        }
        break;
      case 'done':
        break;
      default:
        throw unknownLine(line);
    }
  }
  for (const s of STAGES) if (!stages[s]) throw new ImageError('run', `The harness's report has no "${s}" image.`);
  return { stages, fifoWrites, fifoUnlogged, returned, missing, checkOutput, unload };
}
