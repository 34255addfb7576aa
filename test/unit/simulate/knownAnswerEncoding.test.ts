// The sampleoutput.h encoder and decoder against the worked examples of izer-compute §4.6, the quirks of §6,
// and records izer wrote for shipped networks (../shared/oracle).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { MAX78000, MAX78002 } from '../../../server/src/engine/device/devices';
import { decodeKnownAnswer, encodeKnownAnswer, knownAnswerHeader, knownAnswerWords, parseKnownAnswerHeader } from '../../../server/src/engine/simulate';
import type { KnownAnswerRecord, OutputLayout } from '../../../server/src/engine/simulate';
import { requireShared } from '../../support/shared';

function layout(c: number, h: number, w: number, processorMap: bigint, outOffset: number, extra: Partial<OutputLayout> = {}): OutputLayout {
  return { c, h, w, processorMap, outOffset, writeGap: 0, width: 8, outExpand: 1, outExpandThresh: c, ...extra };
}

/** Channel-major values from per-channel lists. */
const chw = (...channels: number[][]) => Float64Array.from(channels.flat());

describe('known answer: worked examples (izer-compute §4.6)', () => {
  it('(a) 8-bit MAX78002, two output layers: blocks sorted by mask, then address', () => {
    // Layer 7: 10 channels 2×2, map 0x3FF, offset 0x2000 — values read off the example's words by hand
    // (pixel d of quad Q is the word at B(Q) + 4d; channel = 4·(Q/4) + byte lane).
    const y7 = chw(
      [0, 0, 0, 0],
      [0, 0, 0, 28],
      [0, 11, 0, 27],
      [9, 0, 0, 0],
      [26, 0, 45, 0],
      [31, 62, 0, 34],
      [0, 7, 0, 27],
      [56, 7, 8, 27],
      [44, 35, 42, 0],
      [0, 0, 0, 32],
    );
    // Layer 8: 5 channels 1×1, map 0x1F, offset 0x4000.
    const y8 = chw([46], [12], [10], [17], [22]);
    const records = encodeKnownAnswer(
      [
        { layout: layout(10, 2, 2, 0x3ffn, 0x2000), values: y7 },
        { layout: layout(5, 1, 1, 0x1fn, 0x4000), values: y8 },
      ],
      MAX78002,
    );
    assert.deepEqual(
      knownAnswerWords(records),
      [
        0x51824000, 0x000000ff, 1, 0x00000016, 0x51842000, 0x0000ffff, 4, 0x0000002c, 0x00000023, 0x0000002a, 0x00002000, 0x51802000, 0xffffffff, 4, 0x09000000,
        0x000b0000, 0x00000000, 0x001b1c00, 0x51804000, 0xffffffff, 1, 0x110a0c2e, 0x51822000, 0xffffffff, 4, 0x38001f1a, 0x07073e00, 0x0800002d, 0x1b1b2200, 0,
      ],
    );
  });

  it('(b) 32-bit MAX78000 (msdk mnist): one word per channel, values modulo 2^32', () => {
    const y = chw([-77992], [93377], [45484], [29850], [-36248], [-130974], [-272399], [416616], [-148783], [25073]);
    const records = encodeKnownAnswer([{ layout: layout(10, 1, 1, 0x3ffn, 0x1000, { width: 32 }), values: y }], MAX78000);
    assert.deepEqual(records, [
      { address: '0x50401000', mask: '0xffffffff', words: ['0xfffecf58', '0x00016cc1', '0x0000b1ac', '0x0000749a'] },
      { address: '0x50409000', mask: '0xffffffff', words: ['0xffff7268', '0xfffe0062', '0xfffbd7f1', '0x00065b68'] },
      { address: '0x50411000', mask: '0xffffffff', words: ['0xfffdbad1', '0x000061f1'] },
    ]);
  });

  it('writes sampleoutput.h as izer does: 8 items per line, 0x%08x, terminator, and reads it back', () => {
    const records: KnownAnswerRecord[] = [
      { address: '0x50401000', mask: '0xffffffff', words: ['0xfffecf58', '0x00016cc1', '0x0000b1ac', '0x0000749a'] },
      { address: '0x50409000', mask: '0xffffffff', words: ['0xffff7268', '0xfffe0062', '0xfffbd7f1', '0x00065b68'] },
      { address: '0x50411000', mask: '0xffffffff', words: ['0xfffdbad1', '0x000061f1'] },
    ];
    const text = knownAnswerHeader(records);
    assert.equal(
      text,
      '// This file was @generated automatically\n\n' +
        '#define SAMPLE_OUTPUT { \\\n' +
        '  0x50401000, 0xffffffff, 0x00000004, 0xfffecf58, 0x00016cc1, 0x0000b1ac, 0x0000749a, 0x50409000, \\\n' +
        '  0xffffffff, 0x00000004, 0xffff7268, 0xfffe0062, 0xfffbd7f1, 0x00065b68, 0x50411000, 0xffffffff, \\\n' +
        '  0x00000002, 0xfffdbad1, 0x000061f1, 0x00000000 \\\n' +
        '}\n',
    );
    assert.deepEqual(parseKnownAnswerHeader(text), records);
    assert.equal(knownAnswerHeader([]), '// This file was @generated automatically\n\n');
  });

  it('negative 8-bit values are stored as their two’s-complement byte', () => {
    const records = encodeKnownAnswer([{ layout: layout(4, 1, 1, 0xfn, 0), values: chw([-1], [-128], [127], [0]) }], MAX78000);
    assert.deepEqual(records, [{ address: '0x50400000', mask: '0xffffffff', words: ['0x007f80ff'] }]);
  });

  it('more than 64 channels: pass e lands in word e of each pixel slot (100 channels → 2 passes of 52)', () => {
    const c = 100;
    const y = Float64Array.from({ length: c }, (_, i) => i);
    const records = encodeKnownAnswer([{ layout: layout(c, 1, 1, (1n << 52n) - 1n, 0, { outExpand: 2, outExpandThresh: 52 }), values: y }], MAX78000);
    // Channel k of pass e sits on processor k (quad 4·⌊k/4⌋, byte k mod 4) in word e: quads 0–11 hold two words,
    // quad 12 (channels 48–51) only the first pass.
    const pack = (first: number) => (first | ((first + 1) << 8) | ((first + 2) << 16) | ((first + 3) << 24)) >>> 0;
    const expected: number[] = [];
    for (let q = 0; q < 13; q++) {
      const words = q < 12 ? [pack(4 * q), pack(52 + 4 * q)] : [pack(48)];
      const proc = 4 * q; // byte address of processor p's memory: (p mod 16)·0x2000 + (p div 16)·0x40_0000
      expected.push(0x50400000 + (proc % 16) * 0x2000 + Math.floor(proc / 16) * 0x400000, 0xffffffff, words.length, ...words);
    }
    expected.push(0);
    assert.deepEqual(knownAnswerWords(records), expected);
  });

  it('write_gap spaces the pixel slots by gap + 1 words', () => {
    const records = encodeKnownAnswer([{ layout: layout(1, 1, 2, 0x1n, 0x10, { writeGap: 1 }), values: chw([3, 4]) }], MAX78000);
    assert.deepEqual(records, [
      { address: '0x50400010', mask: '0x000000ff', words: ['0x00000003'] },
      { address: '0x50400018', mask: '0x000000ff', words: ['0x00000004'] },
    ]);
  });

  it('--max-verify-length N keeps N + 1 words', () => {
    const records = encodeKnownAnswer([{ layout: layout(4, 1, 3, 0xfn, 0), values: chw([1, 2, 3], [0, 0, 0], [0, 0, 0], [0, 0, 0]) }], MAX78000, 1);
    assert.deepEqual(records, [{ address: '0x50400000', mask: '0xffffffff', words: ['0x00000001', '0x00000002'] }]);
  });

  it('quirk: a sparse 8-bit map (0b0101) masks the wrong lanes, so channel 1 is not checked', () => {
    const l = layout(2, 1, 1, 0b0101n, 0);
    const records = encodeKnownAnswer([{ layout: l, values: chw([5], [7]) }], MAX78000);
    assert.deepEqual(records, [{ address: '0x50400000', mask: '0x0000ffff', words: ['0x00000005'] }]);
    const back = decodeKnownAnswer(records, l, MAX78000);
    assert.equal(back.data[0], 5);
    assert.ok(Number.isNaN(back.data[1]));
  });

  it('quirk: a 32-bit map starting at lane 1 emits lanes 0…n−1 (a zero, then channel 0; channel 1 is dropped)', () => {
    const records = encodeKnownAnswer([{ layout: layout(2, 1, 1, 0b0110n, 0, { width: 32 }), values: chw([5], [7]) }], MAX78000);
    assert.deepEqual(records, [{ address: '0x50400000', mask: '0xffffffff', words: ['0x00000000', '0x00000005'] }]);
  });

  it('decodes records back to the tensor (8-bit and 32-bit)', () => {
    const l8 = layout(10, 2, 2, 0x3ffn << 4n, 0x100);
    const y = Float64Array.from({ length: 40 }, (_, i) => ((i * 37) % 256) - 128);
    assert.deepEqual(Array.from(decodeKnownAnswer(encodeKnownAnswer([{ layout: l8, values: y }], MAX78002), l8, MAX78002).data), Array.from(y));
    const l32 = layout(6, 1, 1, 0x3fn, 0, { width: 32 });
    const z = Float64Array.from([-5e8, 7, 2 ** 31 - 1, -(2 ** 31), 0, 12345]);
    assert.deepEqual(Array.from(decodeKnownAnswer(encodeKnownAnswer([{ layout: l32, values: z }], MAX78000), l32, MAX78000).data), Array.from(z));
  });
});

