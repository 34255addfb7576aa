// Data-memory page: one chart per data-memory instance (one per group of 4 processors). Columns are the steps in
// execution order (input loader, then the layers); in each column a dashed frame marks the bytes the step reads and
// a filled bar the bytes it writes. Overwrites of data still needed are red, overflows marked.
import type { DataMemoryModel, DataMemoryStep, MapPageMessage, MapViewResult } from '../../server/src/protocol';
import { byId, el, svgEl } from './dom';
import { colour, hideTip, reveal, showTip, showUnavailable, startMapPage } from './mapCommon';
import { vscodeApi } from './vscodeApi';

interface PageState {
  showUnused: boolean;
  /** Addresses to scale; otherwise used ranges get room and empty stretches shrink. */
  linear?: boolean;
}

interface Span {
  start: number;
  end: number;
}

const api = vscodeApi<MapPageMessage, PageState>();
const state: PageState = api.getState() ?? { showUnused: false };
let current: MapViewResult<DataMemoryModel> | null = null;

const hex = (n: number) => '0x' + n.toString(16).padStart(4, '0');
// The same words as the diagnostics (memoryPlaceText in server/src/engine/analysis/dataMemory.ts).
const place = (inst: number, start: number, end: number) =>
  `data memory ${inst} (processors ${4 * inst}–${4 * inst + 3}) at ${end - start <= 1 ? 'offset ' + hex(start) : 'offsets ' + hex(start) + '–' + hex(end - 1)}`;
const offsetNote = (s: DataMemoryStep, key: 'in' | 'out') => {
  const v = key === 'in' ? s.inOffsetText : s.outOffsetText;
  if (s.kind !== 'layer') return key === 'in' ? '' : " (the sample input, from the first layer's in_offset)";
  if (v) return ` (from its ${key}_offset: ${v})`;
  return key === 'in' ? ' (no in_offset: where the layer before it wrote)' : ' (no out_offset: from 0x0000)';
};
const revealStep = (s: DataMemoryStep) => reveal(api, s);

function withTip(node: SVGElement, text: string): void {
  node.dataset.tip = text;
  const t = svgEl('title');
  t.textContent = text;
  node.appendChild(t);
  node.addEventListener('mousemove', (ev) => showTip(text, ev.clientX, ev.clientY));
  node.addEventListener('mouseleave', hideTip);
}

interface ProblemItem {
  cls: string;
  text: string;
  step: DataMemoryStep | null;
  kind: 'conflict' | 'overflow' | 'diagnostic' | 'incomplete';
}

function problemList(m: DataMemoryModel): number {
  const box = byId('problems');
  box.textContent = '';
  const items: ProblemItem[] = [];
  for (const c of m.conflicts) {
    const w = m.steps[c.writer];
    const p = m.steps[c.producer];
    const r = m.steps[c.reader];
    const where = c.ranges
      .slice(0, 3)
      .map((x) => place(x.instance, x.start, x.end))
      .join(', ');
    const who = c.allowedByFlag ? 'allowed by --overlap-data' : c.checkedByIzer ? 'izer stops here (rule 280)' : 'izer does not check this (AX305)';
    items.push({
      cls: c.allowedByFlag ? 'allowed' : c.checkedByIzer ? 'error' : 'warning',
      text: `${w.label} overwrites ${c.bytes} bytes of ${p.label === 'input loader' ? 'the input' : p.label + "'s output"} (${where}) that ${r.label} still reads — ${who}.`,
      step: w,
      kind: 'conflict',
    });
  }
  for (const s of m.steps) {
    if (s.overflowBytes > 0)
      items.push({ cls: 'error', text: `${s.label} writes ${s.overflowBytes} bytes past the end of the data memory.`, step: s, kind: 'overflow' });
    for (const d of s.problems) {
      if (d.code === 'IZ280' || d.code === 'AX305') continue;
      items.push({ cls: d.severity, text: `${s.label}: ${d.message} (${d.code})`, step: s, kind: 'diagnostic' });
    }
  }
  if (m.incomplete) items.push({ cls: 'error', text: m.incomplete, step: null, kind: 'incomplete' });
  if (!items.length) {
    box.appendChild(el('p', 'muted ok', 'No overflows and no overwrites of data still needed.'));
    return items.length;
  }
  const ul = el('ul');
  for (const it of items) {
    const li = el('li', it.cls + ' ' + it.kind, it.text);
    const step = it.step;
    if (step && step.kind === 'layer') {
      li.classList.add('layer-link');
      li.addEventListener('click', () => revealStep(step));
    }
    ul.appendChild(li);
  }
  box.appendChild(ul);
  return items.length;
}

