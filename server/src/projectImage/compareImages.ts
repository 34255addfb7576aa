// Compares the hardware images of two projects (a reference, normally izer's, and a candidate) and says in words
// where they first differ: which stage, which word, what each holds, and what that address is.
import type { DeviceName } from '../engine/device/devices';
import { describeAddress, deviceOfImage } from './addressNames';
import { fifoRegisterName } from './fifoRegisters';
import { ApplicationRun, FifoWrite, MemoryImage, STAGES, StageName } from './imageReport';
import type { ProjectImage } from './projectImage';

export type DifferenceAspect = 'interface' | 'configured' | 'fifo' | 'input' | 'started' | 'check_output' | 'unload' | 'application';

export interface ImageDifference {
  aspect: DifferenceAspect;
  message: string;
  /** The first differing address, where the difference is a word of memory. */
  address?: number;
}

export interface ImageComparison {
  same: boolean;
  /** Every difference found, the first one first (the order of the stages an application goes through). */
  differences: ImageDifference[];
  /** One line: "same: …" with the sizes compared, or the first difference (and which other aspects differ). */
  summary: string;
}

export interface CompareOptions {
  /** The device, for naming addresses; found from the reference's configured image when not given. */
  device?: DeviceName;
  /** How the messages name the two projects ("izer's project", "ours"). */
  referenceName?: string;
  candidateName?: string;
}

type Image = Pick<ProjectImage, 'stages' | 'fifoWrites' | 'fifoUnlogged' | 'returned' | 'missing' | 'checkOutput' | 'unload' | 'mainFile'> & {
  application?: ProjectImage['application'];
};

const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const STAGE_STEPS: Record<StageName, string> = {
  configured: 'after cnn_init, cnn_load_weights, cnn_load_bias and cnn_configure',
  input: 'after load_input',
  started: 'after cnn_start',
};

