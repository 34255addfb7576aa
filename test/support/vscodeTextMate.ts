// VS Code's own TextMate machinery, taken from the code-server that scripts/setup-code-server.sh installs into
// .vscode-test/: its bundled YAML grammars (the ones that colour a .yaml file in VS Code 1.100.3), its default
// colour themes, and the vscode-textmate and vscode-oniguruma builds VS Code tokenizes with. Our injection grammar
// (syntaxes/ai8x-network.injection.json) is wired in the way VS Code wires a `contributes.grammars` entry with
// `injectTo: ["source.yaml"]`.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as Onig from 'vscode-oniguruma';
import type * as TextMate from 'vscode-textmate';
import { repoRoot } from './shared';

export const INJECTION_SCOPE = 'ai8x.network.injection';

/** code-server's `lib/vscode` folder (VS Code's build), from $CODE_SERVER or .vscode-test/code-server; undefined when absent. */
export function codeServerVscodeDir(): string | undefined {
  const bins = [process.env.CODE_SERVER, path.join(repoRoot(), '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server')];
  for (const bin of bins) {
    if (!bin || !fs.existsSync(bin)) continue;
    // The bin is a link to <package>/out/node/entry.js.
    const dir = path.join(path.dirname(path.dirname(path.dirname(fs.realpathSync(bin)))), 'lib', 'vscode');
    if (fs.existsSync(path.join(dir, 'extensions', 'yaml', 'package.json'))) return dir;
  }
  return undefined;
}

/** Skips the calling suite, with a visible message, when code-server is not installed; returns its `lib/vscode`. */
export function requireCodeServer(ctx: Mocha.Context): string {
  const dir = codeServerVscodeDir();
  if (!dir) {
    console.log('      (skipped: code-server not found in .vscode-test/code-server; install it with `bash scripts/setup-code-server.sh`)');
    ctx.skip();
  }
  return dir!;
}

export interface ThemeRule {
  scope?: string | string[];
  settings: { foreground?: string; background?: string; fontStyle?: string };
}

/** A colour theme of VS Code's theme-defaults extension as VS Code reads it: the `include` chain merged, included file first. */
export function loadDefaultTheme(vscodeDir: string, file: string): { colors: Record<string, string>; tokenColors: ThemeRule[] } {
  const p = path.join(vscodeDir, 'extensions', 'theme-defaults', 'themes', file);
  const json = JSON.parse(fs.readFileSync(p, 'utf8'));
  const base = json.include ? loadDefaultTheme(vscodeDir, path.basename(json.include)) : { colors: {}, tokenColors: [] };
  return { colors: { ...base.colors, ...json.colors }, tokenColors: [...base.tokenColors, ...(json.tokenColors ?? [])] };
}

export interface Token {
  text: string;
  start: number;
  scopes: string[];
}

export interface YamlTokenizer {
  /** Tokenizes a whole document, line by line, carrying the state across lines as the editor does. */
  tokenize(text: string): Token[][];
  /** The foreground colour (#RRGGBB) of each token of each line, under the theme given to `yamlTokenizer` (tokens of one colour merge). */
  colours(text: string): { text: string; start: number; colour: string }[][];
}

interface Engine {
  tm: typeof TextMate;
  onigLib: Promise<TextMate.IOnigLib>;
}

const engines = new Map<string, Engine>();

/** code-server's vscode-textmate with its vscode-oniguruma (whose WASM can be loaded once per process). */
function engine(vscodeDir: string): Engine {
  let e = engines.get(vscodeDir);
  if (!e) {
    const load = createRequire(path.join(vscodeDir, 'package.json'));
    const tm = load('vscode-textmate') as typeof TextMate;
    const onig = load('vscode-oniguruma') as typeof Onig;
    const wasm = fs.readFileSync(path.join(path.dirname(load.resolve('vscode-oniguruma')), 'onig.wasm'));
    const onigLib = onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
      createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns),
      createOnigString: (s: string) => new onig.OnigString(s),
    }));
    e = { tm, onigLib };
    engines.set(vscodeDir, e);
  }
  return e;
}

/**
 * VS Code's YAML grammar (source.yaml and the grammars it includes, as the yaml extension's package.json lists
 * them), with or without our injection grammar, optionally with a colour theme (VS Code puts the editor foreground
 * first as the default rule, then the theme's token colours, then `extraRules` such as a user's
 * `editor.tokenColorCustomizations`).
 */
export async function yamlTokenizer(
  vscodeDir: string,
  options: { injection: boolean; theme?: string; extraRules?: ThemeRule[]; injectionFile?: string },
): Promise<YamlTokenizer> {
  const { tm, onigLib } = engine(vscodeDir);
  const yamlExt = path.join(vscodeDir, 'extensions', 'yaml');
  const grammars = new Map<string, string>();
  for (const g of JSON.parse(fs.readFileSync(path.join(yamlExt, 'package.json'), 'utf8')).contributes.grammars as { scopeName: string; path: string }[]) {
    grammars.set(g.scopeName, path.join(yamlExt, g.path));
  }
  grammars.set(INJECTION_SCOPE, options.injectionFile ?? path.join(repoRoot(), 'syntaxes', 'ai8x-network.injection.json'));
  const registry = new tm.Registry({
    onigLib,
    loadGrammar: async (scope) => {
      const file = grammars.get(scope);
      return file ? tm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
    // As VS Code's TMGrammarFactory: the injections into a scope and into each of its dotted prefixes.
    getInjections: (scope) => {
      if (!options.injection) return undefined;
      const parts = scope.split('.');
      return parts.some((_, i) => parts.slice(0, i + 1).join('.') === 'source.yaml') ? [INJECTION_SCOPE] : undefined;
    },
  });
  if (options.theme) {
    const theme = loadDefaultTheme(vscodeDir, options.theme);
    const foreground = theme.colors['editor.foreground'] ?? (/light/.test(options.theme) ? '#000000' : '#FFFFFF');
    registry.setTheme({ settings: [{ settings: { foreground } }, ...theme.tokenColors, ...(options.extraRules ?? [])] });
  }
  const grammar = await registry.loadGrammar('source.yaml');
  if (!grammar) throw new Error(`source.yaml not found in ${yamlExt}`);
  const lines = (text: string) => text.split(/\r?\n/);
  return {
    tokenize(text) {
      let state = tm.INITIAL;
      return lines(text).map((line) => {
        const r = grammar.tokenizeLine(line, state);
        state = r.ruleStack;
        return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, scopes: t.scopes }));
      });
    },
    colours(text) {
      const colorMap = registry.getColorMap();
      let state = tm.INITIAL;
      return lines(text).map((line) => {
        const r = grammar.tokenizeLine2(line, state);
        state = r.ruleStack;
        const out: { text: string; start: number; colour: string }[] = [];
        for (let i = 0; i < r.tokens.length; i += 2) {
          const end = i + 2 < r.tokens.length ? r.tokens[i + 2] : line.length;
          // EncodedTokenAttributes: the foreground colour id is in bits 15..23.
          out.push({ text: line.slice(r.tokens[i], end), start: r.tokens[i], colour: colorMap[(r.tokens[i + 1] & 0x00ff8000) >>> 15].toUpperCase() });
        }
        return out;
      });
    },
  };
}
