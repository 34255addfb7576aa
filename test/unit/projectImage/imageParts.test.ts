// The parts of the hardware-image harness that need no compiler: preparing the sources (FIFO stores become logger
// calls), reading a known answer and the harness's report, naming addresses, and comparing two images.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeAddress, deviceOfImage } from '../../../server/src/projectImage/addressNames';
import { compareProjectImages } from '../../../server/src/projectImage/compareImages';
import { findHarnessFiles } from '../../../server/src/projectImage/harnessFiles';
import { ImageError } from '../../../server/src/projectImage/imageError';
import { ApplicationRun, HarnessReport, parseApplicationReport, parseHarnessReport } from '../../../server/src/projectImage/imageReport';
import { knownAnswerFileText, knownAnswerWords } from '../../../server/src/projectImage/knownAnswer';
import { forTheHost, withHarnessPrologue } from '../../../server/src/projectImage/sourcePreparation';
import { repoRoot } from '../../support/shared';

describe('hardware image: where its C files are', () => {
  it('finds resources/projectImage from the bundles (dist/, out/test/…) and ships it in the package', () => {
    const root = repoRoot();
    for (const from of [path.join(root, 'dist'), path.join(root, 'out', 'test', 'unit', 'projectImage'), __dirname]) {
      const files = findHarnessFiles(from);
      assert.equal(files?.dir, path.join(root, 'resources', 'projectImage'), from);
      for (const f of [files!.harness, files!.standin, path.join(files!.msdkDir, 'mxc.h')]) assert.ok(fs.existsSync(f), f);
    }
    assert.equal(findHarnessFiles(path.parse(root).root), null);
    const shipped = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(shipped.includes('!resources/**'), '.vscodeignore keeps resources/ in the .vsix');
  });
});

describe('hardware image: preparing a project for the PC', () => {
  it('turns every form of store to a FIFO data register into a logger call, and nothing else', () => {
    const src = [
      '*((volatile uint32_t *) 0x50000008) = *in0++; // Write FIFO 0',
      '*((volatile uint32_t *) 0x5000000c) = (*in1++ + add) & 0xffffff;',
      '*(volatile uint32_t *) 0x50000010U = u;',
      '*((volatile uint32_t *)0x400c0410) = fifo[tail++];',
      '*((volatile uint32_t *) 0x50000004) = 1; // FIFO status: not data',
      '*((volatile uint32_t *) 0x50100000) = 0x00100008;',
      'while (*((volatile uint32_t *) 0x50000008) == 3);',
      '*((volatile uint32_t *) 0x50000014) |= 2;',
    ].join('\n');
    const { text, fifoStores } = forTheHost(src);
    assert.equal(fifoStores, 4);
    const lines = text.split('\n');
    assert.equal(lines[0], 'ai8x_image_fifo_store(0x50000008UL, (unsigned int) (*in0++)); // Write FIFO 0');
    assert.equal(lines[1], 'ai8x_image_fifo_store(0x5000000cUL, (unsigned int) ((*in1++ + add) & 0xffffff));');
    assert.equal(lines[2], 'ai8x_image_fifo_store(0x50000010UL, (unsigned int) (u));');
    assert.equal(lines[3], 'ai8x_image_fifo_store(0x400c0410UL, (unsigned int) (fifo[tail++]));');
    assert.deepEqual(lines.slice(4), src.split('\n').slice(4));
  });

  it("turns RISC-V's wait-for-interrupt into the harness's call and drops the interrupt attribute", () => {
    const { text } = forTheHost('void __attribute__((interrupt("machine"))) CNN_IRQHandler(void)\n{ asm volatile("wfi"); __asm__ __volatile__ ( "wfi" ); }');
    assert.equal(text, 'void  CNN_IRQHandler(void)\n{ ai8x_image_wait_for_interrupt(); ai8x_image_wait_for_interrupt(); }');
  });

  it('gives the main file a renamed main and pointers to load_input, main (and check_output when there is a known answer)', () => {
    const main = withHarnessPrologue('int main(void) { return 0; }', 'main.c', { isMain: true, checkOutput: true });
    assert.match(main, /#define main ai8x_image_project_main\n#line 1 "main.c"\nint main/);
    assert.match(main, /ai8x_image_load_input\)\(void\) = \(void \(\*\)\(void\)\) load_input;/);
    assert.match(main, /ai8x_image_check_output\)\(void\) = \(int \(\*\)\(void\)\) check_output;/);
    assert.match(main, /ai8x_image_main\)\(void\) = \(int \(\*\)\(void\)\) main;/);
    const noKat = withHarnessPrologue('', 'main.c', { isMain: true, checkOutput: false });
    assert.doesNotMatch(noKat, /check_output/);
    const cnn = withHarnessPrologue('int cnn_init(void);', 'cnn.c', { isMain: false, checkOutput: true });
    assert.doesNotMatch(cnn, /define main|load_input|ai8x_image_main/);
  });
});

