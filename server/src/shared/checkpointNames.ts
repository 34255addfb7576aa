// Which of the workspace's checkpoints belongs to a network YAML, by name: ai8x-synthesis names them after the
// same model (networks/kws20-v3-hwc.yaml ↔ trained/ai85-kws20_v3-qat8-q.pth.tar). Used to order the checkpoint
// picker, best match first; and the name a quantized checkpoint gets. Imports nothing: the client bundles it.

const NOISE = new Set([
  'ai85',
  'ai87',
  'ai8x',
  'max78000',
  'max78002',
  'hwc',
  'chw',
  'qat',
  'qat8',
  'q',
  'pth',
  'tar',
  'yaml',
  'yml',
  'checkpoint',
  'net',
  'network',
  'networks',
  'trained',
  'best',
  'no',
  'fifo',
  'riscv',
  'streaming',
]);

/** The words of a file name that say which model it is (device prefixes, formats and quantization left out). */
export function nameTokens(fileName: string): string[] {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base
    .toLowerCase()
    .replace(/\.(pth\.tar|pth|tar|onnx|ya?ml)$/, '')
    .split(/[^a-z0-9]+/)
    .filter((t) => t && !NOISE.has(t));
}

/** Device prefix of a file name: ai85 → MAX78000, ai87 → MAX78002. */
function devicePrefix(fileName: string): 'MAX78000' | 'MAX78002' | null {
  const base = (fileName.split(/[\\/]/).pop() ?? '').toLowerCase();
  if (/(^|[^a-z0-9])ai85([^a-z0-9]|$)/.test(base)) return 'MAX78000';
  if (/(^|[^a-z0-9])ai87([^a-z0-9]|$)/.test(base)) return 'MAX78002';
  return null;
}

export interface RankedCheckpoint {
  path: string;
  score: number;
  /** Why it ranks where it does, for the picker's detail line. */
  why: string;
}

/**
 * The candidates ordered by how well their names match the network's: shared model words first (all of the
 * network's words > most > some), then the device (`ai85`/`ai87` or the device given), then quantized before
 * training checkpoints, then the nearer folder. Whether a file is quantized is `quantized(path)` where that knows
 * (the file was read), else its name (`-q`).
 */
export function rankCheckpoints(
  networkPath: string,
  candidates: readonly string[],
  device?: 'MAX78000' | 'MAX78002' | null,
  quantized: (path: string) => boolean | undefined = () => undefined,
): RankedCheckpoint[] {
  const want = nameTokens(networkPath);
  const wantDevice = device ?? devicePrefix(networkPath);
  const dir = networkPath.split(/[\\/]/).slice(0, -1);
  const ranked = candidates.map((p) => {
    const have = nameTokens(p);
    const shared = want.filter((t) => have.includes(t)).length;
    // Words run together or cut short count a little (cats-dogs ~ catsdogs, kws20 ~ kws20v3).
    const joined = have.join('');
    const partial = want.filter(
      (t) => !have.includes(t) && ((t.length >= 3 && joined.includes(t)) || have.some((h) => h.startsWith(t) || t.startsWith(h))),
    ).length;
    const extra = have.filter((t) => !want.includes(t)).length;
    const dev = devicePrefix(p);
    const read = quantized(p);
    const isQuantized = read ?? /-q\.pth(\.tar)?$|_q\.pth(\.tar)?$/i.test(p);
    const pdir = p.split(/[\\/]/).slice(0, -1);
    let common = 0;
    while (common < dir.length && common < pdir.length && dir[common] === pdir[common]) common++;
    const distance = dir.length - common + (pdir.length - common);
    const score =
      (want.length ? (100 * shared) / want.length : 0) +
      (want.length ? (60 * partial) / want.length : 0) -
      5 * extra +
      (wantDevice && dev === wantDevice ? 20 : dev && wantDevice && dev !== wantDevice ? -20 : 0) +
      (isQuantized ? 10 : 0) -
      distance;
    const why = [
      shared ? `${shared} of ${want.length} name words match` : 'no name words match',
      dev ? `for ${dev}` : null,
      read === undefined
        ? isQuantized
          ? 'quantized'
          : 'not quantized (izer needs the …-q file)'
        : isQuantized
          ? 'quantized (its weights are integers)'
          : 'training weights, not quantized: choosing it offers to quantize it',
    ]
      .filter(Boolean)
      .join(' · ');
    return { path: p, score, why };
  });
  return ranked.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
}

/** `dir/name.pth.tar` → `dir/name-q.pth.tar`, the name quantize.py's scripts give the quantized checkpoint. */
export function quantizedName(input: string): string {
  const cut = Math.max(input.lastIndexOf('/'), input.lastIndexOf('\\')) + 1;
  const dir = input.slice(0, cut);
  const base = input.slice(cut);
  const m = /^(.*?)(\.pth\.tar|\.pth|\.tar|\.pt)$/i.exec(base);
  return dir + (m && m[1] ? `${m[1]}-q${m[2]}` : `${base}-q.pth.tar`);
}
