// The `# ai8x: key=value …` comment that pins device, checkpoint, sample input and izer flags for one file.
import { DeviceName, parseDeviceName } from '../device/devices';
import { splitCommandLine } from '../izerFlags';
import type { Range, YamlComment } from '../yaml/yamlTree';

export interface Modeline {
  device?: DeviceName;
  checkpoint?: string;
  sampleInput?: string;
  izerFlags?: string[];
  /** Where each setting was written, for diagnostics and hovers. */
  ranges: Partial<Record<'device' | 'checkpoint' | 'sampleInput' | 'izerFlags', Range>>;
  problems: { range: Range; message: string }[];
}

export const MODELINE_KEYS = ['device', 'checkpoint', 'sample-input', 'izer-flags'] as const;
const KEY_ALIASES: Record<string, (typeof MODELINE_KEYS)[number]> = {
  device: 'device',
  checkpoint: 'checkpoint',
  'checkpoint-file': 'checkpoint',
  'sample-input': 'sample-input',
  sample: 'sample-input',
  'izer-flags': 'izer-flags',
  flags: 'izer-flags',
};

const PREFIX = /^\s*ai8x:\s*/;

export function readModeline(comments: readonly YamlComment[]): Modeline {
  const m: Modeline = { ranges: {}, problems: [] };
  for (const c of comments) {
    const p = PREFIX.exec(c.text);
    if (!p) continue;
    const bodyStart = c.offset + 1 + p[0].length;
    const range: Range = [c.offset, c.offset + 1 + c.text.length];
    for (const token of splitCommandLine(c.text.slice(p[0].length))) {
      const eq = token.indexOf('=');
      const key = eq > 0 ? KEY_ALIASES[token.slice(0, eq).toLowerCase()] : undefined;
      const value = eq > 0 ? token.slice(eq + 1) : '';
      if (!key) {
        m.problems.push({ range, message: `Unknown ai8x modeline setting \`${token}\`; use ${MODELINE_KEYS.map((k) => k + '=…').join(', ')}.` });
        continue;
      }
      switch (key) {
        case 'device': {
          const d = parseDeviceName(value);
          if (!d) m.problems.push({ range, message: `Unknown device \`${value}\`; use MAX78000 or MAX78002.` });
          else {
            m.device = d;
            m.ranges.device = range;
          }
          break;
        }
        case 'checkpoint':
          m.checkpoint = value;
          m.ranges.checkpoint = range;
          break;
        case 'sample-input':
          m.sampleInput = value;
          m.ranges.sampleInput = range;
          break;
        case 'izer-flags':
          m.izerFlags = [...(m.izerFlags ?? []), ...splitCommandLine(value)];
          m.ranges.izerFlags = range;
          break;
      }
    }
    void bodyStart;
  }
  return m;
}