describe('hardware image: the known answer', () => {
  const header =
    '// known answer\n#define SAMPLE_OUTPUT { \\\n  0x50400000, 0xffffffff, 0x00000002, 0x00000001, 0xfffffffe, \\\n  0x50800010, 0x000000ff, 0x00000001, 0x0000007f, \\\n  0x00000000 \\\n}\n';

  it('unrolls SAMPLE_OUTPUT into one checked word per address', () => {
    const words = knownAnswerWords(header);
    assert.deepEqual(words, [
      { address: 0x50400000, mask: 0xffffffff, value: 1 },
      { address: 0x50400004, mask: 0xffffffff, value: 0xfffffffe },
      { address: 0x50800010, mask: 0xff, value: 0x7f },
    ]);
    assert.equal(knownAnswerFileText(words), '50400000 ffffffff 1\n50400004 ffffffff fffffffe\n50800010 ff 7f\n');
  });

  it('refuses a block that runs past the end, in words', () => {
    assert.throws(
      () => knownAnswerWords('#define SAMPLE_OUTPUT { 0x50400000, 0xffffffff, 0x00000009, 0x1 }'),
      (e: unknown) => e instanceof ImageError && /not a well-formed known-answer block/.test(e.message),
    );
    assert.throws(() => knownAnswerWords('#define OTHER 1'), /has no SAMPLE_OUTPUT/);
  });
});

describe('hardware image: naming addresses', () => {
  const cases: [number, 'MAX78000' | 'MAX78002', string][] = [
    [0x50000008, 'MAX78000', "FIFO 0's data register"],
    [0x400c0410, 'MAX78000', "the fast FIFO's data register"],
    [0x400c0400, 'MAX78002', "the fast FIFO's control register"],
    [0x50100000, 'MAX78000', 'quadrant 0, control register CTL (control)'],
    [0x50100020, 'MAX78000', 'quadrant 0, layer 4 register RCNT (row count)'],
    [0x50500010 + 11 * 128 + 2 * 4, 'MAX78000', 'quadrant 1, layer 2 register LCTL (layer control)'],
    [0x50108004, 'MAX78000', 'quadrant 0, bias memory entry 1'],
    [0x50984010, 'MAX78000', 'quadrant 2, kernel memory of processor 33, kernel 1, word 0 of 4'],
    [0x51018008, 'MAX78000', 'quadrant 3, data memory of processors 60-63, word 0x2'],
    [0x50d18008, 'MAX78000', 'quadrant 3, TRAM of processor 50, entry 2'],
    [0x50110000 + 0x4000 * 2 + 8, 'MAX78000', 'quadrant 0, TRAM of processor 2, entry 2'],
    [0x51100104, 'MAX78002', 'quadrant 0, layer 1 register RCNT (row count)'],
    [0x52108004, 'MAX78002', 'quadrant 1, layer 1 register STREAM1 (streaming)'],
    [0x51000008, 'MAX78002', 'quadrant 0, control register LCNT_MAX (layer count)'],
    [0x51802000, 'MAX78002', 'quadrant 0, data memory of processors 0-3, word 0x800'],
    [0x56000000, 'MAX78002', '0x56000000, outside the quadrants of MAX78002'],
  ];
  for (const [address, device, words] of cases)
    it(`${device} 0x${address.toString(16)}: ${words}`, () => assert.equal(describeAddress(address, device), words));

  it("tells the device from the first quadrant's control register", () => {
    const image = (a: number[]) => ({ addresses: Uint32Array.from(a), values: Uint32Array.from(a.map(() => 1)) });
    assert.equal(deviceOfImage(image([0x50100000])), 'MAX78000');
    assert.equal(deviceOfImage(image([0x51000000, 0x52000000])), 'MAX78002');
    assert.equal(deviceOfImage(image([])), null);
  });
});