/** Address → y. Compact: every used range gets room and empty stretches shrink; linear: bytes to pixels. */
function makeScale(m: DataMemoryModel, H: number): { y: (bytes: number) => number; ticks: number[] } {
  if (state.linear) return { y: (b) => 4 + (H * b) / m.instanceBytes, ticks: [0, m.instanceBytes / 2, m.instanceBytes] };
  const ranges: Span[] = [];
  for (const s of m.steps) ranges.push(...s.writes, ...s.reads);
  for (const c of m.conflicts) ranges.push(...c.ranges);
  const bounds = new Set([0, m.instanceBytes]);
  for (const r of ranges) {
    bounds.add(Math.min(r.start, m.instanceBytes));
    bounds.add(Math.min(r.end, m.instanceBytes));
  }
  const b = [...bounds].sort((p, q) => p - q);
  const weights: number[] = [];
  for (let i = 0; i + 1 < b.length; i++) {
    const frac = (b[i + 1] - b[i]) / m.instanceBytes;
    const used = ranges.some((r) => r.start < b[i + 1] && r.end > b[i]);
    weights.push(used ? 1 + 4 * frac : 0.3 + 2 * frac);
  }
  const total = weights.reduce((p, q) => p + q, 0);
  const at = [4];
  for (const w of weights) at.push(at[at.length - 1] + (H * w) / total);
  const y = (x: number) => {
    if (x <= 0) return at[0];
    for (let i = 0; i + 1 < b.length; i++) if (x <= b[i + 1]) return at[i] + ((at[i + 1] - at[i]) * (x - b[i])) / (b[i + 1] - b[i]);
    return at[at.length - 1];
  };
  const ticks: number[] = [];
  for (let i = 0; i < b.length; i++) if (!ticks.length || at[i] - y(ticks[ticks.length - 1]) >= 11) ticks.push(b[i]);
  return { y, ticks };
}

function chart(m: DataMemoryModel, inst: number): SVGSVGElement {
  const n = m.steps.length;
  const colW = Math.max(16, Math.min(40, Math.floor(560 / Math.max(1, n))));
  const left = 44;
  const H = 200;
  const W = left + n * colW + 6;
  const { y, ticks } = makeScale(m, H);
  const svg = svgEl('svg', { width: W, height: H + 20, viewBox: `0 0 ${W} ${H + 20}`, role: 'img' });
  for (const b of ticks) {
    svg.appendChild(svgEl('line', { class: 'gridline', x1: left - 3, x2: W, y1: y(b), y2: y(b) }));
    const t = svgEl('text', { x: 2, y: y(b) + 3 });
    t.textContent = hex(b);
    svg.appendChild(t);
  }
  const rect = (cls: string, x: number, w: number, r: Span, fill?: string) => {
    const h = Math.max(2, y(Math.min(r.end, m.instanceBytes)) - y(r.start));
    const a: Record<string, string | number> = { class: cls, x, y: Math.min(y(r.start), y(m.instanceBytes) - 2), width: w, height: h };
    if (fill) a.fill = fill;
    const node = svgEl('rect', a);
    svg.appendChild(node);
    return node;
  };
  for (let i = 1; i < n; i++) svg.appendChild(svgEl('line', { class: 'gridline column', x1: left + i * colW, x2: left + i * colW, y1: 4, y2: H + 4 }));
  m.steps.forEach((s, i) => {
    const x0 = left + i * colW;
    const label = svgEl('text', { x: x0 + colW / 2 - 3, y: H + 16 });
    label.textContent = String(i);
    svg.appendChild(label);
    for (const r of s.reads) {
      if (r.instance !== inst) continue;
      const node = rect('read', x0 + 2, colW - 4, r);
      node.dataset.step = String(i);
      withTip(
        node,
        `Dotted frame: ${s.label} reads ${place(inst, r.start, r.end)}, ${r.end - r.start} bytes${offsetNote(s, 'in')} — its input, written by an earlier step`,
      );
      node.addEventListener('click', () => s.kind === 'layer' && revealStep(s));
    }
    for (const r of s.writes) {
      if (r.instance !== inst) continue;
      const node = rect('write', x0 + colW / 4, colW / 2, r, colour(s.ll));
      node.dataset.step = String(i);
      withTip(
        node,
        `${s.label} writes ${place(inst, r.start, r.end)}, ${r.end - r.start} bytes${s.writesMerged ? ', interleaved' : ''}${offsetNote(s, 'out')}${r.end > m.instanceBytes ? ' — past the end of the memory' : ''}`,
      );
      node.addEventListener('click', () => s.kind === 'layer' && revealStep(s));
    }
    if (s.overflowBytes > 0 && s.writes.some((r) => r.instance === inst)) {
      const node = rect('overflow', x0 + 1, colW - 2, { start: m.instanceBytes - 1, end: m.instanceBytes });
      node.dataset.step = String(i);
      withTip(node, `${s.label} writes ${s.overflowBytes} bytes past the end of the data memory`);
    }
  });
  for (const c of m.conflicts) {
    const x0 = left + c.writer * colW;
    for (const r of c.ranges) {
      if (r.instance !== inst) continue;
      const node = rect(c.allowedByFlag ? 'conflict allowed' : 'conflict', x0 + colW / 4, colW / 2, r);
      node.dataset.code = c.code;
      withTip(
        node,
        `${m.steps[c.writer].label} overwrites ${place(inst, r.start, r.end)}: ${m.steps[c.producer].label}'s data, still read by ${m.steps[c.reader].label} (${c.code}${c.checkedByIzer ? ', izer checks this' : ', izer does not check this'})`,
      );
    }
  }
  return svg;
}

