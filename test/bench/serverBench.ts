// The language server under load for `npm run bench` (issue 13): a typing soak on a shipped network with its
// checkpoint (didChange → diagnostics with pauses and during continuous typing, request latency, resident memory
// over 5,000 edits), typing in a 10,000-layer file, a hover on another file while a 5 MB network is checked, and
// open/close churn (memory after a full GC). AI8X_TEST_SERVER_JS runs it against another build of the server.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InlayHintRequest } from 'vscode-languageserver-protocol';
import { TestMemoryRequest, type ServerMemoryFigures } from '../../server/src/protocol';
import { LspSession } from '../support/lspSession';
import type { OracleRun } from '../support/oracleRuns';
import { sharedDir } from '../support/shared';

const EDITS = Number(process.env.AI8X_BENCH_EDITS ?? 5000);
const MiB = 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
const ms = (x: number) => (Number.isNaN(x) ? '—' : x < 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(0)} ms`);
const rssMb = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;

/**
 * When each version of `uri` was first covered by a check. The version a publication's check read is in the
 * ai8x/status that follows it (checkedVersion), or, from a server without that field, the publication's version.
 */
class CheckedVersions {
  private readonly sentAt = new Map<number, number>();
  private covered = 0;
  private seenStatuses = 0;
  readonly latencies: number[] = [];
  /** When a check's diagnostics were published. */
  readonly publications: number[] = [];

  constructor(
    private readonly s: LspSession,
    private readonly uri: string,
  ) {}

  sent(version: number): void {
    this.sentAt.set(version, performance.now());
  }

  /** The newest version a check has read (reads the statuses that arrived since the last call). */
  get checked(): number {
    const { s, uri } = this;
    for (; this.seenStatuses < s.statuses.length; this.seenStatuses++) {
      const st = s.statuses[this.seenStatuses];
      if (st.uri !== uri) continue;
      const at = s.statusesAt[this.seenStatuses];
      let version = st.checkedVersion;
      if (version === undefined) {
        const pubs = s.published.filter((p, i) => p.uri === uri && s.publishedAt[i] <= at);
        version = pubs.length ? (pubs[pubs.length - 1].version ?? 0) : 0;
      }
      this.publications.push(at);
      for (let v = this.covered + 1; v <= version; v++) {
        const t = this.sentAt.get(v);
        if (t !== undefined) this.latencies.push(at - t);
        this.sentAt.delete(v);
      }
      this.covered = Math.max(this.covered, version);
    }
    return this.covered;
  }
}

/** Edits of a comment line: characters typed, and every 20 of them taken back one by one (as a user deletes). */
function typist(line: number, startColumn: number) {
  let typed = 0;
  let deleting = false;
  return () => {
    if (!deleting && typed === 20) deleting = true;
    if (deleting && typed === 0) deleting = false;
    const at = { line, character: startColumn + typed };
    if (deleting) {
      typed--;
      return { range: { start: { line, character: startColumn + typed }, end: at }, text: '' };
    }
    typed++;
    return { range: { start: at, end: at }, text: String.fromCharCode(97 + (typed % 26)) };
  };
}

async function typingSoak(runs: OracleRun[]): Promise<void> {
  const run = runs.find((r) => r.yaml === 'networks/aisegment-unet-large-fakept.yaml' && r.accepted) ?? runs.find((r) => r.accepted)!;
  console.log(`\n== Typing soak: ${run.yaml} with its checkpoint, ${EDITS} edits (ai8x.validation.delay 250 ms)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-bench-typing-'));
  const s = await LspSession.start({ settings: {} });
  try {
    const ckpt = sharedDir('ai8x-synthesis', run.checkpoint);
    const text = `# ai8x: device=${run.device} checkpoint="${ckpt}"\n# typing: \n` + fs.readFileSync(sharedDir('ai8x-synthesis', run.yaml), 'utf8');
    const file = path.join(dir, path.basename(run.yaml));
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    const tracker = new CheckedVersions(s, uri);
    let version = 1;
    tracker.sent(1);
    await s.open(uri, text, 1);
    await s.waitFor('the first check', () => (tracker.checked >= 1 ? true : undefined), 60000);
    const next = typist(1, '# typing: '.length);
    const hoverAt = { line: text.split('\n').findIndex((l) => /^\s+processors:/.test(l)), character: 6 };

    // With pauses: an edit, then wait for its diagnostics.
    const paused: number[] = [];
    for (let i = 0; i < 30; i++) {
      const v = ++version;
      const t0 = performance.now();
      tracker.sent(v);
      await s.change(uri, v, [next()]);
      await s.waitFor(`version ${v} checked`, () => (tracker.checked >= v ? true : undefined), 60000);
      paused.push(performance.now() - t0);
    }
    console.log(`  didChange → diagnostics, one edit then a pause: p50 ${ms(quantile(paused, 0.5))}, p95 ${ms(quantile(paused, 0.95))}`);

    // Continuous typing: an edit every 10 ms; a hover or documentSymbol after every 10th.
    const requests: number[] = [];
    const rss: number[] = [rssMb(s.proc.pid!)];
    const pending: Promise<unknown>[] = [];
    void tracker.checked;
    const from = tracker.latencies.length;
    const pubFrom = tracker.publications.length;
    const t0 = performance.now();
    for (let i = 0; i < EDITS; i++) {
      const v = ++version;
      tracker.sent(v);
      await s.change(uri, v, [next()]);
      if (i % 10 === 9) {
        const r0 = performance.now();
        const req = i % 20 === 9 ? s.hover(uri, hoverAt) : s.symbols(uri);
        pending.push(req.then(() => requests.push(performance.now() - r0)));
      }
      if (i % 500 === 499) rss.push(rssMb(s.proc.pid!));
      await sleep(10);
    }
    const typingMs = performance.now() - t0;
    await Promise.all(pending);
    void tracker.checked; // reads the statuses that arrived while typing
    const during = tracker.latencies.slice(from);
    const pubs = tracker.publications.slice(pubFrom).filter((t) => t <= t0 + typingMs);
    const gaps = pubs.map((t, i) => t - (i ? pubs[i - 1] : t0));
    await s.waitFor('the last version checked', () => (tracker.checked >= version ? true : undefined), 60000);
    rss.push(rssMb(s.proc.pid!));
    console.log(
      `  continuous typing (${EDITS} edits in ${(typingMs / 1000).toFixed(0)} s): ${pubs.length} publications, longest gap ${pubs.length ? ms(Math.max(...gaps)) : '—'}; ` +
        `didChange → diagnostics p50 ${ms(quantile(during, 0.5))}, p95 ${ms(quantile(during, 0.95))}`,
    );
    console.log(
      `  requests while typing (${requests.length} hovers and documentSymbols): p50 ${ms(quantile(requests, 0.5))}, p95 ${ms(quantile(requests, 0.95))}, max ${ms(Math.max(...requests))}`,
    );
    console.log(`  resident memory: ${rss.map((x) => x.toFixed(0)).join(' → ')} MB (every 500 edits)`);
  } finally {
    await s.shutdown().catch(() => undefined);
    s.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function generatedNetwork(layers: number): string {
  const out = ['arch: generated', 'dataset: shapes', '# typing: ', 'layers:'];
  for (let i = 0; i < layers; i++)
    out.push('  - processors: 0x0000000000000001', `    out_offset: 0x${i % 2 ? '2000' : '0000'}`, '    op: passthrough', `    name: layer${i}`);
  return out.join('\n') + '\n';
}

async function largeFileTyping(): Promise<void> {
  console.log('\n== Typing for 2 s in a 10,000-layer file (1 MB): an edit and a documentSymbol request every 50 ms');
  const s = await LspSession.start({ settings: {} });
  try {
    const uri = pathToFileURL(path.join(os.tmpdir(), 'ai8x-bench-10000-layers.yaml')).href;
    const tracker = new CheckedVersions(s, uri);
    tracker.sent(1);
    await s.open(uri, generatedNetwork(10_000), 1);
    await s.waitFor('the first check', () => (tracker.checked >= 1 ? true : undefined), 120000);
    const next = typist(2, '# typing: '.length);
    const requests: Promise<number>[] = [];
    let version = 1;
    const t0 = performance.now();
    while (performance.now() - t0 < 2000) {
      const v = ++version;
      tracker.sent(v);
      await s.change(uri, v, [next()]);
      const r0 = performance.now();
      requests.push(s.symbols(uri).then(() => performance.now() - r0));
      await sleep(50);
    }
    const times = await Promise.all(requests);
    await s.waitFor('the last version checked', () => (tracker.checked >= version ? true : undefined), 120000);
    console.log(
      `  ${times.length} requests: p50 ${ms(quantile(times, 0.5))}, max ${ms(Math.max(...times))}; last edit checked ${ms(performance.now() - t0 - 2000)} after typing stopped`,
    );
  } finally {
    await s.shutdown().catch(() => undefined);
    s.dispose();
  }
}

async function hoverBesideHugeCheck(): Promise<void> {
  console.log('\n== A hover on another file while a 5 MB network is checked — target < 100 ms');
  const s = await LspSession.start({ settings: {} });
  try {
    const small = pathToFileURL(path.join(os.tmpdir(), 'ai8x-bench-small.yaml')).href;
    const smallText =
      'arch: tiny\ndataset: shapes\nlayers:\n  - processors: 0x0000000000000007\n    out_offset: 0x2000\n    op: conv2d\n    kernel_size: 3x3\n';
    await s.open(small, smallText, 1);
    await s.diagnosticsFor(small, 1, 20000);
    const huge = pathToFileURL(path.join(os.tmpdir(), 'ai8x-bench-huge.yaml')).href;
    const hugeText = generatedNetwork(50_000);
    const t0 = performance.now();
    await s.open(huge, hugeText, 1);
    const done = s.diagnosticsFor(huge, 1, 120000).then(() => performance.now() - t0);
    let finished = false;
    void done.then(() => (finished = true));
    const hovers: number[] = [];
    await sleep(100);
    while (!finished) {
      const h0 = performance.now();
      await s.hover(small, { line: 3, character: 6 });
      hovers.push(performance.now() - h0);
      await sleep(100);
    }
    const checkMs = await done;
    console.log(
      `  ${(hugeText.length / 1e6).toFixed(1)} MB network checked in ${ms(checkMs)}; ${hovers.length} hovers on the other file meanwhile: ` +
        `p50 ${ms(quantile(hovers, 0.5))}, max ${ms(Math.max(...hovers))}`,
    );
  } finally {
    await s.shutdown().catch(() => undefined);
    s.dispose();
  }
}

async function openCloseChurn(runs: OracleRun[]): Promise<void> {
  const run = runs.find((r) => r.yaml === 'networks/cifar10-nas.yaml' && r.accepted) ?? runs.find((r) => r.accepted)!;
  console.log(
    `\n== Open/close churn: ${run.yaml} with its checkpoint opened, documentSymbol + inlayHint sent, closed (every other time before they answer), 300 times`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-bench-churn-'));
  const s = await LspSession.start({ settings: {}, testHooks: true });
  try {
    const text =
      `# ai8x: device=${run.device} checkpoint="${sharedDir('ai8x-synthesis', run.checkpoint)}"\n` +
      fs.readFileSync(sharedDir('ai8x-synthesis', run.yaml), 'utf8');
    const memory = (): Promise<ServerMemoryFigures> => s.conn.sendRequest(TestMemoryRequest, {});
    const churn = async (from: number, n: number) => {
      const answers: Promise<unknown>[] = [];
      for (let i = from; i < from + n; i++) {
        const uri = pathToFileURL(path.join(dir, `churn-${i}.yaml`)).href;
        await s.open(uri, text, 1);
        answers.push(
          s.symbols(uri),
          s.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 500, character: 0 } } }),
        );
        await s.close(uri);
      }
      await Promise.all(answers);
    };
    await churn(0, 10);
    await sleep(500);
    const before = await memory();
    const rss0 = rssMb(s.proc.pid!);
    await churn(10, 300);
    await sleep(1000);
    const after = await memory();
    const rss1 = rssMb(s.proc.pid!);
    const heap = (m: ServerMemoryFigures) => (m.heapUsed + m.workers.reduce((n, w) => n + w.heapUsed, 0)) / MiB;
    const buffers = (m: ServerMemoryFigures) => (m.arrayBuffers + m.workers.reduce((n, w) => n + w.arrayBuffers, 0)) / MiB;
    console.log(
      `  after a full GC: heap ${heap(before).toFixed(1)} → ${heap(after).toFixed(1)} MB (${(heap(after) - heap(before)).toFixed(1)}), ` +
        `array buffers ${buffers(before).toFixed(1)} → ${buffers(after).toFixed(1)} MB (${(buffers(after) - buffers(before)).toFixed(1)}); ` +
        `resident ${rss0.toFixed(0)} → ${rss1.toFixed(0)} MB`,
    );
  } finally {
    await s.shutdown().catch(() => undefined);
    s.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function serverBench(runs: OracleRun[]): Promise<void> {
  await hoverBesideHugeCheck();
  await largeFileTyping();
  await openCloseChurn(runs);
  await typingSoak(runs);
}
