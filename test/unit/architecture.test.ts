// The design rules the code must keep: folders depend one way (no cycle between them), the engine is pure (no
// `vscode`, no language-server library, no file system or processes), and neither the client nor the webview pages
// carry the engine.
import * as assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/shared';

interface SourceFile {
  file: string;
  module: string;
  imports: string[];
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** A file's module: its folder, except the engine's top-level files, which are modules of their own. */
function moduleOf(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const dir = path.posix.dirname(rel);
  return dir === 'server/src/engine' || dir === 'server/src' ? rel.replace(/\.ts$/, '') : dir;
}

function readSources(): SourceFile[] {
  const root = repoRoot();
  const files = [...sources(path.join(root, 'server', 'src')), ...sources(path.join(root, 'client', 'src'))];
  return files.map((file) => ({
    file,
    module: moduleOf(root, file),
    imports: [...fs.readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]),
  }));
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base + '.ts', path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  return null;
}

describe('architecture', () => {
  const all = readSources();
  const root = repoRoot();

  it('folders depend one way: the module graph has no cycle', () => {
    const graph = new Map<string, Set<string>>();
    for (const s of all) {
      for (const spec of s.imports) {
        const target = resolveImport(s.file, spec);
        if (!target) continue;
        const m = moduleOf(root, target);
        if (m === s.module) continue;
        if (!graph.has(s.module)) graph.set(s.module, new Set());
        graph.get(s.module)!.add(m);
      }
    }
    // Depth-first search for a back edge; report the cycle it closes.
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (m: string): void => {
      state.set(m, 'open');
      stack.push(m);
      for (const n of graph.get(m) ?? []) {
        if (state.get(n) === 'open') cycles.push([...stack.slice(stack.indexOf(n)), n].join(' → '));
        else if (!state.has(n)) visit(n);
      }
      stack.pop();
      state.set(m, 'done');
    };
    for (const m of graph.keys()) if (!state.has(m)) visit(m);
    console.log(`      ${graph.size} modules, ${[...graph.values()].reduce((a, s) => a + s.size, 0)} dependencies between them`);
    assert.ok(graph.size > 10, 'the sources were found');
    assert.deepEqual(cycles, []);
  });

  it('the engine is pure: no vscode, no language-server library, no file system, no processes', () => {
    const engine = all.filter((s) => s.module.startsWith('server/src/engine'));
    assert.ok(engine.length > 50);
    const bad = engine.flatMap((s) =>
      s.imports
        .filter((i) => /^(vscode|vscode-languageserver.*|vscode-languageclient.*|(node:)?(fs|child_process|worker_threads|net|http|https))$/.test(i))
        .map((i) => `${path.relative(root, s.file)} imports ${i}`),
    );
    assert.deepEqual(bad, []);
  });

  it('the server never imports the client', () => {
    const bad: string[] = [];
    for (const s of all) {
      for (const spec of s.imports) {
        const target = resolveImport(s.file, spec);
        if (!target) continue;
        const rel = path.relative(root, target).split(path.sep).join('/');
        if (s.module.startsWith('server/') && rel.startsWith('client/')) bad.push(`${path.relative(root, s.file)} → ${rel}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('the client imports from the server only the protocol, the shared leaf modules, the synthesis runner and the process runner, never the engine', () => {
    const client = all.filter((s) => s.module.startsWith('client/'));
    assert.ok(client.length > 10);
    const allowed = (rel: string) => rel === 'server/src/protocol.ts' || /^server\/src\/(shared|synthesis|process)\//.test(rel);
    const bad: string[] = [];
    for (const s of client) {
      for (const spec of s.imports) {
        const target = resolveImport(s.file, spec);
        const rel = target && path.relative(root, target).split(path.sep).join('/');
        if (rel?.startsWith('server/') && !allowed(rel)) bad.push(`${path.relative(root, s.file)} → ${rel}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('the application layer depends on the engine, the workspace, the synthesis runner and the project image, never on a front end', () => {
    const app = all.filter((s) => s.module === 'server/src/app');
    assert.ok(app.length > 5, 'app/ was found');
    const allowed = /^server\/src\/(engine|workspace|synthesis|projectImage|shared)\/|^server\/src\/protocol\.ts$/;
    const bad: string[] = [];
    for (const s of app) {
      for (const spec of s.imports) {
        const target = resolveImport(s.file, spec);
        const rel = target && path.relative(root, target).split(path.sep).join('/');
        if (rel && !rel.startsWith('server/src/app/') && !allowed.test(rel)) bad.push(`${path.relative(root, s.file)} → ${rel}`);
      }
      // The protocol's request objects come from the language-server library: app/ takes its types only.
      const text = fs.readFileSync(s.file, 'utf8');
      if (/^import\s+\{[^}]*\}\s+from\s+'\.\.\/protocol'/m.test(text))
        bad.push(`${path.relative(root, s.file)} imports values from protocol.ts (use import type)`);
    }
    assert.deepEqual(bad, []);
  });

  it('the front ends check through the application layer: no CheckInput is built by hand outside app/ and the engine', () => {
    const frontEnds = all.filter((s) => !s.module.startsWith('server/src/engine') && s.module !== 'server/src/app');
    const bad = frontEnds.flatMap((s) => {
      const text = fs.readFileSync(s.file, 'utf8');
      return [...text.matchAll(/\b(checkNetwork|CheckInput|resolveInputs)\b/g)].map((m) => `${path.relative(root, s.file)} uses ${m[1]}`);
    });
    assert.deepEqual(bad, []);
    const usesApp = (dir: string) => all.some((s) => s.module.startsWith(dir) && s.imports.some((i) => /(^|\/)app\//.test(i)));
    assert.ok(usesApp('server/src/cli') && usesApp('server/src/lsp'), 'the CLI and the language server both go through app/');
  });

  it("the language server is split by thread: the worker never reaches the server's thread, which takes only the worker's types", () => {
    const lsp = all.filter((s) => s.module.startsWith('server/src/lsp'));
    const folder = (m: string) => m.replace(/^server\/src\/lsp\/?/, '') || '(both threads)';
    assert.deepEqual([...new Set(lsp.map((s) => folder(s.module)))].sort(), ['(both threads)', 'handlers', 'state', 'worker']);
    const bad: string[] = [];
    for (const s of lsp) {
      const text = fs.readFileSync(s.file, 'utf8');
      for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)) {
        const target = resolveImport(s.file, m[3]);
        if (!target) continue;
        const to = moduleOf(root, target);
        if (!to.startsWith('server/src/lsp') || to === s.module) continue;
        const [from, into, typeOnly] = [folder(s.module), folder(to), !!m[2]];
        const ok =
          into === '(both threads)'
            ? true
            : from === '(both threads)'
              ? false
              : from === 'worker'
                ? false
                : into === 'worker'
                  ? typeOnly
                  : from === 'handlers' || (from === 'state' && into === 'state');
        if (!ok) bad.push(`${path.relative(root, s.file)} → ${path.relative(root, target)}${typeOnly ? ' (types)' : ''}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('the shared leaf modules import nothing but each other and Node built-ins', () => {
    const shared = all.filter((s) => s.module.startsWith('server/src/shared'));
    assert.ok(shared.length > 0);
    const inShared = (s: SourceFile, spec: string) => {
      const target = resolveImport(s.file, spec);
      return target ? moduleOf(root, target).startsWith('server/src/shared') : spec.startsWith('node:');
    };
    const bad = shared.flatMap((s) => s.imports.filter((spec) => !inShared(s, spec)).map((spec) => `${path.relative(root, s.file)} → ${spec}`));
    assert.deepEqual(bad, []);
  });

  it('the webview pages import from the server only types of the protocol, and their bundles hold nothing but webview/src', async () => {
    const dir = path.join(root, 'webview', 'src');
    const pages = sources(dir);
    assert.ok(pages.length >= 4, 'the webview sources were found');
    const bad: string[] = [];
    for (const file of pages) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/^(import|export)(\s+type)?\s[^;]*?from\s+'([^']+)'/gm)) {
        const target = resolveImport(file, m[3]);
        const rel = target ? path.relative(root, target).split(path.sep).join('/') : m[3];
        if (rel.startsWith('webview/src/')) continue;
        if (rel === 'server/src/protocol.ts' && m[2]) continue;
        bad.push(`${path.relative(root, file)} → ${m[3]}`);
      }
    }
    assert.deepEqual(bad, []);
    for (const entry of ['kernelMap', 'dataMemory', 'simulator']) {
      const r = await esbuild.build({
        absWorkingDir: root,
        entryPoints: [path.join(dir, `${entry}.ts`)],
        bundle: true,
        platform: 'browser',
        format: 'iife',
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(r.metafile.inputs).map((f) => f.split(path.sep).join('/'));
      assert.ok(inputs.includes(`webview/src/${entry}.ts`), `the ${entry} bundle was inspected: ${inputs.join(', ')}`);
      assert.deepEqual(
        inputs.filter((f) => !f.startsWith('webview/src/')),
        [],
        `the ${entry} page's bundle`,
      );
    }
  });

  it('ARCHITECTURE.md is true: every source folder is on its map, and every file and name it mentions exists', () => {
    const doc = fs.readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8');
    const mentioned = [...doc.matchAll(/`((?:server|client|webview|test|docs)\/[^`#\s<>…]*)(?:#(\w+))?`/g)];
    assert.ok(mentioned.length > 30, `ARCHITECTURE.md mentions the code (${mentioned.length} references)`);
    const bad: string[] = [];
    for (const [, rel, name] of mentioned) {
      const p = path.join(root, rel);
      if (!fs.existsSync(p)) {
        bad.push(`${rel} does not exist`);
        continue;
      }
      if (name && !new RegExp(`(?:const|let|function\\*?|class|interface|type)\\s+${name}\\b`).test(fs.readFileSync(p, 'utf8')))
        bad.push(`${rel} defines no ${name}`);
    }
    const folders = (dir: string) =>
      fs
        .readdirSync(path.join(root, dir), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => `${dir}/${e.name}`);
    const named = new Set(mentioned.map((m) => m[1].replace(/\/$/, '')));
    for (const folder of ['server/src', 'server/src/engine', 'client/src', 'server/src/lsp'].flatMap(folders))
      if (!named.has(folder)) bad.push(`${folder} is not on the map`);
    assert.deepEqual(bad, []);
  });

  it('the layers of the map: each folder imports only from its own layer and the ones below it', () => {
    const layerOf = (m: string): number | null => {
      if (/^server\/src\/(engine|shared|process)(\/|$)/.test(m)) return 0;
      if (/^server\/src\/(workspace|synthesis|projectImage|example)(\/|$)/.test(m)) return 1;
      if (m === 'server/src/protocol') return 1;
      if (m.startsWith('server/src/app')) return 2;
      if (/^server\/src\/(lsp|cli)(\/|$)/.test(m) || m === 'server/src/server') return 3;
      if (m.startsWith('client/')) return 4;
      return null;
    };
    const bad: string[] = [];
    let edges = 0;
    for (const s of all) {
      const from = layerOf(s.module);
      if (from === null) bad.push(`${s.module} is in no layer`);
      for (const spec of s.imports) {
        const target = resolveImport(s.file, spec);
        if (!target) continue;
        const to = layerOf(moduleOf(root, target));
        edges++;
        if (from !== null && to !== null && to > from) bad.push(`${path.relative(root, s.file)} → ${path.relative(root, target)}`);
      }
      if (
        s.module.startsWith('server/src/engine') &&
        s.imports.some((i) => !i.startsWith('.') && !/^(node:)?(path|util|zlib|crypto|buffer)$|^yaml$|^@lezer\//.test(i))
      )
        bad.push(`${path.relative(root, s.file)} imports ${s.imports.filter((i) => !i.startsWith('.')).join(', ')}`);
    }
    assert.ok(edges > 500, `the imports were read (${edges})`);
    assert.deepEqual([...new Set(bad)], []);
  });

  it("the extension's bundle carries no engine code and no YAML parser (the language server does that work)", async () => {
    const r = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [path.join(root, 'client', 'src', 'extension.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['vscode'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(r.metafile.inputs).map((f) => f.split(path.sep).join('/'));
    assert.ok(
      inputs.some((f) => f.endsWith('server/src/protocol.ts')),
      'the bundle was inspected',
    );
    assert.deepEqual(
      inputs.filter((f) => f.includes('server/src/engine/') || f.includes('node_modules/yaml/')),
      [],
    );
  });
});
