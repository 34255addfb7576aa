// How the CLI finds a network's checkpoint and sample input: --checkpoint / --sample-input, else the
// file's `# ai8x:` modeline, else (for the sample) izer's default tests/sample_<dataset>.npy.
import * as path from 'node:path';
import type { ResolveContext, ResolvedInputs } from '../engine/check';
import { resolveAssociation, ScriptIndex } from '../workspace/associations';
import { InputFiles, loadAssociatedInputs } from '../workspace/inputFiles';
import type { ParsedArgs } from './args';
import { optionString } from './args';

export function cliInputs(file: string, args: ParsedArgs, files = new InputFiles()): (ctx: ResolveContext) => ResolvedInputs {
  const checkpoint = optionString(args, 'checkpoint');
  const sample = optionString(args, 'sample-input');
  return (ctx) => {
    const a = resolveAssociation({
      yamlPath: path.resolve(file),
      modeline: ctx.modeline,
      dataset: ctx.dataset,
      preferredDevice: null,
      settings: { associations: [], autoAssociate: false },
      workspaceFolders: [process.cwd()],
      scripts: new ScriptIndex(() => []),
    });
    if (checkpoint) {
      a.checkpointPath = path.resolve(checkpoint);
      a.checkpointSource = 'setting';
    }
    if (sample) {
      a.samplePath = path.resolve(sample);
      a.sampleSource = 'setting';
    }
    return loadAssociatedInputs(files, a, ctx.modeline);
  };
}
