// What the kernel-map and data-memory pages share: layer colours, the floating tooltip, the page's messages to the
// extension (ready, reveal a layer, run a command) and the model messages it receives.
import type { MapModelMessage, MapPageMessage, MapViewResult } from '../../server/src/protocol';
import { byId } from './dom';
import type { WebviewApi } from './vscodeApi';

/** One colour per layer (golden-angle hues, so neighbours differ); grey for the input loader (null). */
export const colour = (ll: number | null): string => (ll === null ? 'hsl(0, 0%, 62%)' : `hsl(${Math.round((ll * 137.508) % 360)}, 62%, 56%)`);

export function showTip(text: string, x: number, y: number): void {
  const t = byId('tooltip');
  t.textContent = text;
  t.hidden = false;
  t.style.left = Math.max(0, Math.min(x + 12, window.innerWidth - t.offsetWidth - 8)) + 'px';
  t.style.top = y + 14 + 'px';
}

export function hideTip(): void {
  byId('tooltip').hidden = true;
}

/** Asks the extension to put the cursor on this layer. */
export function reveal(api: WebviewApi<MapPageMessage, unknown>, layer: { line: number; character: number; ll: number | null }): void {
  api.postMessage({ type: 'reveal', line: layer.line, character: layer.character, ll: layer.ll });
}

/** Wires the page: its command buttons, the maps the extension sends (to `render`), then says it is ready. */
export function startMapPage<M>(api: WebviewApi<MapPageMessage, unknown>, render: (result: MapViewResult<M>) => void): void {
  for (const b of document.querySelectorAll<HTMLElement>('[data-command]'))
    b.addEventListener('click', () => api.postMessage({ type: 'command', command: b.dataset.command ?? '' }));
  window.addEventListener('message', (e: MessageEvent<MapModelMessage<M> | undefined>) => {
    if (e.data?.type === 'model') render(e.data.result);
  });
  api.postMessage({ type: 'ready' });
}

/** Shows or hides the "unavailable" section, with its checkpoint button when the extension offers it. */
export function showUnavailable(result: MapViewResult<unknown>, fallback: string): boolean {
  byId('unavailable').hidden = !!result.model;
  byId('unavailable').querySelector<HTMLElement>('[data-command="ai8x.selectCheckpoint"]')!.hidden = result.action !== 'chooseCheckpoint';
  if (result.model) return false;
  byId('unavailable-message').textContent = result.unavailable || fallback;
  byId('summary').textContent = '';
  return true;
}
