// The native C-code generator (server/src/engine/generate/, a pure engine module) as the synthesize workflow uses
// it: the checked network in, the project's files out, or a refusal that names what the generator does not do.
import type { AnalysisResult } from '../engine/analysis/runAnalysis';
import type { CheckResult } from '../engine/check';
import type { SampleInput } from '../engine/sample/npy';
import { synthesizeFromCheck } from '../engine/generate/synthesizeFromCheck';
import type { GeneratedFile } from '../synthesis/synthesize';

export interface NativeGeneratorInput {
  /** The network checked with its checkpoint and sample input, without errors (device and izer flags included). */
  result: CheckResult;
  analysis: AnalysisResult;
  /** The sample input the project loads and its known answer comes from. */
  sample: SampleInput | null;
  /** izer's --prefix: the project's name. */
  prefix: string;
  /** How the synthesis was asked for, recorded in the generated files. */
  commandLine: string;
}

/** The project's files, or a refusal that names the izer flag (or other feature) the generator does not support. */
export type NativeGeneration = { ok: true; files: GeneratedFile[]; warnings: string[] } | { ok: false; flag: string | null; message: string };

export type NativeGenerator = (input: NativeGeneratorInput) => NativeGeneration;

export const NATIVE_GENERATOR: NativeGenerator = (input) => {
  const outcome = synthesizeFromCheck(input.result, input.sample, { prefix: input.prefix, commandLine: input.commandLine });
  switch (outcome.kind) {
    case 'project':
      return { ok: true, files: outcome.files.map((f) => ({ path: f.path, contents: f.text })), warnings: outcome.warnings };
    case 'refused': {
      const names = outcome.unsupported.map((u) => `${u.flag} (${u.reason})`).join('; ');
      return {
        ok: false,
        flag: outcome.unsupported[0]?.flag ?? null,
        message: `The native generator does not support ${names}. Nothing was written; synthesize this network with izer instead (ai8x synthesize --engine izer, or the setting ai8x.synthesis.engine).`,
      };
    }
    case 'not ready':
      return { ok: false, flag: null, message: `No C code was generated: ${outcome.message}` };
    case 'failed':
      return { ok: false, flag: null, message: `The native generator stopped: ${outcome.message}. Nothing was written.` };
  }
};
