// The simulator's results page. Renders what the extension posts (running, progress, results, failed, cancelled,
// notices) and posts back the user's export and run-again requests. Text goes in with textContent only.
import type { LayerSummary, OutputSummary, SimulationSuccess, SimulatorPageMessage, SimulatorViewMessage, ValueHistogram } from '../../server/src/protocol';
import { byId, el, svgEl } from './dom';
import { vscodeApi } from './vscodeApi';

type Running = Extract<SimulatorViewMessage, { type: 'running' }>;
type Progress = Extract<SimulatorViewMessage, { type: 'progress' }>;

/** What the page shows when it is drawn again after being hidden. */
interface Failure {
  network?: string;
  message?: string;
  details?: string[];
  cancelled?: boolean;
}
interface PageState {
  running?: Running;
  result?: SimulationSuccess;
  failure?: Failure;
}

const api = vscodeApi<SimulatorPageMessage, PageState>();

const shapeText = (s: readonly number[]) => s.join('×');
const macsText = (n: number) =>
  n >= 1e9 ? (n / 1e9).toFixed(2) + ' G' : n >= 1e6 ? (n / 1e6).toFixed(2) + ' M' : n >= 1e3 ? (n / 1e3).toFixed(1) + ' k' : String(n);
const msText = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** The values histogram bin `i` covers (the same bins as the server's simulationReport.histogram). */
function binRange(h: ValueHistogram, i: number): [number, number] {
  const step = h.counts.length ? Math.ceil((h.hi - h.lo + 1) / h.counts.length) : 1;
  return [h.lo + i * step, Math.min(h.hi, h.lo + (i + 1) * step - 1)];
}

function histogramSvg(h: ValueHistogram): SVGSVGElement {
  const width = 120;
  const height = 26;
  const svg = svgEl('svg', { class: 'histogram', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', preserveAspectRatio: 'none' });
  // Bar heights follow the square root of the counts, so that a few large bins (zeros after ReLU) do not flatten the rest.
  const max = Math.sqrt(Math.max(1, ...h.counts));
  const bw = h.counts.length ? width / h.counts.length : width;
  const total = h.counts.reduce((a, b) => a + b, 0);
  svg.setAttribute('aria-label', `histogram of ${total} values from ${h.lo} to ${h.hi}`);
  h.counts.forEach((c, i) => {
    const bh = c === 0 ? 0 : Math.max(1, Math.round((Math.sqrt(c) / max) * (height - 2)));
    const r = svgEl('rect', {
      class: 'bin',
      x: (i * bw + 0.5).toFixed(2),
      width: Math.max(1, bw - 1).toFixed(2),
      y: height - bh,
      height: bh,
      'data-count': c,
    });
    const t = svgEl('title');
    const [a, b] = binRange(h, i);
    t.textContent = `${a === b ? a : `${a} … ${b}`}: ${c} value${c === 1 ? '' : 's'}`;
    r.appendChild(t);
    svg.appendChild(r);
  });
  return svg;
}

function setStatus(text: string, kind: string): void {
  const s = byId('status');
  s.textContent = text;
  s.className = kind;
}

function setExportsEnabled(on: boolean): void {
  for (const id of ['export-all', 'export-known-answer']) byId<HTMLButtonElement>(id).disabled = !on;
}

function clearSections(): void {
  for (const id of ['problem', 'warnings', 'output', 'layers']) byId(id).hidden = true;
}

function renderRunning(m: Running): void {
  clearSections();
  setExportsEnabled(false);
  byId('title').textContent = `Simulation: ${m.network}`;
  setStatus(`Simulating ${m.network} on ${m.input}…`, 'running');
  const p = byId<HTMLProgressElement>('progress');
  p.hidden = false;
  p.value = 0;
}

function renderProgress(m: Progress): void {
  const p = byId<HTMLProgressElement>('progress');
  p.hidden = false;
  p.max = Math.max(1, m.expected);
  p.value = m.done;
  setStatus(`Layer ${m.layer}${m.name ? ` (${m.name})` : ''}: ${m.done} of ${m.expected} done…`, 'running');
}

function renderFailure(m: Failure): void {
  clearSections();
  setExportsEnabled(false);
  byId('progress').hidden = true;
  if (m.network) byId('title').textContent = `Simulation: ${m.network}`;
  setStatus('', '');
  byId('problem').hidden = false;
  byId('problem-title').textContent = m.cancelled ? 'The simulation was cancelled' : 'The simulation did not run';
  byId('problem-message').textContent = m.message || '';
  byId('problem-details').replaceChildren(...(m.details || []).map((d) => el('li', 'mono', d)));
}

function renderOutput(out: OutputSummary): void {
  byId('output').hidden = false;
  byId('output-title').textContent = `Output — layer ${out.layer}, ${shapeText(out.shape)}, ${out.width}-bit`;
  const top = byId<HTMLTableElement>('top-classes');
  const raw = byId('raw-values');
  if (out.classifier && out.top) {
    byId('output-note').textContent =
      `Top ${out.top.length} of ${out.total} classes. Softmax of the outputs read as ${out.width === 32 ? 'Q17.14' : 'Q0.7'}, as izer's generated code reads them.`;
    top.hidden = false;
    raw.hidden = true;
    top.tBodies[0].replaceChildren(
      ...out.top.map((t, i) => {
        const tr = el('tr', 'class-row');
        tr.append(el('td', 'num', i + 1), el('td', 'num class-index', t.index), el('td', 'num probability', (100 * t.probability).toFixed(1) + '%'));
        const barCell = el('td', 'bar-cell');
        const bar = el('div', 'bar');
        bar.style.width = `${Math.max(0.5, 100 * t.probability).toFixed(1)}%`;
        barCell.append(bar);
        tr.append(barCell, el('td', 'num mono', t.value));
        return tr;
      }),
    );
  } else {
    top.hidden = true;
    raw.hidden = false;
    byId('output-note').textContent = out.truncated
      ? `The first ${out.values.length} of ${out.total} values in C order (export the layer as .npy for all of them).`
      : `All ${out.total} values in C order.`;
    raw.replaceChildren(el('pre', 'mono values', out.values.join(' ')));
  }
}

function renderLayers(layers: LayerSummary[]): void {
  byId('layers').hidden = false;
  byId<HTMLTableElement>('layer-table').tBodies[0].replaceChildren(
    ...layers.map((l) => {
      const tr = el('tr', 'layer-row');
      tr.dataset.layer = String(l.index);
      const n = l.shape[0] * l.shape[1] * l.shape[2];
      tr.append(
        el('td', 'num', `${l.checked ? '✓ ' : ''}${l.index}`),
        el('td', 'name', l.name || ''),
        el('td', 'op', l.op),
        el('td', 'shape mono', shapeText(l.shape)),
        el('td', 'num', l.width),
        el('td', 'num range mono', l.hasValues ? `${l.min} … ${l.max}` : '—'),
      );
      const hist = el('td', 'hist');
      if (l.hasValues) hist.append(histogramSvg(l.histogram));
      tr.append(
        hist,
        el('td', 'num', l.hasValues ? `${Math.round((100 * l.zeros) / Math.max(1, n))}%` : '—'),
        el('td', 'num', macsText(l.macs)),
        el('td', 'num time', msText(l.ms)),
      );
      const cell = el('td');
      const b = el('button', 'export-layer', '.npy');
      b.type = 'button';
      b.dataset.action = 'exportLayer';
      b.dataset.layer = String(l.index);
      b.title = `Save the output of layer ${l.index} as .npy`;
      b.disabled = !l.hasValues;
      cell.append(b);
      tr.append(cell);
      return tr;
    }),
  );
}

function renderResults(r: SimulationSuccess): void {
  clearSections();
  byId('progress').hidden = true;
  byId('title').textContent = `Simulation: ${r.network}`;
  const blocks = r.knownAnswer.length;
  byId('summary').textContent =
    `${r.device} · input ${r.input.label} (${shapeText(r.input.shape)}) · ${r.layers.length} layers · ${macsText(r.totalMacs)}MAC in ${msText(r.ms)} ms · ` +
    `known answer ${blocks} block${blocks === 1 ? '' : 's'}, ${r.knownAnswerWords} word${r.knownAnswerWords === 1 ? '' : 's'}`;
  setStatus('', '');
  if (r.warnings.length) {
    byId('warnings').hidden = false;
    byId('warning-list').replaceChildren(...r.warnings.map((w) => el('li', '', `${w.layer !== null ? `Layer ${w.layer}: ` : ''}${w.code} ${w.message}`)));
  }
  renderOutput(r.output);
  renderLayers(r.layers);
  setExportsEnabled(true);
}

let state: PageState = api.getState() ?? {};

function handle(m: SimulatorViewMessage): void {
  switch (m.type) {
    case 'running':
      state = { ...state, running: m };
      renderRunning(m);
      break;
    case 'progress':
      renderProgress(m);
      break;
    case 'results':
      state = { result: m.result };
      renderResults(m.result);
      api.postMessage({
        type: 'rendered',
        runId: m.result.runId,
        layers: document.querySelectorAll('#layer-table tbody tr').length,
        classifier: !!m.result.output.classifier,
      });
      break;
    case 'failed':
      state = { failure: m };
      renderFailure(m);
      api.postMessage({ type: 'rendered', runId: m.runId, layers: 0, failed: true });
      break;
    case 'cancelled': {
      const failure: Failure = { ...m, cancelled: true, message: 'Run it again with one of the buttons above.' };
      state = { failure };
      renderFailure(failure);
      break;
    }
    case 'notice':
      setStatus(m.text, m.kind || '');
      break;
  }
  api.setState(state);
}

/** What a button with `data-action` asks for. */
function request(b: Element): SimulatorPageMessage | null {
  const action = b.getAttribute('data-action');
  const input = b.getAttribute('data-input');
  if (action === 'rerun') return input === 'associated' || input === 'file' || input === 'random' ? { type: 'rerun', input } : null;
  if (action === 'exportLayer') return { type: 'exportLayer', layer: Number(b.getAttribute('data-layer')) };
  if (action === 'exportAllLayers' || action === 'exportKnownAnswer') return { type: action };
  return null;
}

window.addEventListener('message', (e: MessageEvent<SimulatorViewMessage>) => handle(e.data));
document.addEventListener('click', (e) => {
  const b = (e.target as Element | null)?.closest('button[data-action]');
  if (!b || (b as HTMLButtonElement).disabled) return;
  const r = request(b);
  if (r) api.postMessage(r);
});

// A panel that was hidden and shown again is rebuilt from its saved state.
if (state.result) renderResults(state.result);
else if (state.failure) renderFailure(state.failure);
api.postMessage({ type: 'ready' });
