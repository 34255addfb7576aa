// The native generator's entry: from a checked network (izer's state after the backend's preparation), its sample
// input and known answer, the files of an MSDK project that gives the accelerator exactly what izer's project
// gives it. Flags it does not implement are refused before anything is made.
import { knownAnswerWords } from '../simulate/knownAnswer';
import { arrayDefine } from './cText';
import { biasLoader } from './biasLoader';
import { cnnHeader } from './cnnHeader';
import { cnnSource } from './cnnSource';
import { fileBanner } from './fileBanner';
import { GenerateError } from './generateError';
import { unloadReachWarning } from './unloadReach';
import type { GeneratorInput } from './generatorInput';
import { inputLoader } from './inputLoader';
import { buildKernelImage } from './kernelImage';
import { kernelLoader } from './kernelLoader';
import { mainSources } from './mainSource';
import { projectFiles } from './projectFiles';
import { resourceSummary } from './resourceSummary';
import type { UnsupportedFlag } from './synthesisOptions';

export interface GeneratedFile {
  /** Relative to the project folder, with forward slashes. */
  path: string;
  text: string;
}

export type GenerateResult =
  /** `warnings`: what the user should know about the project (where izer's own code is wrong, and ours with it). */
  { kind: 'project'; files: GeneratedFile[]; warnings: string[] } | { kind: 'refused'; unsupported: UnsupportedFlag[] } | { kind: 'failed'; message: string };

/** Network features izer generates but the native generator does not (yet). */
export function unsupportedFeatures(input: GeneratorInput): UnsupportedFlag[] {
  const out: UnsupportedFlag[] = [];
  if (input.flags.repeatLayers > 1) out.push({ flag: '--repeat-layers', reason: 'repeated layer sets are not generated natively' });
  if (input.snoop && input.snoop.length !== 32) out.push({ flag: 'snoop', reason: 'the snoop registers need exactly 32 values' });
  if (input.customUnload) out.push({ flag: 'unload', reason: 'a custom `unload` description is not generated natively' });
  if (input.dataBuffer) out.push({ flag: 'data_buffer', reason: 'data buffers are not generated natively' });
  if (!input.options.newKernelLoader && input.options.verifyKernels)
    out.push({ flag: '--verify-kernels', reason: 'checking kernels is generated natively only with the new kernel loader' });
  if (input.options.verifyWrites) out.push({ flag: '--verify-writes', reason: 'read-back checks after every register write are not generated natively' });
  return out;
}

export function generateProject(input: GeneratorInput): GenerateResult {
  const unsupported = unsupportedFeatures(input);
  if (unsupported.length) return { kind: 'refused', unsupported };
  try {
    const image = buildKernelImage(input);
    const kernels = kernelLoader(input, image);
    const bias = biasLoader(input);
    const data = inputLoader(input);
    const summary = resourceSummary(input, kernels.bytesUsed, bias.bytesUsed);
    const files: GeneratedFile[] = [
      { path: 'cnn.c', text: cnnSource(input, { kernelSource: kernels.source, biasSource: bias.source }) },
      { path: 'cnn.h', text: cnnHeader(input, summary) },
      ...mainSources(input, data.source).map((m) => ({ path: m.name, text: m.text })),
      { path: 'weights.h', text: fileBanner(input, 'kernels and biases (data for cnn.c).') + kernels.weightsHeader + bias.weightsHeader },
      { path: 'sampledata.h', text: fileBanner(input, 'the sample input (data for main.c).') + data.sampleHeader },
    ];
    if (input.options.generateKat && input.knownAnswer) {
      files.push({
        path: 'sampleoutput.h',
        text:
          fileBanner(input, 'the known answer: the expected output words (data for main.c).') +
          arrayDefine('SAMPLE_OUTPUT', knownAnswerWords(input.knownAnswer), 8),
      });
    }
    files.push(...projectFiles(input, summary));
    const unloadWarning = unloadReachWarning(files[0].text, input.device);
    return { kind: 'project', files, warnings: unloadWarning ? [unloadWarning] : [] };
  } catch (e) {
    if (e instanceof GenerateError) return { kind: 'failed', message: e.message };
    throw e;
  }
}