// ---- izer's own records for shipped networks --------------------------------------------------------------

interface OracleExtract {
  device: 'MAX78000' | 'MAX78002';
  sample_output_records: { address: string; mask: string; words_hex: string[] }[];
  log_config: Record<string, unknown>;
}

function readOracle(dir: string, run: string): OracleExtract {
  return JSON.parse(fs.readFileSync(`${dir}/${run}/oracle_extract.json`, 'utf8')) as OracleExtract;
}

/** Output layout of layer ll from log.txt (Output channels/dimensions/processors/offset/data bits/expansion). */
function oracleLayout(x: OracleExtract, ll: number, writeGap = 0): OutputLayout {
  const inner = (key: string) => {
    const v = x.log_config[key];
    const text = (typeof v === 'string' ? v : JSON.stringify(v)).trim();
    const body = text.slice(1, -1);
    return body.startsWith('[') ? (body.match(/\[[^\]]*\]/g) ?? []) : body.split(',').map((s) => s.trim());
  };
  const dims = inner('Output dimensions')[ll].slice(1, -1).split(',').map(Number);
  return {
    c: Number(inner('Output channels')[ll]),
    h: dims[0],
    w: dims[1],
    processorMap: BigInt(inner('Output processors')[ll]),
    outOffset: parseInt(inner('Output offset')[ll], 16),
    writeGap,
    width: Number(inner('Output data bits')[ll]) as 8 | 32,
    outExpand: Number(inner('Output expansion')[ll]),
    outExpandThresh: Number(inner('Expansion threshold (2)')[ll]),
  };
}