export function compareProjectImages(reference: Image, candidate: Image, opts: CompareOptions = {}): ImageComparison {
  const ref = opts.referenceName ?? 'the reference';
  const cand = opts.candidateName ?? 'the candidate';
  const device = opts.device ?? deviceOfImage(reference.stages.configured) ?? 'MAX78000';
  const where = (address: number) => describeAddress(address, device);
  const differences: ImageDifference[] = [];
  const add = (aspect: DifferenceAspect, message: string, address?: number) => differences.push({ aspect, message, address });

  if (reference.mainFile !== candidate.mainFile)
    add('interface', `${ref} keeps load_input and check_output in ${reference.mainFile}, ${cand} in ${candidate.mainFile}.`);
  for (const f of union(reference.missing, candidate.missing)) {
    if (candidate.missing.includes(f) && !reference.missing.includes(f)) add('interface', `${cand} has no ${f}(), which ${ref} has.`);
    if (reference.missing.includes(f) && !candidate.missing.includes(f)) add('interface', `${cand} has a ${f}(), which ${ref} does not have.`);
  }
  for (const f of Object.keys(reference.returned))
    if (f in candidate.returned && candidate.returned[f] !== reference.returned[f])
      add('interface', `${f}() returns ${reference.returned[f]} in ${ref}, ${candidate.returned[f]} in ${cand}.`);

  // A word that differs in one stage usually differs the same way in the next: only what a stage changes is new.
  let earlier = new Map<number, string>();
  for (const stage of STAGES) {
    if (stage === 'input') compareFifo(reference, candidate, { ref, cand, add });
    const d = imageDifferences(reference.stages[stage], candidate.stages[stage], earlier);
    earlier = d.all;
    if (d.first) {
      const { address } = d.first;
      const r = d.first.reference === null ? '0 (never written)' : hex8(d.first.reference);
      const c = d.first.candidate === null ? '0 (never written)' : hex8(d.first.candidate);
      const total = reference.stages[stage].addresses.length;
      const counted = d.count === 1 ? `1 of the ${total} nonzero words of ${ref} differs` : `${d.count} of the ${total} nonzero words of ${ref} differ`;
      add(
        stage,
        `${stage} image (${STAGE_STEPS[stage]}): word ${hex8(address)} is ${r} in ${ref}, ${c} in ${cand} (${where(address)}); ` +
          `${counted} in ${cand}${d.extra ? `, and ${cand} has ${d.extra} nonzero words more` : ''}` +
          (d.carried ? ` (besides ${d.carried} that differed already before this stage).` : '.'),
        address,
      );
    }
  }

  compareCheckOutput(reference, candidate, { ref, cand, add, where });
  compareUnload(reference, candidate, { ref, cand, add });
  if (reference.application && candidate.application) {
    const fifoDiffers = differences.some((d) => d.aspect === 'fifo');
    compareApplication(reference.application, candidate.application, { started: earlier, fifoDiffers }, { ref, cand, add, where });
  }

  const summary = differences.length
    ? differences[0].message + (differences.length > 1 ? ` (Also different: ${[...new Set(differences.slice(1).map((d) => d.aspect))].join(', ')}.)` : '')
    : `same: ${STAGES.map((s) => `${s} ${reference.stages[s].addresses.length} words`).join(', ')}; ${reference.fifoWrites.length} FIFO words; ` +
      (reference.checkOutput
        ? `check_output accepts the known answer and refuses ${reference.checkOutput.flips.filter((f) => f.result === 0).length} changed bits; `
        : 'no known answer; ') +
      (reference.unload ? `unload ${reference.unload.length} words` : 'no cnn_unload') +
      (reference.application && !('error' in reference.application) ? `; main() makes ${reference.application.calls.length} MSDK calls` : '');
  return { same: differences.length === 0, differences, summary };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

interface StageDifferences {
  /** The first address (in address order) that differs in a way it did not differ before this stage. */
  first: { address: number; reference: number | null; candidate: number | null } | null;
  /** Words of the reference that the candidate does not hold the same (new in this stage). */
  count: number;
  /** Nonzero words of the candidate at addresses the reference leaves zero (new in this stage). */
  extra: number;
  /** Differences carried over unchanged from the stage before. */
  carried: number;
  /** Every differing address of this stage, with what both hold, for the next stage. */
  all: Map<number, string>;
}

function imageDifferences(a: MemoryImage, b: MemoryImage, before: ReadonlyMap<number, string>): StageDifferences {
  const out: StageDifferences = { first: null, count: 0, extra: 0, carried: 0, all: new Map() };
  let i = 0;
  let j = 0;
  while (i < a.addresses.length || j < b.addresses.length) {
    const aa = i < a.addresses.length ? a.addresses[i] : Infinity;
    const ba = j < b.addresses.length ? b.addresses[j] : Infinity;
    let address: number;
    let r: number | null = null;
    let c: number | null = null;
    if (aa === ba) {
      address = aa;
      r = a.values[i++];
      c = b.values[j++];
      if (r === c) continue;
    } else if (aa < ba) {
      address = aa;
      r = a.values[i++];
    } else {
      address = ba;
      c = b.values[j++];
    }
    const key = `${r}/${c}`;
    out.all.set(address, key);
    if (before.get(address) === key) {
      out.carried++;
      continue;
    }
    if (r === null) out.extra++;
    else out.count++;
    if (!out.first) out.first = { address, reference: r, candidate: c };
  }
  return out;
}

interface Context {
  ref: string;
  cand: string;
  add: (aspect: DifferenceAspect, message: string, address?: number) => void;
}

/** What each FIFO register receives, in order. The order between different FIFOs does not change what the
 * accelerator computes (each feeds its own processors), so the streams are compared register by register. */
function compareFifo(reference: Image, candidate: Image, { ref, cand, add }: Context): void {
  for (const [who, image] of [
    [ref, reference],
    [cand, candidate],
  ] as const) {
    const u = image.fifoUnlogged[0];
    if (u)
      add(
        'fifo',
        `The harness could not follow every store to ${fifoRegisterName(u.address)} in ${who} (it holds ${hex8(u.value)} ${STAGE_STEPS[u.stage]}, which no recognised store wrote): ` +
          'write FIFO data as `*((volatile uint32_t *) ADDRESS) = VALUE;` so that the sequence of FIFO words can be compared.',
        u.address,
      );
  }
  const streams = (writes: readonly FifoWrite[]) => {
    const m = new Map<number, number[]>();
    for (const w of writes) {
      if (!m.has(w.address)) m.set(w.address, []);
      m.get(w.address)!.push(w.value);
    }
    return m;
  };
  const a = streams(reference.fifoWrites);
  const b = streams(candidate.fifoWrites);
  for (const address of [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y)) {
    const ra = a.get(address) ?? [];
    const rb = b.get(address) ?? [];
    const name = fifoRegisterName(address);
    const n = Math.min(ra.length, rb.length);
    let k = 0;
    while (k < n && ra[k] === rb[k]) k++;
    if (k < n)
      add(
        'fifo',
        `FIFO words: word ${k} of the ${ra.length} written to ${name} is ${hex8(ra[k])} in ${ref}, ${hex8(rb[k])} in ${cand}` +
          (k > 0 ? ` (the ${k} before it agree).` : '.'),
        address,
      );
    else if (ra.length !== rb.length)
      add('fifo', `FIFO words: ${ref} writes ${ra.length} words to ${name}, ${cand} ${rb.length} (the first ${n} agree).`, address);
  }
}

function compareCheckOutput(reference: Image, candidate: Image, { ref, cand, add, where }: Context & { where: (a: number) => string }): void {
  const r = reference.checkOutput;
  const c = candidate.checkOutput;
  if (!r) return;
  if (!c) {
    add('check_output', `check_output() of ${cand} was not run with the known answer of ${ref}.`);
    return;
  }
  if (c.result !== r.result)
    add(
      'check_output',
      `With the known answer of ${ref} in memory, check_output() returns ${r.result} in ${ref}, ${c.result} in ${cand}` +
        (r.result === 1 ? `: ${cand} does not accept that known answer.` : '.'),
    );
  for (const flip of r.flips) {
    const other = c.flips.find((f) => f.address === flip.address && f.bit === flip.bit);
    if (other && other.result !== flip.result)
      add(
        'check_output',
        `With bit ${hex8(flip.bit)} of word ${hex8(flip.address)} (${where(flip.address)}) changed, check_output() returns ${flip.result} in ${ref}, ${other.result} in ${cand}` +
          (flip.result === 0 ? `: ${cand} does not check that bit.` : '.'),
        flip.address,
      );
  }
}

function compareUnload(reference: Image, candidate: Image, { ref, cand, add }: Context): void {
  const r = reference.unload;
  const c = candidate.unload;
  if (!r || !c) return;
  const n = Math.min(r.length, c.length);
  let k = 0;
  while (k < n && r[k] === c[k]) k++;
  if (k < n)
    add(
      'unload',
      `cnn_unload(): word ${k} of the buffer is ${hex8(r[k])} in ${ref}, ${hex8(c[k])} in ${cand}` + (k > 0 ? ` (the ${k} before it agree).` : '.'),
    );
  else if (r.length !== c.length) add('unload', `cnn_unload() writes ${r.length} words in ${ref}, ${c.length} in ${cand} (the first ${n} agree).`);
}

/**
 * The runs of both projects' main(): the MSDK calls and peripheral register changes in order (the registers it
 * leaves set only when those agree), the words each FIFO received (when the FIFO words of load_input agreed), its
 * result, and the memory at its end (only what differs beyond the started image).
 */
function compareApplication(
  r: ApplicationRun | { error: string; skipped?: boolean },
  c: ApplicationRun | { error: string; skipped?: boolean },
  earlier: { started: ReadonlyMap<number, string>; fifoDiffers: boolean },
  { ref, cand, add, where }: Context & { where: (a: number) => string },
): void {
  if ('error' in r || 'error' in c) {
    if (('error' in r && 'error' in c) || ('error' in r && r.skipped) || ('error' in c && c.skipped)) return;
    add('application', `main(): ${'error' in r ? `${ref}: ${r.error}` : `${cand}: ${(c as { error: string }).error}`}`);
    return;
  }
  const n = Math.min(r.calls.length, c.calls.length);
  let k = 0;
  while (k < n && r.calls[k] === c.calls[k]) k++;
  if (k < n)
    add(
      'application',
      `main(): step ${k + 1} (MSDK calls and peripheral register changes) is \`${r.calls[k]}\` in ${ref}, \`${c.calls[k]}\` in ${cand}` +
        (k > 0 ? ` (after \`${r.calls[k - 1]}\`).` : '.'),
    );
  else if (r.calls.length !== c.calls.length) {
    const longer = r.calls.length > c.calls.length ? r.calls : c.calls;
    add('application', `main(): ${ref} makes ${r.calls.length} MSDK calls, ${cand} ${c.calls.length}; the first ${n} agree, then \`${longer[n]}\`.`);
  }
  const sequenceAgrees = r.calls.length === c.calls.length && k === n;
  for (const name of sequenceAgrees ? [...new Set([...Object.keys(r.peripherals), ...Object.keys(c.peripherals)])].sort() : []) {
    const a = r.peripherals[name] ?? 0;
    const b = c.peripherals[name] ?? 0;
    if (a !== b) add('application', `main(): when it returns, MXC_${name} is ${hex8(a)} in ${ref}, ${hex8(b)} in ${cand}.`);
  }
  for (const address of earlier.fifoDiffers ? [] : [...new Set([...r.fifo, ...c.fifo].map((f) => f.address))].sort((x, y) => x - y)) {
    const a = r.fifo.find((f) => f.address === address);
    const b = c.fifo.find((f) => f.address === address);
    if (a?.count !== b?.count || a?.hash !== b?.hash)
      add(
        'application',
        `main(): ${fifoRegisterName(address)} receives ${a?.count ?? 0} words in ${ref}, ${b?.count ?? 0} in ${cand}` +
          (a?.count === b?.count ? ', not the same ones.' : '.'),
        address,
      );
  }
  if (r.returned !== c.returned) add('application', `main() returns ${r.returned ?? '(no main)'} in ${ref}, ${c.returned ?? '(no main)'} in ${cand}.`);
  const d = imageDifferences(r.image, c.image, earlier.started);
  if (d.first)
    add(
      'application',
      `main(): when it returns, word ${hex8(d.first.address)} is ${d.first.reference === null ? '0' : hex8(d.first.reference)} in ${ref}, ` +
        `${d.first.candidate === null ? '0' : hex8(d.first.candidate)} in ${cand} (${where(d.first.address)}).`,
      d.first.address,
    );
}
