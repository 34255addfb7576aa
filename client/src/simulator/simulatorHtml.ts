// The results view's page: a static shell that its script (webview/src/simulator.ts, bundled into
// media/scripts/simulator.js) fills from the extension's messages. Pure (no `vscode` import) so the headless-browser
// tests render exactly what the panel shows.

import { escapeHtml, pageHead } from '../webview/webviewPage';

export interface SimulatorPageOptions {
  /** URIs as the webview sees them (asWebviewUri) of media/scripts/simulator.js and media/simulator.css. */
  scriptUri: string;
  styleUri: string;
  /** webview.cspSource. */
  cspSource: string;
  /** A fresh random value for the script's CSP nonce. */
  nonce: string;
  /** The network's file name, shown until the first results arrive. */
  network: string;
}

export function simulatorHtml(o: SimulatorPageOptions): string {
  return `${pageHead({ cspSource: o.cspSource, nonce: o.nonce, styleUris: [o.styleUri], title: `Simulation: ${o.network}` })}
<body>
<header>
  <h1 id="title">Simulation: ${escapeHtml(o.network)}</h1>
  <p id="summary" class="muted"></p>
  <div class="toolbar" role="toolbar" aria-label="Simulation">
    <span class="group" aria-label="Run again">
      <span class="label">Run on</span>
      <button type="button" data-action="rerun" data-input="associated" title="Run again on the network's associated sample input">Associated sample</button>
      <button type="button" data-action="rerun" data-input="file" title="Run on a .npy file you choose">File…</button>
      <button type="button" data-action="rerun" data-input="random" title="Run on a seeded random input">Random…</button>
    </span>
    <span class="group" aria-label="Export">
      <button type="button" id="export-all" data-action="exportAllLayers" disabled title="Save every layer's output as .npy files in a folder you choose">Export all layers (.npy)…</button>
      <button type="button" id="export-known-answer" data-action="exportKnownAnswer" disabled title="Save the known answer in izer's sampleoutput.h form">Export known answer (sampleoutput.h)…</button>
    </span>
  </div>
</header>
<div id="status" role="status" aria-live="polite"></div>
<progress id="progress" max="1" value="0" hidden></progress>
<section id="problem" hidden>
  <h2 id="problem-title">The simulation did not run</h2>
  <p id="problem-message"></p>
  <ul id="problem-details"></ul>
</section>
<section id="warnings" hidden>
  <h2>Warnings</h2>
  <ul id="warning-list"></ul>
</section>
<section id="output" hidden>
  <h2 id="output-title">Output</h2>
  <p id="output-note" class="muted"></p>
  <div class="table-scroll">
  <table id="top-classes" hidden>
    <thead><tr><th class="num">#</th><th class="num">class</th><th class="num">probability</th><th class="bar-cell"></th><th class="num">value</th></tr></thead>
    <tbody></tbody>
  </table>
  </div>
  <div id="raw-values" hidden></div>
</section>
<section id="layers" hidden>
  <h2>Layers</h2>
  <div class="table-scroll">
  <table id="layer-table">
    <thead><tr>
      <th class="num">layer</th><th>name</th><th>op</th><th>output</th><th class="num">bits</th><th class="num">range</th>
      <th>histogram</th><th class="num">zeros</th><th class="num">MACs</th><th class="num">ms</th><th></th>
    </tr></thead>
    <tbody></tbody>
  </table>
  </div>
  <p class="muted">Layers marked ✓ are part of the known answer. Histograms: equal bins from the minimum to the maximum value, bar heights by the square root of the count (hover a bar for its count).</p>
</section>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
