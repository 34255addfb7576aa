// Random edits of network YAML text for fuzzing: a seeded generator so every failure can be replayed.

/** Mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = [
  ':',
  ' ',
  '-',
  '\n',
  '  ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '#',
  '"',
  "'",
  '0x',
  'ff',
  '0',
  '1',
  '9',
  '_',
  '.',
  '&a',
  '*a',
  '!!int ',
  '\t',
  'processors: ',
  'op: ',
  'in_sequences: ',
  'name: x',
  'pad: -1',
  '3x3',
  'true',
  'null',
  '~',
  'output_processors: 0x1',
  'streaming: true',
  'flatten: true',
  'next_sequence: 0',
  'in_sequences: [0, 1]',
  'layers:',
  '- ',
  '  - processors: 0xf\n',
  '\u00e9',
  '\r\n',
];

export function mutate(text: string, random: () => number, edits = 1 + Math.floor(random() * 4)): string {
  let t = text;
  for (let e = 0; e < edits; e++) {
    const pos = Math.floor(random() * (t.length + 1));
    const kind = Math.floor(random() * 7);
    if (kind === 0) t = t.slice(0, pos) + t.slice(Math.min(t.length, pos + 1 + Math.floor(random() * 20)));
    else if (kind === 1) t = t.slice(0, pos) + SNIPPETS[Math.floor(random() * SNIPPETS.length)] + t.slice(pos);
    else if (kind === 2) {
      const lines = t.split('\n');
      const i = Math.floor(random() * lines.length);
      lines.splice(i, 0, lines[Math.floor(random() * lines.length)]);
      t = lines.join('\n');
    } else if (kind === 3) {
      const lines = t.split('\n');
      const i = Math.floor(random() * lines.length);
      const j = Math.floor(random() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      t = lines.join('\n');
    } else if (kind === 4) t = t.replace(/\d+/g, (m) => (random() < 0.05 ? String(Math.floor(random() * 70000)) : m));
    else if (kind === 5) {
      const lines = t.split('\n');
      lines.splice(Math.floor(random() * lines.length), 1);
      t = lines.join('\n');
    } else t = t.slice(0, pos) + String.fromCharCode(32 + Math.floor(random() * 95)) + t.slice(pos);
  }
  return t;
}
