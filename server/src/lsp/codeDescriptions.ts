// Where a diagnostic's code links to: its line in docs/codes.md (generated from the rule catalogue), which ships
// with the extension; VS Code opens the file at that line. Found once, next to the package.json above this bundle.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeDescription } from 'vscode-languageserver/node';
import { CODES_DOCUMENT, codesDocumentLine } from '../engine/rulesDocuments';

let documentUrl: string | null | undefined;

function codesDocumentUrl(): string | null {
  if (documentUrl !== undefined) return documentUrl;
  documentUrl = null;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      const file = path.join(dir, CODES_DOCUMENT);
      if (fs.existsSync(file)) documentUrl = pathToFileURL(file).href;
      return documentUrl;
    }
    if (path.dirname(dir) === dir) return documentUrl;
  }
}

/** The link for a diagnostic's code, or undefined when docs/codes.md is not there or does not list the code. */
export function codeDescription(code: string): CodeDescription | undefined {
  const line = codesDocumentLine(code);
  const url = line === null ? null : codesDocumentUrl();
  return url ? { href: `${url}#L${line}` } : undefined;
}
