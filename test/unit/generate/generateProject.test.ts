// The native generator on the built-in example network (no ../shared needed): the project has every file and izer's
// interface, and its data arrays decode back to the kernel image, the bias memory, the sample and the known answer.
import * as assert from 'node:assert/strict';
import { checkNetwork, CheckResult } from '../../../server/src/engine/check';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../../server/src/example/exampleNetwork';
import { readNpy, SampleInput } from '../../../server/src/engine/sample/npy';
import { generatorInput, synthesizeFromCheck, SynthesisOutcome } from '../../../server/src/engine/generate/synthesizeFromCheck';
import type { GeneratedFile } from '../../../server/src/engine/generate/generateProject';
import { buildKernelImage } from '../../../server/src/engine/generate/kernelImage';
import { resolveSynthesisOptions } from '../../../server/src/engine/generate/synthesisOptions';
import { FREE } from '../../../server/src/engine/analysis/kernelAllocation';
import { kernelMapText } from '../../../server/src/engine/analysis/kernelMapText';
import { simulate } from '../../../server/src/engine/simulate';
import { knownAnswerWords } from '../../../server/src/engine/simulate/knownAnswer';

function checkExample(flags: string[] = []): { check: CheckResult; sample: SampleInput } {
  const sample = readNpy(exampleSampleBytes());
  const check = checkNetwork({
    text: EXAMPLE_NETWORK_YAML,
    fileName: 'tinynet.yaml',
    izerFlags: flags,
    resolveInputs: () => ({ checkpoint: readCheckpoint(exampleCheckpointBytes()), sample }),
  });
  return { check, sample };
}

function project(outcome: SynthesisOutcome): Map<string, string> {
  assert.equal(outcome.kind, 'project', JSON.stringify(outcome));
  return new Map((outcome as { files: GeneratedFile[] }).files.map((f) => [f.path, f.text]));
}

/** The numbers of a `#define NAME { … }` array. */
function defineWords(text: string, name: string): number[] {
  const m = new RegExp(`#define ${name} \\{([^}]*)\\}`).exec(text);
  assert.ok(m, `${name} is defined`);
  return m[1]
    .replace(/\\/g, ' ')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => Number(x));
}

