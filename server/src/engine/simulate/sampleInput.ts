// The sample input as izer's simulation sees it: channel first, C×H×W, with (C, L) data given a trailing
// axis (C×L×1), and --synthesize-input applied (izer's sampledata.get).
import type { SampleInput } from '../sample/npy';
import { SimulationError, SIM } from './simulationError';
import { Tensor3, tensor3 } from './tensor';

export interface SampleOptions {
  /** --synthesize-input N, or null. */
  synthesizeInput?: number | null;
  /** --synthesize-words (default 8). */
  synthesizeWords?: number;
}

export function sampleTensor(sample: SampleInput, opts: SampleOptions = {}): Tensor3 {
  const s = sample.shape;
  if (s.length < 2 || s.length > 3 || s.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new SimulationError(SIM.badInput, `The sample input has shape (${s.join(', ')}); izer needs (C, H, W) or (C, L).`);
  }
  const [c, h, w] = [s[0], s[1], s.length === 3 ? s[2] : 1];
  if (sample.values.length !== c * h * w) {
    throw new SimulationError(SIM.badInput, `The sample input has ${sample.values.length} values for shape (${s.join(', ')}).`);
  }
  const data = Float64Array.from(sample.values);
  if (opts.synthesizeInput !== null && opts.synthesizeInput !== undefined) {
    synthesize(data, c, h * w, opts.synthesizeInput, opts.synthesizeWords ?? 8);
  }
  return tensor3(c, h, w, data);
}

/**
 * --synthesize-input: every `words` pixels, the packed little-endian word of the pixel `words` earlier (already
 * rewritten) plus N, masked to the channel bytes, replaces the data (izer's sampledata.get).
 */
function synthesize(data: Float64Array, c: number, pixels: number, add: number, words: number): void {
  if (c < 1 || c > 4) throw new SimulationError(SIM.badInput, '`--synthesize-input` requires 1 to 4 input channels.');
  if (words < 1 || pixels % words !== 0) {
    throw new SimulationError(SIM.badInput, `\`--synthesize-words\` must be a divisor of the number of pixels per channel (${pixels}).`);
  }
  const modulus = 2 ** (8 * c);
  for (let i = words; i < pixels; i += words) {
    for (let j = 0; j < words; j++) {
      let val = 0;
      for (let ch = c - 1; ch >= 0; ch--) val = val * 256 + (((data[ch * pixels + i + j - words] % 256) + 256) % 256);
      val = (((val + add) % modulus) + modulus) % modulus;
      for (let ch = 0; ch < c; ch++) {
        const byte = Math.floor(val / 2 ** (8 * ch)) % 256;
        data[ch * pixels + i + j] = byte >= 128 ? byte - 256 : byte;
      }
    }
  }
}