describe("hardware image: reading the harness's report", () => {
  const report = [
    'returned cnn_init 1',
    'stage configured',
    '50100000 00100008',
    '50100010 0001001d',
    'fifo 50000008 00000001',
    'fifo 50000008 00000002',
    'stage input',
    '50000008 00000002',
    '50100000 00100008',
    '50100010 0001001d',
    'returned cnn_start 1',
    'stage started',
    '50000008 00000002',
    'check_output 1',
    'flip 50400000 00000001 0',
    'unload 2',
    '00000005',
    'fffffffb',
    'done',
  ].join('\n');

  it('reads the images, the FIFO words with their stage, the verdicts and the unload buffer', () => {
    const r = parseHarnessReport(report + '\n');
    assert.deepEqual([...r.stages.configured.addresses], [0x50100000, 0x50100010]);
    assert.deepEqual([...r.stages.input.values], [2, 0x00100008, 0x0001001d]);
    assert.deepEqual(r.fifoWrites, [
      { address: 0x50000008, value: 1, stage: 'input' },
      { address: 0x50000008, value: 2, stage: 'input' },
    ]);
    assert.deepEqual(r.returned, { cnn_init: 1, cnn_start: 1 });
    assert.deepEqual(r.checkOutput, { result: 1, flips: [{ address: 0x50400000, bit: 1, result: 0 }] });
    assert.deepEqual([...r.unload!], [5, 0xfffffffb]);
  });

  it('says so when the project stopped before the report was complete', () => {
    assert.throws(() => parseHarnessReport(report.replace(/done$/, '')), /stopped before the harness finished/);
  });
});

describe("hardware image: reading the report of main()'s run", () => {
  it('reads the calls in order, the FIFO counts, the peripheral registers, the result and the final image', () => {
    const r = parseApplicationReport(
      [
        'call MXC_ICC_Enable 0',
        'call MXC_GCR->pclkdiv = 0x00050000',
        'call (the inference ends)',
        'returned main 0',
        'fifo_count 50000008 16384 86df2315',
        'peripheral GCFR->reg2 0000000f',
        'stage application',
        '50100000 00100008',
        'done',
      ].join('\n'),
    );
    assert.deepEqual(r.calls, ['MXC_ICC_Enable 0', 'MXC_GCR->pclkdiv = 0x00050000', '(the inference ends)']);
    assert.deepEqual(r.fifo, [{ address: 0x50000008, count: 16384, hash: 0x86df2315 }]);
    assert.equal(r.returned, 0);
    assert.deepEqual(r.peripherals, { 'GCFR->reg2': 15 });
    assert.deepEqual([...r.image.addresses], [0x50100000]);
  });
});

