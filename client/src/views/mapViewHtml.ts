// The pages of the kernel-map and data-memory views: static shells that their scripts (webview/src/kernelMap.ts and
// dataMemory.ts, bundled into media/scripts/) fill from the extension's messages. Pure (no `vscode` import) so the
// headless-browser tests render exactly what the panels show, strict CSP included.

import { escapeHtml, pageHead } from '../webview/webviewPage';

export type MapViewKind = 'kernelMap' | 'dataMemory';

export interface MapPageOptions {
  kind: MapViewKind;
  /** URIs as the webview sees them (asWebviewUri) of the view's script (media/scripts/), media/mapView.css and its own CSS. */
  scriptUri: string;
  styleUris: string[];
  /** webview.cspSource. */
  cspSource: string;
  /** A fresh random value for the script's CSP nonce. */
  nonce: string;
  /** The network's file name, shown until the first map arrives. */
  fileName: string;
}

export const MAP_VIEW_TITLES: Record<MapViewKind, string> = { kernelMap: 'Kernel map', dataMemory: 'Data memory' };

/** The legend of the data-memory charts (one chart per data memory, one column per step). */
const DATA_MEMORY_KEY = [
  '<span class="key-item"><svg width="14" height="12" aria-hidden="true"><rect class="write" x="3" y="1" width="8" height="10" fill="hsl(137, 62%, 56%)"/></svg> bytes a step writes (from its <code>out_offset</code>)</span>',
  '<span class="key-item"><svg width="14" height="12" aria-hidden="true"><rect class="read" x="1" y="1" width="12" height="10"/></svg> dotted frame: bytes a step reads (from its <code>in_offset</code>, as much as its input needs)</span>',
  '<span class="key-item"><svg width="14" height="12" aria-hidden="true"><rect class="conflict" x="3" y="1" width="8" height="10"/></svg> overwrites data a later step still reads</span>',
  '<span class="key-item muted">Offsets are bytes within each data memory, as <code>in_offset</code>/<code>out_offset</code> count them; hover a shape for details.</span>',
].join('\n');

export function mapViewHtml(o: MapPageOptions): string {
  const title = `${MAP_VIEW_TITLES[o.kind]}: ${o.fileName}`;
  const toolbar =
    o.kind === 'kernelMap'
      ? `<button type="button" id="toggle-text" aria-pressed="false" title="Show the map exactly as izer prints it in log.txt">Show izer's text</button>
  <label title="Show only the columns up to the last one in use"><input type="checkbox" id="zoom-used"> Zoom to used columns</label>`
      : `<label><input type="checkbox" id="show-unused"> Show unused memories</label>
  <label title="Addresses to scale (otherwise used ranges get room and empty stretches shrink)"><input type="checkbox" id="linear-scale"> Linear address scale</label>`;
  const body =
    o.kind === 'kernelMap'
      ? `<div id="legend" aria-label="Layers"></div>
<div id="axis" aria-hidden="true"></div>
<div id="grid" role="grid" aria-label="Kernel memory: 64 processors × columns"></div>
<pre id="text" hidden></pre>`
      : `<section id="problems" aria-label="Problems"></section>
<div id="steps" aria-label="Execution order"></div>
<div id="key" aria-label="Key">${DATA_MEMORY_KEY}</div>
<div id="memories"></div>`;
  return `${pageHead({ cspSource: o.cspSource, nonce: o.nonce, styleUris: o.styleUris, title })}
<body class="${o.kind}">
<header>
  <h1 id="title">${escapeHtml(title)}</h1>
  <p id="summary" class="muted">Waiting for the language server…</p>
  <div class="toolbar" role="toolbar">${toolbar}</div>
</header>
<section id="unavailable" hidden>
  <p id="unavailable-message"></p>
  <button type="button" data-command="ai8x.selectCheckpoint">Choose Checkpoint…</button>
</section>
<div id="banner" role="alert" hidden></div>
${body}
<div id="tooltip" role="tooltip" hidden></div>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}
