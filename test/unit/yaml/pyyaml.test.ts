// Values are read the way izer's PyYAML loader reads them (YAML 1.1 implicit typing), and izer's own
// parsing of masks, kernels, dimensions and layer references on top.
import * as assert from 'node:assert';
import { PyScalar, resolvePlainScalar } from '../../../server/src/engine/yaml/pyyamlScalar';
import { parseMaskValue } from '../../../server/src/engine/yaml/pyValue';
import { parseYamlTree } from '../../../server/src/engine/yaml/yamlTree';
import { checkNetwork } from '../../../server/src/engine/check';
import { quickFixes } from '../../../server/src/engine/services/quickFixes';
import { applyEdits } from '../../../server/src/engine/textEdits';

describe('PyYAML 1.1 scalars', () => {
  const cases: [string, unknown][] = [
    ['0x10', 16n],
    ['0777', 511n],
    ['0000000000000111', 73n],
    ['09', '09'],
    ['1_000', 1000n],
    ['0b101', 5n],
    ['-0x1', -1n],
    ['1:30', 90n],
    ['yes', true],
    ['Off', false],
    ['y', 'y'],
    ['n', 'n'],
    ['None', 'None'],
    ['~', null],
    ['null', null],
    ['', null],
    ['1.5', 1.5],
    ['1e3', '1e3'],
    ['1.0e+3', 1000],
    ['.inf', Infinity],
    ['3x3', '3x3'],
    ['0x0000.0000.0000.0111', '0x0000.0000.0000.0111'],
    ['0xffffffffffffffff', 0xffffffffffffffffn],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} → ${typeof want === 'bigint' ? want + 'n' : JSON.stringify(want)}`, () => {
      const v = resolvePlainScalar(text)!;
      const got = v.kind === 'null' ? null : v.value;
      assert.deepStrictEqual(got, want);
    });
  }
});

describe('PyYAML explicit tags', () => {
  const value = (src: string) => {
    const t = parseYamlTree(`v: ${src}\n`);
    assert.deepStrictEqual(t.problems, [], src);
    const v = t.root!.type === 'map' && t.root!.entries[0].value;
    assert.ok(v && v.type === 'scalar', src);
    return v.value;
  };
  // What PyYAML 6.0 (yaml.Loader, as izer loads) returned for each `v: <src>`.
  const cases: [string, PyScalar][] = [
    ['!!int 5', { kind: 'int', value: 5n }],
    ['!!int "5"', { kind: 'int', value: 5n }],
    ['!!int " 5"', { kind: 'int', value: 5n }],
    ['!!int 0o17', { kind: 'int', value: 15n }],
    ['!!int 017', { kind: 'int', value: 15n }],
    ['!!int 0b1_0', { kind: 'int', value: 2n }],
    ['!!int 1:30', { kind: 'int', value: 90n }],
    ['!!int +-5', { kind: 'int', value: -5n }],
    ['!!int 0xffffffffffffffff', { kind: 'int', value: 0xffffffffffffffffn }],
    ['!!float 5', { kind: 'float', value: 5 }],
    ['!!float 1e5', { kind: 'float', value: 100000 }],
    ['!!float inf', { kind: 'float', value: Infinity }],
    ['!!float infinity', { kind: 'float', value: Infinity }],
    ['!!float .NaN', { kind: 'float', value: NaN }],
    ['!!float 1_0.5', { kind: 'float', value: 10.5 }],
    ['!!float "-.5E2"', { kind: 'float', value: -50 }],
    ['!!bool YES', { kind: 'bool', value: true }],
    ['!!bool off', { kind: 'bool', value: false }],
    ['!!null x', { kind: 'null' }],
    ['!!str 5', { kind: 'str', value: '5' }],
    ['!!str 0x10', { kind: 'str', value: '0x10' }],
    ['! 5', { kind: 'int', value: 5n }],
    ['! "5"', { kind: 'int', value: 5n }],
  ];
  for (const [src, want] of cases) it(`${src} → ${want.kind} ${'value' in want ? String(want.value) : ''}`, () => assert.deepStrictEqual(value(src), want));

  const loadError = (body: string, at: string) => {
    const text = `arch: a\ndataset: d\nlayers:\n${body}`;
    const r = checkNetwork({ text, fileName: 't.yaml' });
    // yamllint runs before izer loads the file: its findings (here YL005, no `---`) stay.
    assert.deepStrictEqual(
      r.diagnostics.map((d) => d.code),
      ['YL005', 'YAML003'],
      JSON.stringify(r.diagnostics),
    );
    const d = r.diagnostics[1];
    const start = text.indexOf(at);
    assert.ok(d.range[0] >= start && d.range[1] <= start + at.length, `${JSON.stringify(d.range)} within ${JSON.stringify(at)} at ${start}`);
    return d.message;
  };

  // PyYAML raised ValueError, KeyError or IndexError on each: izer stops before it reads the network.
  for (const src of ['!!int abc', '!!int', '!!int ""', '!!int 08', '!!int 0B1', '!!int 0x', '!!bool maybe', '!!float abc', '!!float 1e']) {
    it(`${src} is an error at the scalar`, () => {
      const message = loadError(`  - processors: ${src}\n    out_offset: 0\n`, src);
      assert.match(message, /is not a value PyYAML can read as !!(int|bool|float) \(the scalar's tag\)/);
    });
  }

  // izer's loader (PyYAML's Loader with izer's own construct_mapping) raised ConstructorError on each.
  it("a merge key `<<` is an error: izer's mapping constructor has no merge step", () => {
    const message = loadError('  - &first\n    processors: 0x1\n    out_offset: 0\n  - <<: *first\n    out_offset: 0x2000\n', '<<');
    assert.match(message, /merge key/);
  });
  it('a plain `<<` value is an error too, and a quoted one is a string', () => {
    loadError('  - processors: 0x1\n    out_offset: 0\n    name: <<\n', '<<');
    assert.deepStrictEqual(value('"<<"'), { kind: 'str', value: '<<' });
  });
  for (const [src, want] of [
    ['!foo 5', /no constructor for the tag `!foo`/],
    ['!!foo 5', /no constructor for the tag `!!foo`/],
    ['!!merge x', /merge key/],
    ['!foo {a: 1}', /no constructor for the tag `!foo`/],
    ['!!int [1]', /`!!int` needs a scalar, but the value is a sequence/],
    ['!!seq 5', /`!!seq` needs a sequence, but the value is a scalar/],
    ['!!omap {a: 1}', /`!!omap` needs a sequence, but the value is a mapping/],
  ] as const) {
    it(`${src} is an error at the value`, () => assert.match(loadError(`  - processors: 0x1\n    out_offset: 0\n    name: ${src}\n`, src), want));
  }
  it('tags PyYAML builds are no error: !!set, !!omap, !!python/tuple, !!binary, a verbatim !<tag:yaml.org,2002:int>', () => {
    for (const src of ['!!set {b, c}', '!!omap [b: 1]', '!!python/tuple [1, 2]', '!!binary aGk=', '!!map {b: 1}', '!!seq [1]'])
      assert.deepStrictEqual(parseYamlTree(`v: ${src}\n`).problems, [], src);
    assert.deepStrictEqual(value('!<tag:yaml.org,2002:int> 7'), { kind: 'int', value: 7n });
  });
  it('a syntax error anywhere comes before a value PyYAML cannot build', () => {
    const r = checkNetwork({ text: 'arch: a\ndataset: d\nlayers:\n  - processors: !!int abc\n    out_offset: [0\n', fileName: 't.yaml' });
    assert.deepStrictEqual(
      r.diagnostics.map((d) => d.code),
      ['YAML001'],
    );
  });
});

describe('PyYAML composer: anchors and aliases', () => {
  const check = (layers: string) => checkNetwork({ text: `arch: a\ndataset: d\nlayers:\n${layers}`, fileName: 't.yaml' });
  const layer = (mask: string) => `  - processors: ${mask}\n    out_offset: 0\n    op: none\n`;

  it('an anchor name used twice is an error at the second (PyYAML: "found duplicate anchor")', () => {
    const r = check(layer('&m 0x1') + layer('&m 0x2'));
    assert.deepStrictEqual(
      r.diagnostics.map((d) => d.code),
      ['YAML001'],
    );
    const [d] = r.diagnostics;
    assert.strictEqual(r.lines.text.slice(d.range[0], d.range[1]), '&m');
    assert.ok(d.range[0] > r.lines.text.indexOf('0x1'), 'at the second anchor');
    assert.match(d.message, /`&m` is defined a second time \(first on line 4\)/);
  });

  it('an alias before its anchor, or to none, is an error at the alias (PyYAML: "found undefined alias")', () => {
    for (const layers of [layer('*m') + layer('&m 0x1'), layer('*nowhere')]) {
      const r = check(layers);
      assert.deepStrictEqual(
        r.diagnostics.map((d) => d.code),
        ['YAML001'],
        layers,
      );
      assert.match(r.diagnostics[0].message, /The alias `\*(m|nowhere)` refers to no anchor/);
      assert.match(r.lines.text.slice(...r.diagnostics[0].range), /^\*/);
    }
  });

  it('an alias after its anchor is the anchored value, and a document starts its anchors afresh', () => {
    const r = check(layer('&m 0x3') + layer('*m'));
    assert.ok(!r.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(r.diagnostics));
    assert.deepStrictEqual(
      r.model.layers.map((l) => l.processors),
      [3n, 3n],
    );
    const tree = parseYamlTree('a: &x 1\n---\nb: &x 2\n');
    assert.deepStrictEqual(
      tree.problems.map((p) => p.code),
      ['MULTIPLE_DOCS'],
    );
    assert.deepStrictEqual(
      tree.anchors.map((a) => a.name),
      ['x', 'x'],
    );
  });
});

describe('PyYAML reader: characters', () => {
  it('a control character is an error at it, before any syntax error (PyYAML checks the text first)', () => {
    const text = 'arch: [a\ndataset: d # bell \x07\nlayers: []\n';
    const r = checkNetwork({ text, fileName: 't.yaml' });
    assert.deepStrictEqual(
      r.diagnostics.map((d) => d.code),
      ['YAML001'],
    );
    assert.deepStrictEqual(r.diagnostics[0].range, [text.indexOf('\x07'), text.indexOf('\x07') + 1]);
    assert.match(r.diagnostics[0].message, /U\+0007 is not allowed/);
  });

  it("a lone CR ends a line, as in Python's text mode, where izer reads the file", () => {
    const tree = parseYamlTree('a: 1\rb: 2\r# c\r');
    assert.deepStrictEqual(tree.problems, []);
    assert.deepStrictEqual(tree.root?.type === 'map' && tree.root.entries.map((e) => e.keyName), ['a', 'b']);
    assert.strictEqual(tree.text, 'a: 1\rb: 2\r# c\r', 'the tree keeps the text as it is');
  });

  it('NEL, LS and PS end lines too, as in PyYAML (YAML 1.1)', () => {
    for (const br of ['\u0085', '\u2028', '\u2029']) {
      const tree = parseYamlTree(`a: 1${br}b: 2\n`);
      assert.deepStrictEqual(tree.problems, [], JSON.stringify(br));
      assert.deepStrictEqual(tree.root?.type === 'map' && tree.root.entries.map((e) => e.keyName), ['a', 'b']);
    }
  });

  it('tabs, CRLF, NEL, a byte-order mark and characters beyond the BMP are allowed', () => {
    for (const text of ['\ufeffa: 1\n', 'a: "x\ty"\r\n', 'a: x\u0085\n', 'a: 😀\n', 'a: \u00e9\n'])
      assert.deepStrictEqual(parseYamlTree(text).problems, [], JSON.stringify(text));
  });
});

describe('PyYAML scanner: tabs', () => {
  // What PyYAML 6.0 said of each text: null where it loaded it, else the offset of the tab it stopped at
  // ("found character '\t' that cannot start any token").
  const cases: [string, number | null][] = [
    ['a: 1\t# c\n', 4],
    ['a:\t1\n', 2],
    ['a: b\tc\n', 4],
    ['a: [1,\t2]\n', 6],
    ['a: "x"\t\n', 6],
    ['\ta: 1\n', 0],
    ['a:\n\t- 1\n', 3],
    ['a: 1 \t # c\n', 5],
    ['a: {b: 1,\tc: 2}\n', 9],
    ['a: 1\n  \t\nb: 2\n', 7],
    ['a: |\n  x\ty\n', null],
    ['# c\t\n', null],
    ['a: "x\ty"\n', null],
    ["a: 'x\ty'\n", null],
  ];
  for (const [text, at] of cases) {
    it(`${JSON.stringify(text)}: ${at === null ? 'loads' : `stops at the tab at ${at}`}`, () => {
      const problems = parseYamlTree(text).problems;
      if (at === null) return assert.deepStrictEqual(problems, []);
      const first = [...problems].sort((x, y) => x.range[0] - y.range[0])[0];
      assert.deepStrictEqual([first.code, first.range], ['TAB', [at, at + 1]]);
      assert.match(first.message, /cannot start any token/);
    });
  }
});

describe('PyYAML parser: empty keys', () => {
  // PyYAML 6.0 refused each `key` of these ("expected <block end>, but found ':'", "expected the node content") and
  // loaded the others with a None key.
  for (const [text, at] of [
    ['a:\n  b: 1\n  : conv2d\n', 12],
    ['- : 1\n', 2],
    [': 1\n', 0],
    ['a: {: 1}\n', 4],
    ['a: [: 1]\n', 4],
    ['a: [1,\n    : 2]\n', 11],
    ['? \n: 1\n', null],
    ['&x : 1\n', null],
    ['"": 1\n', null],
  ] as const) {
    it(`${JSON.stringify(text)}: ${at === null ? 'loads' : `stops at the colon at ${at}`}`, () => {
      const problems = parseYamlTree(text).problems;
      if (at === null) return assert.deepStrictEqual(problems, []);
      assert.deepStrictEqual(
        problems.map((p) => [p.code, p.range]),
        [['EMPTY_KEY', [at, at + 1]]],
      );
    });
  }
});

describe('PyYAML scanner: flow collections and anchor names', () => {
  // PyYAML 6.0 refused each text with a non-null offset there ("expected ',' or ']', but got '?'", "expected the
  // node content, but found ':'", "expected alphabetic or numeric character") and loaded the others.
  for (const [text, at, code] of [
    ['x: [a?b]', 5, 'FLOW_PLAIN'],
    ['x: [0x20?1007]', 8, 'FLOW_PLAIN'],
    ['x: {a: b?c}', 8, 'FLOW_PLAIN'],
    ['x: [a, b ?c]', 9, 'FLOW_PLAIN'],
    ['x: [:a]', 4, 'FLOW_PLAIN'],
    ['a: &a.b x', 5, 'BAD_ANCHOR_NAME'],
    ['a: &ä x', 4, 'BAD_ANCHOR_NAME'],
    ['a: &a@ x', 5, 'BAD_ANCHOR_NAME'],
    ['x: a?b', null, ''],
    ['x: [a:b]', null, ''],
    ['x: [a, ? c]', null, ''],
    ['x: ["a?b"]', null, ''],
    ['x: [a :b]', null, ''],
    ['a: &a-b_c9 x\nb: *a-b_c9', null, ''],
  ] as const) {
    it(`${JSON.stringify(text)}: ${at === null ? 'loads' : `stops at ${at}`}`, () => {
      const problems = parseYamlTree(text).problems;
      if (at === null) return assert.deepStrictEqual(problems, []);
      assert.deepStrictEqual([problems[0].code, problems[0].range], [code, [at, at + 1]]);
    });
  }
});

describe('PyYAML scanner: an anchor name followed by an indicator', () => {
  const HEAD = '---\narch: a\ndataset: d\nlayers:\n  - processors: 0x0000000000000001\n';

  it('`&a: 1` is an anchor on an empty key to PyYAML: YAML004, with the space that makes this checker read it so', () => {
    const text = HEAD + '    &aout_offset: 0x4000\n    op: none\n';
    const r = checkNetwork({ text, fileName: 't.yaml' });
    assert.deepStrictEqual(
      r.diagnostics.map((d) => d.code),
      ['YAML004'],
    );
    const [d] = r.diagnostics;
    assert.match(d.message, /PyYAML ends the anchor name `&aout_offset` at `:`/);
    assert.strictEqual(text.slice(d.range[0], d.range[1]), '&aout_offset:');
    const fixes = quickFixes(r, d.range);
    assert.deepStrictEqual(
      fixes.map((f) => f.title),
      ['Put a space after &aout_offset'],
    );
    assert.ok(applyEdits(text, fixes[0].edits).includes('    &aout_offset : 0x4000\n'));
  });

  it('with such an anchor, a later error izer stops at is reported at its place', () => {
    const text = HEAD + '    &aout_offset: 0x4000\n    op: none\n    pad: [1\n';
    const r = checkNetwork({ text, fileName: 't.yaml' });
    assert.deepStrictEqual(
      r.diagnostics.map((d) => d.code),
      ['YAML001'],
    );
    assert.ok(r.diagnostics[0].range[0] > text.indexOf('pad:'), JSON.stringify(r.diagnostics[0]));
  });

  it('an alias that way refers to the anchor PyYAML reads, and to no other', () => {
    assert.deepStrictEqual(parseYamlTree('a: &x 1\nb: [*x, 2]\n').problems, []);
    assert.deepStrictEqual(
      parseYamlTree('a: 1\nb: [*x, 2]\n').problems.map((p) => p.code),
      ['UNDEFINED_ALIAS'],
    );
  });
});

describe('PyYAML: a number its constructor rejects', () => {
  // PyYAML 6.0 resolves each as an int and then raises ValueError ("invalid literal for int() with base 16: ''").
  for (const src of ['0x_', '0b_', '-0x__']) {
    it(`\`${src}\` is a YAML003 at the value, not a crash`, () => {
      const text = `arch: a\ndataset: d\nlayers:\n  - processors: ${src}\n    out_offset: 0\n`;
      const r = checkNetwork({ text, fileName: 't.yaml' });
      const d = r.diagnostics.find((x) => x.code.startsWith('YAML'));
      assert.strictEqual(d?.code, 'YAML003', JSON.stringify(r.diagnostics));
      assert.strictEqual(text.slice(d.range[0], d.range[1]), src);
      assert.match(d.message, /as a number, which its constructor then cannot build/);
    });
  }
  it('`0_` and `0_7` are ints, as PyYAML builds them', () => {
    assert.deepStrictEqual(resolvePlainScalar('0_'), { kind: 'int', value: 0n });
    assert.deepStrictEqual(resolvePlainScalar('0_7'), { kind: 'int', value: 7n });
  });
});

