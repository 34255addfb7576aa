// The simulator results view (runs in the webview). Renders what the extension posts — running/progress/results/
// failed/cancelled — and posts back the user's export and run-again requests. Text goes in with textContent only.
// @ts-check
(function () {
  const vscode = acquireVsCodeApi();
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const SVG = 'http://www.w3.org/2000/svg';

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = String(text);
    return e;
  };
  const shapeText = (s) => s.join('×');
  const macsText = (n) =>
    n >= 1e9 ? (n / 1e9).toFixed(2) + ' G' : n >= 1e6 ? (n / 1e6).toFixed(2) + ' M' : n >= 1e3 ? (n / 1e3).toFixed(1) + ' k' : String(n);
  const msText = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

  function binRange(h, i) {
    const step = h.counts.length ? Math.ceil((h.hi - h.lo + 1) / h.counts.length) : 1;
    return [h.lo + i * step, Math.min(h.hi, h.lo + (i + 1) * step - 1)];
  }

  function histogramSvg(h) {
    const width = 120;
    const height = 26;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'histogram');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('preserveAspectRatio', 'none');
    // Bar heights follow the square root of the counts, so that a few large bins (zeros after ReLU) do not flatten the rest.
    const max = Math.sqrt(Math.max(1, ...h.counts));
    const bw = h.counts.length ? width / h.counts.length : width;
    const total = h.counts.reduce((a, b) => a + b, 0);
    svg.setAttribute('aria-label', `histogram of ${total} values from ${h.lo} to ${h.hi}`);
    h.counts.forEach((c, i) => {
      const bh = c === 0 ? 0 : Math.max(1, Math.round((Math.sqrt(c) / max) * (height - 2)));
      const r = document.createElementNS(SVG, 'rect');
      r.setAttribute('class', 'bin');
      r.setAttribute('x', (i * bw + 0.5).toFixed(2));
      r.setAttribute('width', Math.max(1, bw - 1).toFixed(2));
      r.setAttribute('y', String(height - bh));
      r.setAttribute('height', String(bh));
      r.setAttribute('data-count', String(c));
      const t = document.createElementNS(SVG, 'title');
      const [a, b] = binRange(h, i);
      t.textContent = `${a === b ? a : `${a} … ${b}`}: ${c} value${c === 1 ? '' : 's'}`;
      r.appendChild(t);
      svg.appendChild(r);
    });
    return svg;
  }

  function setStatus(text, kind) {
    const s = $('status');
    s.textContent = text;
    s.className = kind || '';
  }

  function setExportsEnabled(on) {
    for (const id of ['export-all', 'export-known-answer']) /** @type {HTMLButtonElement} */ ($(id)).disabled = !on;
  }

  function clearSections() {
    for (const id of ['problem', 'warnings', 'output', 'layers']) $(id).hidden = true;
  }

  function renderRunning(m) {
    clearSections();
    setExportsEnabled(false);
    $('title').textContent = `Simulation: ${m.network}`;
    setStatus(`Simulating ${m.network} on ${m.input}…`, 'running');
    const p = /** @type {HTMLProgressElement} */ ($('progress'));
    p.hidden = false;
    p.value = 0;
  }

  function renderProgress(m) {
    const p = /** @type {HTMLProgressElement} */ ($('progress'));
    p.hidden = false;
    p.max = Math.max(1, m.expected);
    p.value = m.done;
    setStatus(`Layer ${m.layer}${m.name ? ` (${m.name})` : ''}: ${m.done} of ${m.expected} done…`, 'running');
  }

  function renderFailure(m) {
    clearSections();
    setExportsEnabled(false);
    $('progress').hidden = true;
    if (m.network) $('title').textContent = `Simulation: ${m.network}`;
    setStatus('', '');
    $('problem').hidden = false;
    $('problem-title').textContent = m.cancelled ? 'The simulation was cancelled' : 'The simulation did not run';
    $('problem-message').textContent = m.message || '';
    const ul = $('problem-details');
    ul.replaceChildren(...(m.details || []).map((d) => el('li', 'mono', d)));
  }

  function renderOutput(out) {
    $('output').hidden = false;
    $('output-title').textContent = `Output — layer ${out.layer}, ${shapeText(out.shape)}, ${out.width}-bit`;
    const top = /** @type {HTMLTableElement} */ ($('top-classes'));
    const raw = $('raw-values');
    if (out.classifier && out.top) {
      $('output-note').textContent =
        `Top ${out.top.length} of ${out.total} classes. Softmax of the outputs read as ${out.width === 32 ? 'Q17.14' : 'Q0.7'}, as izer's generated code reads them.`;
      top.hidden = false;
      raw.hidden = true;
      const body = top.tBodies[0];
      body.replaceChildren(
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
      $('output-note').textContent = out.truncated
        ? `The first ${out.values.length} of ${out.total} values in C order (export the layer as .npy for all of them).`
        : `All ${out.total} values in C order.`;
      raw.replaceChildren(el('pre', 'mono values', out.values.join(' ')));
    }
  }

  function renderLayers(layers) {
    $('layers').hidden = false;
    const body = /** @type {HTMLTableElement} */ ($('layer-table')).tBodies[0];
    body.replaceChildren(
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
        const b = /** @type {HTMLButtonElement} */ (el('button', 'export-layer', '.npy'));
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

  function renderResults(r) {
    clearSections();
    $('progress').hidden = true;
    $('title').textContent = `Simulation: ${r.network}`;
    const blocks = r.knownAnswer.length;
    $('summary').textContent =
      `${r.device} · input ${r.input.label} (${shapeText(r.input.shape)}) · ${r.layers.length} layers · ${macsText(r.totalMacs)}MAC in ${msText(r.ms)} ms · ` +
      `known answer ${blocks} block${blocks === 1 ? '' : 's'}, ${r.knownAnswerWords} word${r.knownAnswerWords === 1 ? '' : 's'}`;
    setStatus('', '');
    if (r.warnings.length) {
      $('warnings').hidden = false;
      $('warning-list').replaceChildren(...r.warnings.map((w) => el('li', '', `${w.layer !== null ? `Layer ${w.layer}: ` : ''}${w.code} ${w.message}`)));
    }
    renderOutput(r.output);
    renderLayers(r.layers);
    setExportsEnabled(true);
  }

  let state = vscode.getState() || {};

  function handle(m) {
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
        vscode.postMessage({
          type: 'rendered',
          runId: m.result.runId,
          layers: document.querySelectorAll('#layer-table tbody tr').length,
          classifier: !!m.result.output.classifier,
        });
        break;
      case 'failed':
        state = { failure: m };
        renderFailure(m);
        vscode.postMessage({ type: 'rendered', runId: m.runId, layers: 0, failed: true });
        break;
      case 'cancelled':
        state = { failure: { ...m, cancelled: true, message: 'Run it again with one of the buttons above.' } };
        renderFailure(state.failure);
        break;
      case 'notice':
        setStatus(m.text, m.kind || '');
        break;
    }
    vscode.setState(state);
  }

  window.addEventListener('message', (e) => handle(e.data));
  document.addEventListener('click', (e) => {
    const b = /** @type {HTMLElement} */ (e.target).closest('button[data-action]');
    if (!b || /** @type {HTMLButtonElement} */ (b).disabled) return;
    const action = b.getAttribute('data-action');
    if (action === 'rerun') vscode.postMessage({ type: 'rerun', input: b.getAttribute('data-input') });
    else if (action === 'exportLayer') vscode.postMessage({ type: 'exportLayer', layer: Number(b.getAttribute('data-layer')) });
    else vscode.postMessage({ type: action });
  });

  // A panel that was hidden and shown again is rebuilt from its saved state.
  if (state.result) renderResults(state.result);
  else if (state.failure) renderFailure(state.failure);
  vscode.postMessage({ type: 'ready' });
})();
