// The network loop: in_sequences, next_sequence / simulated_sequence, in_dim, in_crop, checked layers,
// progress, cancellation and refusals (izer-compute §2.9, §3).
import * as assert from 'node:assert/strict';
import { SimulationCancelled, SimulationError, exportLayerNpy, simulate, simulateAsync } from '../../../server/src/engine/simulate';
import { readNpy } from '../../../server/src/engine/sample/npy';
import { layer, network, sample, values } from './handPlan';

const pointwise = (ll: number, w: number[], extra: Parameters<typeof layer>[1]) =>
  layer(ll, { kernelSize: [1, 1], pad: [0, 0], weights: w, outputShift: 7, ...extra });

describe('simulator: network loop', () => {
  it('in_sequences with equal dimensions concatenates channels in list order', () => {
    const plan = network(
      [
        layer(0, { op: 'none', inChannels: 1, outChannels: 1, inDim: [1, 2], quantization: 0 }),
        pointwise(1, [2], { inChannels: 1, outChannels: 1, inDim: [1, 2] }),
        pointwise(2, [1, 10], { inChannels: 2, outChannels: 1, inDim: [1, 2], inSequences: [0, 1] }),
      ],
      [1, 1, 2],
    );
    const r = simulate(plan, sample([1, 1, 2], [1, 2]), { device: 'MAX78000' });
    // ch0 = L0 = [1, 2], ch1 = L1 = [2, 4] → 1·ch0 + 10·ch1 = [21, 42].
    assert.deepEqual(values(r.output.values), [21, 42]);
  });

  it('in_sequences with different dimensions joins pixels per channel and reshapes to in_dim', () => {
    const plan = network(
      [
        layer(0, { op: 'none', inChannels: 1, outChannels: 1, inDim: [2, 2], pooledDim: [1, 1], pool: [2, 2], poolStride: [2, 2], quantization: 0 }),
        layer(1, { op: 'none', inChannels: 1, outChannels: 1, inDim: [2, 2], inSequences: [-1], quantization: 0 }),
        layer(2, { op: 'none', inChannels: 1, outChannels: 1, inDim: [5, 1], inSequences: [0, 1], quantization: 0 }),
      ],
      [1, 2, 2],
    );
    const r = simulate(plan, sample([1, 2, 2], [1, 2, 3, 4]), { device: 'MAX78002' });
    assert.deepEqual(r.output.shape, [1, 5, 1]);
    assert.deepEqual(values(r.output.values), [4, 1, 2, 3, 4]);
  });

  it('in_sequences [a] reads the output of the layer that ran just before layer a+1 (next_sequence quirk)', () => {
    // Execution 0 → 2 → 1. Layer 1 names layer 0 but receives layer 2's output, as in izer.
    const plan = network(
      [
        pointwise(0, [2], { inChannels: 1, outChannels: 1, inDim: [1, 2], nextSequence: 2 }),
        pointwise(1, [1], { inChannels: 1, outChannels: 1, inDim: [1, 2], inSequences: [0], nextSequence: -1, prevSequence: 2 }),
        pointwise(2, [3], { inChannels: 1, outChannels: 1, inDim: [1, 2], nextSequence: 1, prevSequence: 0 }),
      ],
      [1, 1, 2],
    );
    const r = simulate(plan, sample([1, 1, 2], [1, 2]), { device: 'MAX78002' });
    assert.deepEqual(
      r.layers.map((l) => l.index),
      [0, 2, 1],
    );
    assert.deepEqual(values(r.output.values), [6, 12]);
  });

  it('simulated_sequence: stop ends the simulation and makes that layer the checked one', () => {
    const plan = network(
      [
        pointwise(0, [2], { inChannels: 1, outChannels: 1, inDim: [1, 1], simulatedSequence: -1 }),
        pointwise(1, [3], { inChannels: 1, outChannels: 1, inDim: [1, 1] }),
      ],
      [1, 1, 1],
      { terminatingLayer: 0 },
    );
    const r = simulate(plan, sample([1, 1, 1], [5]), { device: 'MAX78000' });
    assert.deepEqual(
      r.layers.map((l) => [l.index, l.checked]),
      [[0, true]],
    );
    assert.deepEqual(r.knownAnswer, [{ address: '0x50400000', mask: '0x000000ff', words: ['0x0000000a'] }]);
  });

  it('in_dim reshapes in C order (1-D (C, L) input to 2-D channels)', () => {
    const plan = network(
      [
        layer(0, { op: 'none', inChannels: 2, outChannels: 2, inDim: [2, 2], quantization: 0 }),
        layer(1, { inChannels: 2, outChannels: 1, inDim: [2, 2], kernelSize: [1, 1], pad: [0, 0], weights: [1, 100], outputWidth: 32 }),
      ],
      [1, 8, 1],
    );
    const r = simulate(plan, sample([1, 8], [1, 2, 3, 4, 5, 6, 7, 8]), { device: 'MAX78000' });
    // (1, 8) → (2, 2, 2): ch0 = 1..4, ch1 = 5..8 → ch0 + 100·ch1.
    assert.deepEqual(values(r.output.values), [501, 602, 703, 804]);
  });

  it('in_crop drops leading and trailing rows before the reshape', () => {
    const plan = network([layer(0, { op: 'none', inChannels: 1, outChannels: 1, inDim: [2, 1], inCrop: [1, 1], quantization: 0 })], [1, 4, 1]);
    const r = simulate(plan, sample([1, 4], [1, 2, 3, 4]), { device: 'MAX78000' });
    assert.deepEqual(values(r.output.values), [2, 3]);
  });

  it('a 32-bit intermediate output reaches the next layer as raw accumulators', () => {
    // L0: 10·x with 32-bit output = [1000, −1000]; L1 shift 0: floor(0.5 + acc/128) = [8, −8].
    const plan = network(
      [
        layer(0, { inChannels: 1, outChannels: 1, inDim: [1, 2], kernelSize: [1, 1], pad: [0, 0], weights: [10], outputWidth: 32 }),
        layer(1, { inChannels: 1, outChannels: 1, inDim: [1, 2], kernelSize: [1, 1], pad: [0, 0], weights: [1], outputShift: 0 }),
      ],
      [1, 1, 2],
    );
    const r = simulate(plan, sample([1, 1, 2], [100, -100]), { device: 'MAX78000' });
    assert.deepEqual(values(r.layers[0].values), [1000, -1000]);
    assert.deepEqual(values(r.output.values), [8, -8]);
  });

  it('checks every output layer and the terminating layer, merged by mask then address', () => {
    // L0 (output: true): 1 channel 1×2, 8-bit at 0x100 → one byte per word, mask 0xff.
    // L1 (final): 32-bit at 0x200 → pixel d at 0x200 + 16·d (one 4-word slot per pixel).
    const plan = network(
      [
        pointwise(0, [2], { inChannels: 1, outChannels: 1, inDim: [1, 2], outputLayer: true, outOffset: 0x100 }),
        layer(1, { inChannels: 1, outChannels: 1, inDim: [1, 2], kernelSize: [1, 1], pad: [0, 0], weights: [-1], outputWidth: 32, outOffset: 0x200 }),
      ],
      [1, 1, 2],
    );
    const r = simulate(plan, sample([1, 1, 2], [3, -4]), { device: 'MAX78000' });
    assert.deepEqual(r.knownAnswer, [
      { address: '0x50400100', mask: '0x000000ff', words: ['0x00000006', '0x000000f8'] },
      { address: '0x50400200', mask: '0xffffffff', words: ['0xfffffffa'] },
      { address: '0x50400210', mask: '0xffffffff', words: ['0x00000008'] },
    ]);
    assert.equal(r.totalMacs, 4);
  });

  it('reports each layer to onLayer and warns about all-zero outputs (IZ284)', () => {
    const plan = network(
      [pointwise(0, [0], { inChannels: 1, outChannels: 1, inDim: [1, 1] }), pointwise(1, [1], { inChannels: 1, outChannels: 1, inDim: [1, 1] })],
      [1, 1, 1],
    );
    const seen: [number, number, number][] = [];
    const r = simulate(plan, sample([1, 1, 1], [7]), { device: 'MAX78000', onLayer: (l, done, total) => seen.push([l.index, done, total]) });
    assert.deepEqual(seen, [
      [0, 1, 2],
      [1, 2, 2],
    ]);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.layer]),
      [
        ['IZ284', 0],
        ['IZ284', 1],
      ],
    );
    assert.match(r.warnings[0].message, /^Layer 0: All output values for the given sample input are zero\./);
    const quiet = simulate(plan, sample([1, 1, 1], [7]), { device: 'MAX78000', flags: { noWarnZero: true } });
    assert.equal(quiet.warnings.length, 0);
  });

  it('stops with SimulationCancelled when the signal fires', async () => {
    const plan = network(
      [pointwise(0, [1], { inChannels: 1, outChannels: 1, inDim: [1, 1] }), pointwise(1, [1], { inChannels: 1, outChannels: 1, inDim: [1, 1] })],
      [1, 1, 1],
    );
    const ac = new AbortController();
    const ran: number[] = [];
    assert.throws(
      () =>
        simulate(plan, sample([1, 1, 1], [1]), {
          device: 'MAX78000',
          signal: ac.signal,
          onLayer: (l) => {
            ran.push(l.index);
            ac.abort();
          },
        }),
      SimulationCancelled,
    );
    assert.deepEqual(ran, [0]);
    await assert.rejects(simulateAsync(plan, sample([1, 1, 1], [1]), { device: 'MAX78000', signal: ac.signal }), SimulationCancelled);
    const done = await simulateAsync(plan, sample([1, 1, 1], [1]), { device: 'MAX78000' });
    assert.deepEqual(values(done.output.values), [1]);
  });

  it('refuses to read the output of a layer that has not run', () => {
    const plan = network(
      [
        pointwise(0, [1], { inChannels: 1, outChannels: 1, inDim: [1, 1], inSequences: [1] }),
        pointwise(1, [1], { inChannels: 1, outChannels: 1, inDim: [1, 1] }),
      ],
      [1, 1, 1],
    );
    assert.throws(
      () => simulate(plan, sample([1, 1, 1], [1]), { device: 'MAX78000' }),
      (e: unknown) => e instanceof SimulationError && e.code === 'AX402' && e.layer === 0,
    );
  });

  it('reports izer’s dimension error when pooled data does not match the plan', () => {
    const plan = network(
      [layer(0, { op: 'none', inChannels: 1, outChannels: 1, inDim: [2, 2], pooledDim: [2, 2], pool: [2, 2], poolStride: [2, 2], quantization: 0 })],
      [1, 2, 2],
    );
    assert.throws(
      () => simulate(plan, sample([1, 2, 2], [1, 2, 3, 4]), { device: 'MAX78000' }),
      (e: unknown) => e instanceof SimulationError && e.code === 'IZ277' && /Expected: 1x2x2, got 1x1x1\./.test(e.message),
    );
  });
});

