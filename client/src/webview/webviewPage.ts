// What the extension's webview pages share: HTML escaping, the script nonce and a document head with a strict CSP
// (styles and images from the extension's media folder, scripts only with the nonce). No `vscode` import, so the
// headless-browser tests render exactly what the panels show.
import { randomBytes } from 'node:crypto';

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A fresh random value for a page's CSP script nonce. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** `<!DOCTYPE html>` up to and including `</head>`. */
export function pageHead(o: { cspSource: string; nonce: string; styleUris: readonly string[]; title: string }): string {
  const csp = `default-src 'none'; style-src ${o.cspSource}; img-src ${o.cspSource} data:; script-src 'nonce-${o.nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
${o.styleUris.map((u) => `<link rel="stylesheet" href="${escapeHtml(u)}">`).join('\n')}
<title>${escapeHtml(o.title)}</title>
</head>`;
}