describe('hardware image: comparing two images', () => {
  const image = (words: Record<number, number>[], extra: Partial<HarnessReport> = {}) => {
    const stage = (w: Record<number, number>) => {
      const addresses = Object.keys(w)
        .map(Number)
        .sort((a, b) => a - b);
      return { addresses: Uint32Array.from(addresses), values: Uint32Array.from(addresses.map((a) => w[a])) };
    };
    return {
      stages: { configured: stage(words[0]), input: stage(words[1] ?? words[0]), started: stage(words[2] ?? words[1] ?? words[0]) },
      fifoWrites: [],
      fifoUnlogged: [],
      returned: { cnn_init: 1 },
      missing: [],
      checkOutput: { result: 1, flips: [{ address: 0x50400000, bit: 1, result: 0 }] },
      unload: Uint32Array.from([1, 2, 3]),
      mainFile: 'main.c',
      ...extra,
    };
  };
  const names = { referenceName: "izer's project", candidateName: 'ours' };
  const base = { 0x50100000: 0x00100008, 0x50100010: 0x0001001d };

  it('finds nothing between identical images, and says what was compared', () => {
    const r = compareProjectImages(image([base]), image([base]), names);
    assert.equal(r.same, true);
    assert.equal(
      r.summary,
      'same: configured 2 words, input 2 words, started 2 words; 0 FIFO words; check_output accepts the known answer and refuses 1 changed bits; unload 3 words',
    );
  });

  it('names the first differing word, what both hold and what the address is; a later stage only reports what is new', () => {
    const r = compareProjectImages(image([base]), image([{ ...base, 0x50100010: 0x0001001c }]), names);
    assert.equal(r.same, false);
    assert.deepEqual(
      r.differences.map((d) => d.aspect),
      ['configured'],
    );
    assert.equal(
      r.differences[0].message,
      "configured image (after cnn_init, cnn_load_weights, cnn_load_bias and cnn_configure): word 0x50100010 is 0x0001001d in izer's project, 0x0001001c in ours " +
        "(quadrant 0, layer 0 register RCNT (row count)); 1 of the 2 nonzero words of izer's project differs in ours.",
    );
  });

  it('reports a word only one of them writes', () => {
    const r = compareProjectImages(image([base, { ...base, 0x50400000: 7 }]), image([base]), names);
    assert.equal(r.differences[0].aspect, 'input');
    assert.match(
      r.differences[0].message,
      /word 0x50400000 is 0x00000007 in izer's project, 0 \(never written\) in ours \(quadrant 0, data memory of processors 0-3, word 0x0\)/,
    );
  });

  it('compares the words each FIFO receives, in order', () => {
    const w = (values: number[]) => values.map((value) => ({ address: 0x50000008, value, stage: 'input' as const }));
    const ref = image([base], { fifoWrites: w([1, 2, 3]) });
    assert.match(
      compareProjectImages(ref, image([base], { fifoWrites: w([1, 5, 3]) }), names).summary,
      /^FIFO words: word 1 of the 3 written to FIFO 0's data register is 0x00000002 in izer's project, 0x00000005 in ours/,
    );
    assert.match(
      compareProjectImages(ref, image([base], { fifoWrites: w([1, 2]) }), names).summary,
      /writes 3 words to FIFO 0's data register, ours 2 \(the first 2 agree\)/,
    );
  });

  it('finds a check_output that refuses the known answer or misses a changed bit, a missing function, and a different unload', () => {
    const ref = image([base]);
    const cases: [Partial<HarnessReport>, RegExp][] = [
      [{ checkOutput: { result: 0, flips: [{ address: 0x50400000, bit: 1, result: 0 }] } }, /ours does not accept that known answer/],
      [{ checkOutput: { result: 1, flips: [{ address: 0x50400000, bit: 1, result: 1 }] } }, /ours does not check that bit/],
      [{ missing: ['cnn_load_bias'] }, /ours has no cnn_load_bias\(\), which izer's project has/],
      [{ unload: Uint32Array.from([1, 2, 4]) }, /cnn_unload\(\): word 2 of the buffer is 0x00000003 in izer's project, 0x00000004 in ours/],
      [{ returned: { cnn_init: 0 } }, /cnn_init\(\) returns 1 in izer's project, 0 in ours/],
    ];
    for (const [change, message] of cases) assert.match(compareProjectImages(ref, image([base], change), names).summary, message);
  });

  it("finds a different MSDK call, peripheral register or result in main()'s run", () => {
    const app = (calls: string[], extra: Partial<ApplicationRun> = {}): ApplicationRun => ({
      calls,
      fifo: [],
      returned: 0,
      peripherals: {},
      image: { addresses: new Uint32Array(), values: new Uint32Array() },
      ...extra,
    });
    const ref = image([base], { application: app(['MXC_ICC_Enable 0', 'MXC_GCR->pclkdiv = 0x00050000']) } as Partial<HarnessReport>);
    const cases: [ApplicationRun | { error: string }, RegExp][] = [
      [
        app(['MXC_ICC_Enable 0', 'MXC_GCR->pclkdiv = 0x00040000']),
        /^main\(\): step 2 .* is `MXC_GCR->pclkdiv = 0x00050000` in izer's project, `MXC_GCR->pclkdiv = 0x00040000` in ours \(after `MXC_ICC_Enable 0`\)\.$/,
      ],
      [app(['MXC_ICC_Enable 0']), /izer's project makes 2 MSDK calls, ours 1; the first 1 agree, then `MXC_GCR->pclkdiv = 0x00050000`/],
      [app(['MXC_ICC_Enable 0', 'MXC_GCR->pclkdiv = 0x00050000'], { returned: 1 }), /^main\(\) returns 0 in izer's project, 1 in ours\.$/],
      [
        app(['MXC_ICC_Enable 0', 'MXC_GCR->pclkdiv = 0x00050000'], { peripherals: { 'GPIO2->out': 0x20 } }),
        /MXC_GPIO2->out is 0x00000000 in izer's project, 0x00000020 in ours/,
      ],
      [{ error: 'main did not return' }, /^main\(\): ours: main did not return$/],
    ];
    for (const [application, message] of cases)
      assert.match(compareProjectImages(ref, image([base], { application } as Partial<HarnessReport>), names).summary, message);
  });
});
