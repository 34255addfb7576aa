// Checkpoints that try to make the reader use far more memory or time than their size (issue 13), shared by the
// memory-budget tests and the probe that measures a read in a separate process.
import * as zlib from 'node:zlib';
import { writeStoredZip } from '../../../server/src/engine/checkpoint/zipWriter';
import { crc32 } from '../../../server/src/engine/checkpoint/crc32';
import { PROTO2, STOP, glob, le, pk } from './pickleBytes';

export interface RawMember {
  name: string;
  data: Uint8Array;
  method?: number;
  /** Declared sizes/CRC (default: the true ones). */
  usize?: number;
  crc?: number;
  flags?: number;
}

/** A zip with full control over what the headers declare; members with method 8 are deflated. */
export function rawZip(members: RawMember[], eocdCount?: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const cd: number[] = [];
  const enc = new TextEncoder();
  let length = 0;
  const add = (b: Uint8Array | number[]): void => {
    const u = b instanceof Uint8Array ? b : Uint8Array.from(b);
    parts.push(u);
    length += u.length;
  };
  for (const m of members) {
    const name = enc.encode(m.name);
    const body = m.method === 8 ? zlib.deflateRawSync(m.data, { level: 9 }) : m.data;
    const usize = m.usize ?? m.data.length;
    const crc = m.crc ?? crc32(m.data);
    const offset = length;
    const common = [...le(m.flags ?? 0, 2), ...le(m.method ?? 0, 2), 0, 0, 0, 0, ...le(crc, 4), ...le(body.length, 4), ...le(usize, 4), ...le(name.length, 2)];
    add([...le(0x04034b50, 4), ...le(20, 2), ...common, 0, 0, ...name]);
    add(body);
    cd.push(...le(0x02014b50, 4), ...le(20, 2), ...le(20, 2), ...common, ...new Array(12).fill(0), ...le(offset, 4), ...name);
  }
  const cdOffset = length;
  add(cd);
  const n = eocdCount ?? members.length;
  add([...le(0x06054b50, 4), 0, 0, 0, 0, ...le(n, 2), ...le(n, 2), ...le(cd.length, 4), ...le(cdOffset, 4), 0, 0]);
  return Buffer.concat(parts);
}

/** Like pk, for large inputs: Uint8Array parts are copied in one piece. */
export function cat(...parts: Parameters<typeof pk>): Uint8Array {
  return Buffer.concat(parts.map((p) => (p instanceof Uint8Array ? p : pk(p))));
}

/** `part` repeated n times. */
export function rep(part: string | readonly number[] | Uint8Array, n: number): Uint8Array {
  const one = pk(part);
  const out = new Uint8Array(one.length * n);
  for (let i = 0; i < n; i++) out.set(one, i * one.length);
  return out;
}

const zipOf = (pkl: Uint8Array): Uint8Array => writeStoredZip([{ name: 'archive/data.pkl', data: pkl }]);

/** data.pkl of {'x': <the value the parts leave on the stack>}. */
const holding = (...parts: Parameters<typeof pk>): Uint8Array => zipOf(cat(PROTO2, '}', 'X', le(1, 4), 'x', ...parts, 's', STOP));

/** n calls of the global in memo 1 on the value in memo 0, collected in a list: `[f(v), f(v), …]`. */
const calls = (n: number): Uint8Array => cat(']', '(', rep([0x68, 1, 0x68, 0, 0x85, 0x52], n), 'e');

/** A state_dict of n tensors of `shape` with `strides` over one 1-element float32 storage (decoded when read). */
function expandedViews(n: number, shape: number[], strides: number[]): Uint8Array {
  const tup = (xs: number[]) => pk('(', ...xs.flatMap((x) => ['J', le(x, 4)] as const), 't');
  const view = (i: number) => pk('X', le(String(i).length + 1, 4), 'w' + i, 0x68, 1, '(', 0x68, 0, 'K', 0, tup(shape), tup(strides), 0x89, 'N', 't', 'R');
  return writeStoredZip([
    {
      name: 'archive/data.pkl',
      data: cat(
        ...[PROTO2, '}', 'X', le(10, 4), 'state_dict', glob('torch._utils', '_rebuild_tensor_v2'), 'q', 1, '0'],
        ...['(', 'X', le(7, 4), 'storage', glob('torch', 'FloatStorage'), 'X', le(1, 4), '0', 'X', le(3, 4), 'cpu', 'K', 1, 't', 'Q', 'q', 0, '0'],
        ...['}', '(', ...Array.from({ length: n }, (_, i) => view(i)), 'u', 's', STOP],
      ),
    },
    { name: 'archive/data/0', data: new Uint8Array(4) },
  ]);
}

