// Data-memory view: one chart per data-memory instance (one per group of 4 processors). Columns are the steps
// in execution order (input loader, then the layers); in each column a dashed frame marks the bytes the step
// reads and a filled bar the bytes it writes. Overwrites of data still needed are red, overflows marked.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  const state = vscode.getState() || { showUnused: false };
  const SVG = 'http://www.w3.org/2000/svg';
  let current = null;

  const { colour, el, showTip, hideTip } = window.ai8xMap;
  const reveal = (step) => window.ai8xMap.reveal(vscode, step);
  const hex = (n) => '0x' + n.toString(16).padStart(4, '0');
  // The same words as the diagnostics (memoryPlaceText in server/src/engine/analysis/dataMemory.ts).
  const place = (inst, start, end) =>
    `data memory ${inst} (processors ${4 * inst}–${4 * inst + 3}) at ${end - start <= 1 ? 'offset ' + hex(start) : 'offsets ' + hex(start) + '–' + hex(end - 1)}`;
  const offsetNote = (s, key) => {
    const v = key === 'in' ? s.inOffsetText : s.outOffsetText;
    if (s.kind !== 'layer') return key === 'in' ? '' : " (the sample input, from the first layer's in_offset)";
    if (v) return ` (from its ${key}_offset: ${v})`;
    return key === 'in' ? ' (no in_offset: where the layer before it wrote)' : ' (no out_offset: from 0x0000)';
  };
  const svgEl = (tag, attrs) => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  };

  function withTip(node, text) {
    node.dataset.tip = text;
    const t = document.createElementNS(SVG, 'title');
    t.textContent = text;
    node.appendChild(t);
    node.addEventListener('mousemove', (ev) => showTip(text, ev.clientX, ev.clientY));
    node.addEventListener('mouseleave', hideTip);
  }

  function problemList(m) {
    const box = $('problems');
    box.textContent = '';
    const items = [];
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
      if (it.step && it.step.kind === 'layer') {
        li.classList.add('layer-link');
        li.addEventListener('click', () => reveal(it.step));
      }
      ul.appendChild(li);
    }
    box.appendChild(ul);
    return items.length;
  }

  /** Address → y. Compact: every used range gets room and empty stretches shrink; linear: bytes to pixels. */
  function makeScale(m, H) {
    if (state.linear) return { y: (b) => 4 + (H * b) / m.instanceBytes, ticks: [0, m.instanceBytes / 2, m.instanceBytes] };
    const ranges = [];
    for (const s of m.steps) ranges.push(...s.writes, ...s.reads);
    for (const c of m.conflicts) ranges.push(...c.ranges);
    const bounds = new Set([0, m.instanceBytes]);
    for (const r of ranges) {
      bounds.add(Math.min(r.start, m.instanceBytes));
      bounds.add(Math.min(r.end, m.instanceBytes));
    }
    const b = [...bounds].sort((p, q) => p - q);
    const weights = [];
    for (let i = 0; i + 1 < b.length; i++) {
      const frac = (b[i + 1] - b[i]) / m.instanceBytes;
      const used = ranges.some((r) => r.start < b[i + 1] && r.end > b[i]);
      weights.push(used ? 1 + 4 * frac : 0.3 + 2 * frac);
    }
    const total = weights.reduce((p, q) => p + q, 0);
    const at = [4];
    for (const w of weights) at.push(at[at.length - 1] + (H * w) / total);
    const y = (x) => {
      if (x <= 0) return at[0];
      for (let i = 0; i + 1 < b.length; i++) if (x <= b[i + 1]) return at[i] + ((at[i + 1] - at[i]) * (x - b[i])) / (b[i + 1] - b[i]);
      return at[at.length - 1];
    };
    const ticks = [];
    for (let i = 0; i < b.length; i++) if (!ticks.length || at[i] - y(ticks[ticks.length - 1]) >= 11) ticks.push(b[i]);
    return { y, ticks };
  }

  function chart(m, inst) {
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
    let shapes = 0;
    const rect = (cls, x, w, r, fill) => {
      const h = Math.max(2, y(Math.min(r.end, m.instanceBytes)) - y(r.start));
      const a = { class: cls, x, y: Math.min(y(r.start), y(m.instanceBytes) - 2), width: w, height: h };
      if (fill) a.fill = fill;
      const node = svgEl('rect', a);
      svg.appendChild(node);
      shapes++;
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
        node.addEventListener('click', () => s.kind === 'layer' && reveal(s));
      }
      for (const r of s.writes) {
        if (r.instance !== inst) continue;
        const node = rect('write', x0 + colW / 4, colW / 2, r, colour(s.ll));
        node.dataset.step = String(i);
        withTip(
          node,
          `${s.label} writes ${place(inst, r.start, r.end)}, ${r.end - r.start} bytes${s.writesMerged ? ', interleaved' : ''}${offsetNote(s, 'out')}${r.end > m.instanceBytes ? ' — past the end of the memory' : ''}`,
        );
        node.addEventListener('click', () => s.kind === 'layer' && reveal(s));
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
    return { svg, shapes };
  }

  function render(result) {
    current = result;
    const m = result.model;
    $('title').textContent = `Data memory: ${result.fileName}`;
    $('unavailable').hidden = !!m;
    $('unavailable').querySelector('[data-command="ai8x.selectCheckpoint"]').hidden = result.action !== 'chooseCheckpoint';
    $('memories').textContent = '';
    $('steps').textContent = '';
    $('problems').textContent = '';
    if (!m) {
      $('unavailable-message').textContent = result.unavailable || 'No data-memory map.';
      $('summary').textContent = '';
      vscode.postMessage({ type: 'rendered', version: result.version, available: false, memories: 0, problems: 0 });
      return;
    }
    const used = m.instances.filter((i) => i.used);
    const bad = m.conflicts.filter((c) => !c.allowedByFlag).length;
    $('summary').textContent =
      `${m.device} · ${m.steps.length} steps · ${used.length} of ${m.instances.length} data memories used (${m.instanceBytes / 1024} KiB each) · ${bad ? bad + ' overwrite' + (bad === 1 ? '' : 's') + ' of data still needed' : 'no overwrites of data still needed'}${m.overlapData ? ' · --overlap-data' : ''}`;
    m.steps.forEach((s, i) => {
      const e = el('span', 'step' + (s.kind === 'layer' ? ' layer-link' : ''));
      const sw = el('span', 'swatch');
      sw.style.background = colour(s.ll);
      e.append(el('span', 'num', String(i)), sw, el('span', '', s.label + (s.streaming ? ' (streaming)' : '')));
      if (s.kind === 'layer') e.addEventListener('click', () => reveal(s));
      $('steps').appendChild(e);
    });
    const problems = problemList(m);
    let memories = 0;
    for (const inst of m.instances) {
      if (!inst.used && !state.showUnused) continue;
      const fig = el('figure', 'memory' + (inst.used ? '' : ' unused'));
      fig.dataset.instance = String(inst.index);
      fig.appendChild(el('figcaption', '', `Data memory ${inst.index} · processors ${inst.processors}`));
      const { svg } = chart(m, inst.index);
      fig.appendChild(svg);
      $('memories').appendChild(fig);
      memories++;
    }
    vscode.postMessage({ type: 'rendered', version: result.version, available: true, memories, problems });
  }

  const linear = $('linear-scale');
  linear.checked = !!state.linear;
  linear.addEventListener('change', () => {
    state.linear = linear.checked;
    vscode.setState(state);
    if (current) render(current);
  });
  const toggle = $('show-unused');
  toggle.checked = !!state.showUnused;
  toggle.addEventListener('change', () => {
    state.showUnused = toggle.checked;
    vscode.setState(state);
    if (current) render(current);
  });
  for (const b of document.querySelectorAll('[data-command]'))
    b.addEventListener('click', () => vscode.postMessage({ type: 'command', command: b.dataset.command }));
  window.addEventListener('message', (e) => {
    const msg = e.data;
    if (msg && msg.type === 'model') render(msg.result);
  });
  vscode.postMessage({ type: 'ready' });
})();
