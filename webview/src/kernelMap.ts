// Kernel-map page: 64 processors × the device's columns, one colour per layer. Hovering a cell names the layer,
// clicking jumps to it in the YAML, a toggle shows izer's text. Filled from the extension's model messages.
import type { KernelMapLayer, KernelMapModel, MapPageMessage, MapViewResult } from '../../server/src/protocol';
import { byId, el } from './dom';
import { colour, hideTip, reveal, showTip, showUnavailable, startMapPage } from './mapCommon';
import { vscodeApi } from './vscodeApi';

interface PageState {
  showText: boolean;
  /** Zoom to the used columns: the user's choice, or null for the default (zoom when less than half is used). */
  zoom: boolean | null;
}

const api = vscodeApi<MapPageMessage, PageState>();
const state: PageState = api.getState() ?? { showText: false, zoom: null };
let current: MapViewResult<KernelMapModel> | null = null;

function applyToggle(): void {
  const toggle = byId('toggle-text');
  toggle.setAttribute('aria-pressed', String(state.showText));
  toggle.textContent = state.showText ? 'Show the map' : "Show izer's text";
  byId('text').hidden = !state.showText;
  byId('grid').hidden = state.showText;
  byId('axis').hidden = state.showText;
}

function render(result: MapViewResult<KernelMapModel>): void {
  current = result;
  const m = result.model;
  byId('title').textContent = `Kernel map: ${result.fileName}`;
  byId('banner').hidden = true;
  const grid = byId('grid');
  grid.textContent = '';
  byId('legend').textContent = '';
  byId('axis').textContent = '';
  byId('text').textContent = '';
  if (showUnavailable(result, 'No kernel map.') || !m) {
    api.postMessage({ type: 'rendered', version: result.version, available: false, layers: 0, segments: 0 });
    return;
  }
  const byLayer = new Map<number, KernelMapLayer>(m.layers.map((l) => [l.ll, l]));
  const pct = ((100 * m.usedCells) / m.totalCells).toFixed(1);
  const withKernels = m.layers.filter((l) => l.cells > 0);
  byId('summary').textContent =
    `${m.device} · ${m.usedCells} of ${m.totalCells} kernel cells used (${pct}%) · ${withKernels.length} of ${m.layers.length} layers hold kernels`;
  if (m.exhausted) {
    byId('banner').hidden = false;
    byId('banner').textContent = m.exhausted;
  }
  for (const l of withKernels) {
    const e = el('span', 'entry layer-link');
    e.dataset.layer = String(l.ll);
    const sw = el('span', 'swatch');
    sw.style.background = colour(l.ll);
    e.append(
      sw,
      el('span', 'name', l.label),
      el('span', 'detail', `processors ${l.processors} · columns ${l.columns}${l.sharedWith !== null ? ` · shares layer ${l.sharedWith}'s kernels` : ''}`),
    );
    e.title = `Go to ${l.label} in the YAML`;
    e.addEventListener('click', () => reveal(api, l));
    byId('legend').appendChild(e);
  }
  const fullW = Math.max(...m.widths);
  const lastUsed = Math.max(0, ...m.rows.flat().map((r) => r[1]));
  // Zoom by default when the network uses less than half of the columns (the user's choice is remembered).
  const zoom = state.zoom ?? lastUsed < fullW / 2;
  byId<HTMLInputElement>('zoom-used').checked = zoom;
  const maxW = zoom ? Math.min(fullW, Math.max(16, Math.ceil((lastUsed * 1.1) / 8) * 8)) : fullW;
  const ticks = 8;
  for (let i = 0; i <= ticks; i++) {
    const col = Math.round((i * maxW) / ticks);
    const t = el('span', '', String(col));
    t.style.left = `${(100 * col) / maxW}%`;
    byId('axis').appendChild(t);
  }
  let segments = 0;
  for (let p = 0; p < 64; p++) {
    const row = el('div', p % 16 === 15 ? 'row quadrant-end' : 'row');
    row.dataset.processor = String(p);
    row.setAttribute('role', 'row');
    row.appendChild(el('span', 'plabel', String(p)));
    const area = el('div', 'trackarea');
    const track = el('div', 'track');
    const shown = Math.min(m.widths[p], maxW);
    track.style.width = `${(100 * shown) / maxW}%`;
    for (const [start, end, ll] of m.rows[p]) {
      const seg = el('div', 'seg');
      const l = byLayer.get(ll);
      seg.dataset.layer = String(ll);
      seg.dataset.start = String(start);
      seg.dataset.end = String(end);
      seg.style.left = `${(100 * Math.min(start, shown)) / shown}%`;
      seg.style.width = `${(100 * (Math.min(end, shown) - Math.min(start, shown))) / shown}%`;
      seg.style.background = colour(ll);
      seg.title = `${l ? l.label : 'layer ' + ll} · processor ${p} · columns ${start}–${end - 1}`;
      if (l) seg.addEventListener('click', () => reveal(api, l));
      track.appendChild(seg);
      segments++;
    }
    track.addEventListener('mousemove', (ev) => {
      const r = track.getBoundingClientRect();
      const col = Math.max(0, Math.min(shown - 1, Math.floor(((ev.clientX - r.left) / r.width) * shown)));
      const run = m.rows[p].find(([s, e]) => col >= s && col < e);
      const l = run ? byLayer.get(run[2]) : null;
      showTip(
        run ? `${l ? l.label : 'layer ' + run[2]}${l && l.op ? ' · ' + l.op : ''}\nprocessor ${p}, column ${col}` : `processor ${p}, column ${col}: free`,
        ev.clientX,
        ev.clientY,
      );
    });
    track.addEventListener('mouseleave', hideTip);
    area.appendChild(track);
    row.appendChild(area);
    grid.appendChild(row);
  }
  byId('text').textContent = m.text;
  applyToggle();
  api.postMessage({
    type: 'rendered',
    version: result.version,
    available: true,
    layers: withKernels.length,
    segments,
    legend: withKernels.map((l) => `${l.label}: processors ${l.processors}`),
  });
}

byId<HTMLInputElement>('zoom-used').addEventListener('change', () => {
  state.zoom = byId<HTMLInputElement>('zoom-used').checked;
  api.setState(state);
  if (current) render(current);
});
byId('toggle-text').addEventListener('click', () => {
  state.showText = !state.showText;
  api.setState(state);
  applyToggle();
});
applyToggle();
startMapPage<KernelMapModel>(api, render);