const asRecords = (x: OracleExtract): KnownAnswerRecord[] => x.sample_output_records.map((r) => ({ address: r.address, mask: r.mask, words: r.words_hex }));

describe('known answer: izer’s records for shipped networks', () => {
  let dir = '';
  before(function () {
    dir = requireShared(this, 'oracle', 'runs');
  });

  it('MAX78000 mnist: the 32-bit classifier output re-encodes to izer’s records', () => {
    const x = readOracle(dir, 'MAX78000-mnist');
    const l = oracleLayout(x, 4);
    assert.deepEqual([l.c, l.h, l.w, l.width, l.outOffset], [10, 1, 1, 32, 0x1000]);
    const y = decodeKnownAnswer(asRecords(x), l, MAX78000);
    assert.deepEqual(Array.from(y.data.slice(0, 3)), [-77992, 93377, 45484]);
    assert.deepEqual(encodeKnownAnswer([{ layout: l, values: y.data }], MAX78000), asRecords(x));
  });

  it('MAX78002 svhn_tinierssd: eight 8-bit output layers (12–19) merge into izer’s 15 blocks', () => {
    const x = readOracle(dir, 'MAX78002-svhn_tinierssd');
    const records = asRecords(x);
    // The YAML marks layers 12–19 `output: true`; none of them sets write_gap.
    const layers = [12, 13, 14, 15, 16, 17, 18, 19].map((ll) => {
      const l = oracleLayout(x, ll);
      const y = decodeKnownAnswer(records, l, MAX78002);
      assert.ok(
        y.data.every((v) => Number.isInteger(v) && v >= -128 && v <= 127),
        `layer ${ll} fully covered by 8-bit values`,
      );
      return { layout: l, values: y.data };
    });
    assert.deepEqual(encodeKnownAnswer(layers, MAX78002), records);
  });

  it('MAX78000 camvid_unet (--max-checklines 8192): the truncated known answer keeps the first 8193 words', () => {
    const x = readOracle(dir, 'MAX78000-camvid_unet');
    const records = asRecords(x);
    const l = oracleLayout(x, 18);
    const y = decodeKnownAnswer(records, l, MAX78000);
    const missing = y.data.filter((v) => Number.isNaN(v)).length;
    // 64 channels × 48 × 48 bytes = 36,864 words in full; 8193 are present, 4 channels per word.
    assert.equal(missing, (36864 - 8193) * 4);
    const filled = y.data.map((v) => (Number.isNaN(v) ? 0 : v));
    assert.deepEqual(encodeKnownAnswer([{ layout: l, values: filled }], MAX78000, 8192), records);
  });
});