/**
 * The amplifiers. Before issue 13 each made the reader hold far more than 64 × its size (or crash); now each must
 * read within that budget or stop with a CheckpointError.
 */
export const HOSTILE_INPUTS: Record<string, () => Uint8Array> = {
  // `}N` + `2\x86` × 24 + `Ns.`: a dict whose key is a tuple nesting 2^24 paths; its JSON key took 2.3 GB.
  'nested tuple key': () => zipOf(pk(PROTO2, '}', 'N', rep('2\x86', 24), 'N', 's', STOP)),
  // list(v) of a memoized 10,000-item list, 3,000 times: 6 bytes per copy of 10,000 slots.
  'list copies': () => holding(glob('builtins', 'list'), 'q', 1, '0', ']', '(', rep('N', 10000), 'e', 'q', 0, '0', calls(3000)),
  // tuple(v), the same.
  'tuple copies': () => holding(glob('builtins', 'tuple'), 'q', 1, '0', ']', '(', rep('N', 10000), 'e', 'q', 0, '0', calls(3000)),
  // OrderedDict(d) of a memoized 5,000-entry dict, 1,000 times.
  'dict copies': () => holding(glob('collections', 'OrderedDict'), 'q', 1, '0', '}', '(', ...intsFrom(0, 5000, 'N'), 'u', 'q', 0, '0', calls(1000)),
  // set(v) of a memoized 10,000-item list, 300 times.
  'set copies': () => holding(glob('builtins', 'set'), 'q', 1, '0', ']', '(', ...intsFrom(0, 10000), 'e', 'q', 0, '0', calls(300)),
  // bytes(b) of a memoized 64 KiB bytes object, 2,000 times.
  'bytes copies': () => holding(glob('builtins', 'bytes'), 'q', 1, '0', 'B', le(65536, 4), new Uint8Array(65536), 'q', 0, '0', calls(2000)),
  // numpy uint8 arrays over one memoized 64 KiB string: each decodes to 512 KiB of float64.
  'numpy arrays over shared bytes': () =>
    holding(
      ...[glob('numpy.core.multiarray', '_reconstruct'), 'q', 1, '0'],
      ...[
        glob('numpy', 'dtype'),
        'X',
        le(2, 4),
        'u1',
        0x89,
        0x88,
        0x87,
        'R',
        '(',
        'K',
        3,
        'X',
        le(1, 4),
        '|',
        'N',
        'N',
        'N',
        'J',
        le(-1, 4),
        'J',
        le(-1, 4),
        'K',
        0,
        't',
        'b',
        'q',
        2,
        '0',
      ],
      ...['B', le(65536, 4), new Uint8Array(65536), 'q', 0, '0'],
      ']',
      '(',
      rep([0x68, 1, 0x29, 0x52, 0x28, 0x4b, 1, 0x28, 0x4a, ...le(65536, 4), 0x74, 0x68, 2, 0x89, 0x68, 0, 0x74, 0x62], 200),
      'e',
    ),
  // A state_dict of 4 tensors of 1M elements over one 1-element storage (stride 0): 32 MiB of float64 from 4 bytes.
  'expanded views': () => expandedViews(4, [1 << 20], [0]),
  // 400,000 empty tuples: one byte of pickle, about 80 bytes of heap each.
  'empty tuples': () => holding(']', '(', rep(')', 400000), 'e'),
  // A deflated data.pkl of 20 million NONEs: 20 KiB of file, 20 MB of pickle, a 20-million-slot stack.
  'deflated stack': () => rawZip([{ name: 'archive/data.pkl', data: cat(PROTO2, rep('N', 20_000_000), STOP), method: 8 }]),
};

/** BININT opcodes for from … from+n−1, each followed by `after` (e.g. a NONE as its dict value). */
function intsFrom(from: number, n: number, after = ''): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = from; i < from + n; i++) out.push(pk('J', le(i, 4), after));
  return out;
}