describe('izer value parsing', () => {
  const scalar = (src: string) => {
    const t = parseYamlTree(`v: ${src}\n`);
    return t.root!.type === 'map' ? t.root!.entries[0].value : null;
  };
  it('processor maps: hex strings with dots or underscores, quoted hex, plain ints', () => {
    assert.strictEqual(parseMaskValue(scalar('0x0000.0000.0000.0111')), 0x111n);
    assert.strictEqual(parseMaskValue(scalar('"0xffff_ffff"')), 0xffffffffn);
    assert.strictEqual(parseMaskValue(scalar("'ff'")), 0xffn);
    assert.strictEqual(parseMaskValue(scalar('0xfffffffffffffff0')), 0xfffffffffffffff0n);
    assert.strictEqual(parseMaskValue(scalar('xyz')), 'xyz');
  });

  it('layer keys: kernel `3x3`/`1`, in_dim int or [H, W], pooling int or list, in_sequences names, numbers and input', () => {
    const text = `arch: a
dataset: d
layers:
  - processors: 0x1
    op: conv1d
    kernel_size: 5
    pad: 0
    activate: None
    out_offset: 0
  - processors: 0x1
    op: conv2d
    kernel_size: 1X1
    pad: 0
    in_dim: [4, 8]
    max_pool: [2, 1]
    pool_stride: 2
    activate: None
    out_offset: 0x4000
    name: second
  - processors: 0x1
    op: add
    in_sequences: [input, SECOND, 0]
    in_dim: 16
    out_offset: 0
`;
    const r = checkNetwork({ text, fileName: 'p.yaml', deviceOverride: 'MAX78002' });
    const [l0, l1, l2] = r.model.layers;
    assert.deepStrictEqual(l0.kernelSize, [5, 1]);
    assert.deepStrictEqual(l0.pad, [0, 0]);
    assert.deepStrictEqual(l1.kernelSize, [1, 1], '`1X1` is read case-insensitively');
    assert.deepStrictEqual(l1.inDim, [4, 8]);
    assert.deepStrictEqual(l1.pool, [2, 1]);
    assert.deepStrictEqual(l1.poolStride, [2, 2]);
    assert.deepStrictEqual(l2.inDim, [16, 1]);
    assert.deepStrictEqual(
      l2.inSequences!.map((x) => x.value),
      ['input', 'SECOND', 0],
    );
    assert.strictEqual(l2.eltwise, 'add');
    assert.strictEqual(l2.operands, 2);
    assert.ok(!r.diagnostics.some((d) => d.code === 'IZ059'), 'names match without case, `input` is the network input');
  });
});