describe('simulator: export', () => {
  it('exports a layer output as an int64 C×H×W .npy that numpy’s reader gets back unchanged', () => {
    const plan = network([layer(0, { op: 'none', inChannels: 2, outChannels: 2, inDim: [1, 2], quantization: 0 })], [2, 1, 2]);
    const r = simulate(plan, sample([2, 1, 2], [-128, 127, 0, 5]), { device: 'MAX78000' });
    const bytes = exportLayerNpy(r.output);
    assert.ok(bytes);
    const back = readNpy(bytes);
    assert.deepEqual([back.dtype, back.shape, Array.from(back.values)], ['int64', [2, 1, 2], [-128, 127, 0, 5]]);
  });
});

describe('simulator: --synthesize-input', () => {
  it('replaces each later pixel by the packed word `words` pixels earlier plus N, carrying across channel bytes', () => {
    // 2 channels, 2 pixels, words = 1, N = 1: pixel 1 = (ch1[0] << 8 | ch0[0]) + 1 = 0x00ff + 1 = 0x0100 → ch0 0, ch1 1.
    const pass = network([layer(0, { op: 'none', inChannels: 2, outChannels: 2, inDim: [1, 2], quantization: 0 })], [2, 1, 2]);
    const r = simulate(pass, sample([2, 1, 2], [-1, 9, 0, 9]), { device: 'MAX78000', flags: { synthesizeInput: 1, synthesizeWords: 1 } });
    assert.deepEqual(values(r.output.values), [-1, 0, 0, 1]);
  });

  it('wraps within the channel bytes (1 channel: 127 + 1 → −128, 0xff + 1 → 0)', () => {
    const pass = network([layer(0, { op: 'none', inChannels: 1, outChannels: 1, inDim: [1, 4], quantization: 0 })], [1, 1, 4]);
    const r = simulate(pass, sample([1, 1, 4], [127, -1, 50, 60]), { device: 'MAX78000', flags: { synthesizeInput: 1, synthesizeWords: 2 } });
    assert.deepEqual(values(r.output.values), [127, -1, -128, 0]);
  });
});
