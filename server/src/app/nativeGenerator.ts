// The seam for the native C-code generator (server/src/engine/generate/, a pure engine module): the synthesize
// workflow takes a NativeGenerator and places its files exactly as it places izer's output. Until the generator is
// plugged in here, `native` synthesis is refused in words and izer remains the way to make C code.
import type { AnalysisResult } from '../engine/analysis/runAnalysis';
import type { CheckResult } from '../engine/check';
import type { GeneratedFile } from '../synthesis/synthesize';

export interface NativeGeneratorInput {
  /** The network checked with its checkpoint and sample input, without errors (device and izer flags included). */
  result: CheckResult;
  analysis: AnalysisResult;
  /** izer's --prefix: the project's name. */
  prefix: string;
}

/** The project's files, or a refusal that names the izer flag (or other feature) the generator does not support. */
export type NativeGeneration = { ok: true; files: GeneratedFile[] } | { ok: false; flag: string | null; message: string };

export type NativeGenerator = (input: NativeGeneratorInput) => NativeGeneration;

/** The generator this build carries: none yet. */
export const NATIVE_GENERATOR: NativeGenerator | null = null;
