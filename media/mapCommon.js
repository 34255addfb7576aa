// What the kernel-map and data-memory views share (loaded before either, with the same CSP nonce): layer colours,
// element building, the floating tooltip and revealing a layer in the YAML. Exposed as window.ai8xMap.
(function () {
  'use strict';
  const tooltip = () => document.getElementById('tooltip');
  window.ai8xMap = {
    /** One colour per layer (golden-angle hues, so neighbours differ); grey for the input loader (null). */
    colour: (ll) => (ll === null ? 'hsl(0, 0%, 62%)' : `hsl(${Math.round((ll * 137.508) % 360)}, 62%, 56%)`),
    el(tag, cls, text) {
      const e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    },
    showTip(text, x, y) {
      const t = tooltip();
      t.textContent = text;
      t.hidden = false;
      t.style.left = Math.max(0, Math.min(x + 12, window.innerWidth - t.offsetWidth - 8)) + 'px';
      t.style.top = y + 14 + 'px';
    },
    hideTip() {
      tooltip().hidden = true;
    },
    /** Asks the extension to put the cursor on this layer (anything with line, character and ll). */
    reveal(vscode, layer) {
      vscode.postMessage({ type: 'reveal', line: layer.line, character: layer.character, ll: layer.ll });
    },
  };
})();