function render(result: MapViewResult<DataMemoryModel>): void {
  current = result;
  const m = result.model;
  byId('title').textContent = `Data memory: ${result.fileName}`;
  byId('memories').textContent = '';
  byId('steps').textContent = '';
  byId('problems').textContent = '';
  if (showUnavailable(result, 'No data-memory map.') || !m) {
    api.postMessage({ type: 'rendered', version: result.version, available: false, memories: 0, problems: 0 });
    return;
  }
  const used = m.instances.filter((i) => i.used);
  const bad = m.conflicts.filter((c) => !c.allowedByFlag).length;
  byId('summary').textContent =
    `${m.device} · ${m.steps.length} steps · ${used.length} of ${m.instances.length} data memories used (${m.instanceBytes / 1024} KiB each) · ${bad ? bad + ' overwrite' + (bad === 1 ? '' : 's') + ' of data still needed' : 'no overwrites of data still needed'}${m.overlapData ? ' · --overlap-data' : ''}`;
  m.steps.forEach((s, i) => {
    const e = el('span', 'step' + (s.kind === 'layer' ? ' layer-link' : ''));
    const sw = el('span', 'swatch');
    sw.style.background = colour(s.ll);
    e.append(el('span', 'num', String(i)), sw, el('span', '', s.label + (s.streaming ? ' (streaming)' : '')));
    if (s.kind === 'layer') e.addEventListener('click', () => revealStep(s));
    byId('steps').appendChild(e);
  });
  const problems = problemList(m);
  let memories = 0;
  for (const inst of m.instances) {
    if (!inst.used && !state.showUnused) continue;
    const fig = el('figure', 'memory' + (inst.used ? '' : ' unused'));
    fig.dataset.instance = String(inst.index);
    fig.appendChild(el('figcaption', '', `Data memory ${inst.index} · processors ${inst.processors}`));
    fig.appendChild(chart(m, inst.index));
    byId('memories').appendChild(fig);
    memories++;
  }
  api.postMessage({ type: 'rendered', version: result.version, available: true, memories, problems });
}

const linear = byId<HTMLInputElement>('linear-scale');
linear.checked = !!state.linear;
linear.addEventListener('change', () => {
  state.linear = linear.checked;
  api.setState(state);
  if (current) render(current);
});
const toggle = byId<HTMLInputElement>('show-unused');
toggle.checked = !!state.showUnused;
toggle.addEventListener('change', () => {
  state.showUnused = toggle.checked;
  api.setState(state);
  if (current) render(current);
});
startMapPage<DataMemoryModel>(api, render);