describe('native generator: the built-in example', () => {
  const { check, sample } = checkExample();
  const files = project(synthesizeFromCheck(check, sample, { prefix: 'tinynet', commandLine: 'ai8x synthesize tinynet.yaml' }));

  it('writes every file of izer project, and a make-able MSDK layout', () => {
    for (const name of [
      'cnn.c',
      'cnn.h',
      'main.c',
      'weights.h',
      'sampledata.h',
      'sampleoutput.h',
      'softmax.c',
      'log.txt',
      'Makefile',
      'project.mk',
      '.vscode/tasks.json',
      '.vscode/launch.json',
      '.vscode/settings.json',
    ])
      assert.ok(files.has(name), `${name} is written`);
    assert.match(files.get('project.mk')!, /^TARGET \?= MAX78000$/m);
    assert.match(files.get('Makefile')!, /include \$\(LIBS_DIR\)\/libs\.mk/);
    const tasks = JSON.parse(files.get('.vscode/tasks.json')!) as { tasks: { label: string; args: string[] }[] };
    assert.deepEqual(
      tasks.tasks.map((t) => t.label),
      ['build', 'clean', 'flash', 'erase flash'],
    );
    assert.ok(tasks.tasks[2].args.includes('flash.openocd'));
  });

  it("keeps izer's interface: cnn.h's functions, macros and the main.c entry points", () => {
    const h = files.get('cnn.h')!;
    for (const sig of [
      'int cnn_enable(uint32_t clock_source, uint32_t clock_divider);',
      'int cnn_disable(void);',
      'int cnn_init(void);',
      'int cnn_configure(void);',
      'int cnn_load_weights(void);',
      'int cnn_verify_weights(void);',
      'int cnn_load_bias(void);',
      'int cnn_start(void);',
      'int cnn_stop(void);',
      'int cnn_continue(void);',
      'int cnn_unload(uint32_t *out_buf);',
      'int cnn_boost_enable(mxc_gpio_regs_t *port, uint32_t pin);',
      'int cnn_boost_disable(mxc_gpio_regs_t *port, uint32_t pin);',
      'extern volatile uint32_t cnn_time;',
      '#define CNN_OK 1',
      '#define CNN_FAIL 0',
      '#define CNN_NUM_OUTPUTS 10',
    ])
      assert.ok(h.includes(sig), `cnn.h has ${sig}`);
    const c = files.get('cnn.c')!;
    for (const fn of [
      'void CNN_ISR(void)',
      'int cnn_init(void)',
      'int cnn_configure(void)',
      'int cnn_start(void)',
      'int cnn_unload(uint32_t *out_buf)',
      'int cnn_load_weights(void)',
      'int cnn_load_bias(void)',
    ])
      assert.ok(c.includes(fn), `cnn.c defines ${fn}`);
    const main = files.get('main.c')!;
    assert.ok(main.includes('void load_input(void)') && main.includes('int check_output(void)') && main.includes('int main(void)'));
  });

  it('the KERNELS blocks decode back to the kernel image, column by column', () => {
    const resolved = resolveSynthesisOptions(check.flags, check.device);
    const image = buildKernelImage(generatorInput(check, sample, resolved.options, { prefix: 'tinynet', commandLine: '' }));
    const words = defineWords(files.get('weights.h')!, 'KERNELS');
    const decoded = new Map<number, number[]>();
    let i = 0;
    let blocks = 0;
    while (words[i] !== 0) {
      const tagged = words[i++];
      const count = words[i++];
      // Express addresses carry the column offset divided by 4 in the low bits of the processor's window.
      const span = 1024 * 16;
      const address = (tagged & ~(span - 1)) + (tagged & (span - 1)) * 4;
      const bytes: number[] = [];
      for (let w = 0; w < count; w++) for (let b = 3; b >= 0; b--) bytes.push((words[i + w] >>> (8 * b)) & 0xff);
      i += count;
      const kernels = Math.floor((count * 4) / 9);
      for (let k = 0; k < kernels; k++) decoded.set(address + 16 * k, bytes.slice(9 * k, 9 * k + 9));
      blocks++;
    }
    assert.ok(blocks > 0);
    let columns = 0;
    for (let p = 0; p < 64; p++) {
      for (let col = 0; col < image.width; col++) {
        if (image.map[p * image.width + col] === FREE) continue;
        columns++;
        const address = 0x50180000 + Math.floor(p / 16) * 0x400000 + (p % 16) * 1024 * 16 + col * 16;
        const at = (p * image.width + col) * 9;
        assert.deepEqual(decoded.get(address), Array.from(image.bytes.subarray(at, at + 9)), `processor ${p}, column ${col}`);
      }
    }
    assert.equal(decoded.size, columns, 'no column is loaded twice or left out');
    const a = check.analysis!;
    // Processor 0's first column of layer 0 holds that layer's first 3x3 kernel (output 0, input 0).
    const first = image.map.indexOf(0);
    assert.ok(first >= 0 && first < image.width, 'layer 0 starts on processor 0');
    const kernel = Array.from(a.state.weights[0]!.data.subarray(0, 9)).map((v) => v & 0xff);
    assert.deepEqual(Array.from(image.bytes.subarray(first * 9, first * 9 + 9)), kernel);
  });

  it('BIAS_<quadrant> holds every layer bias at its allocated offset', () => {
    const a = check.analysis!;
    const weights = files.get('weights.h')!;
    a.memory!.bias.image.forEach((bytes, q) => {
      if (bytes.length === 0) assert.ok(!weights.includes(`BIAS_${q}`));
      else assert.deepEqual(defineWords(weights, `BIAS_${q}`), bytes);
    });
    for (let ll = 0; ll < a.state.layers; ll++) {
      const b = a.state.bias[ll];
      const g = a.memory!.bias.group[ll];
      if (!b || typeof g !== 'number') continue;
      const at = a.memory!.bias.offsets[ll][g]!;
      const mem = a.memory!.bias.image[g];
      assert.deepEqual(
        Array.from(b).map((v) => v & 0xff),
        mem.slice(at, at + b.length),
        `layer ${ll}`,
      );
    }
  });

  it('SAMPLE_INPUT_0 is the CHW sample, four bytes to a word, loaded at the first layer input', () => {
    const words = defineWords(files.get('sampledata.h')!, 'SAMPLE_INPUT_0');
    const bytes = words.flatMap((w) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff]);
    assert.deepEqual(
      bytes.slice(0, 256),
      Array.from(sample.values).map((v) => v & 0xff),
    );
    assert.match(files.get('main.c')!, /memcpy32\(\(uint32_t \*\) 0x50400000, input_0, 64\);/);
  });

  it("SAMPLE_OUTPUT is the simulator's known answer", () => {
    const sim = simulate(check.analysis!.plan!, sample, { device: check.device, flags: check.flags });
    assert.deepEqual(defineWords(files.get('sampleoutput.h')!, 'SAMPLE_OUTPUT'), knownAnswerWords(sim.knownAnswer));
  });

  it("log.txt keeps izer's kernel map block byte for byte", () => {
    const a = check.analysis!;
    assert.ok(files.get('log.txt')!.includes(kernelMapText(check.device, a.state.layers, a.memory!.kernels.map)));
  });

  it('with --fifo the input goes word by word through FIFO 0', () => {
    const fifo = checkExample(['--softmax', '--fifo']);
    const f = project(synthesizeFromCheck(fifo.check, fifo.sample, { prefix: 'tinynet', commandLine: '' }));
    const main = f.get('main.c')!;
    assert.match(main, /\*\(\(volatile uint32_t \*\) 0x50000008\) = \*in0\+\+;/);
    assert.ok(!main.includes('memcpy32('));
    assert.match(main, /cnn_start\(\);\n\s+load_input\(\);/);
  });
});

describe('native generator: what it refuses', () => {
  it('names a flag it does not implement, and makes nothing', () => {
    const { check, sample } = checkExample(['--zero-unused']);
    const outcome = synthesizeFromCheck(check, sample, { prefix: 'x', commandLine: '' });
    assert.equal(outcome.kind, 'refused');
    assert.deepEqual(
      (outcome as { unsupported: { flag: string }[] }).unsupported.map((u) => u.flag),
      ['--zero-unused'],
    );
  });

  it('does not generate a network with errors, and says why', () => {
    const { sample } = checkExample();
    const broken = checkNetwork({
      text: EXAMPLE_NETWORK_YAML.replace('processors: 0x0000000000000001', 'processors: 0x0000000000000003'),
      fileName: 'tinynet.yaml',
      resolveInputs: () => ({ checkpoint: readCheckpoint(exampleCheckpointBytes()), sample }),
    });
    const outcome = synthesizeFromCheck(broken, sample, { prefix: 'x', commandLine: '' });
    assert.equal(outcome.kind, 'not ready');
    assert.match((outcome as { message: string }).message, /error/);
  });

  it('needs the sample input', () => {
    const { check } = checkExample();
    const outcome = synthesizeFromCheck(check, null, { prefix: 'x', commandLine: '' });
    assert.equal(outcome.kind, 'not ready');
    assert.match((outcome as { message: string }).message, /sample input/);
  });
});
