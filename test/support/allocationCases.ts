// Networks stripped of their allocation (processors, output_processors, in_offset, out_offset on every layer),
// for the allocator's conformance tests: the shipped networks izer accepted, and izer's test networks.
import { checkNetwork, CheckResult } from '../../server/src/engine/check';
import { setLayerKey } from '../../server/src/engine/allocate/layerKeyEdits';
import { applyEdits } from '../../server/src/engine/textEdits';
import { parseYamlTree } from '../../server/src/engine/yaml/yamlTree';
import { readNetwork } from '../../server/src/engine/model/readNetwork';
import { deviceByName } from '../../server/src/engine/device/devices';
import { DiagnosticSink } from '../../server/src/engine/diagnosticSink';
import { LineIndex } from '../../server/src/engine/lineIndex';

export const ALLOCATION_KEYS = ['processors', 'output_processors', 'in_offset', 'out_offset'] as const;

/** The text with the four allocation keys removed from every layer. */
export function stripAllocation(text: string): string {
  const model = readNetwork(parseYamlTree(text), deviceByName('MAX78000'), new DiagnosticSink());
  const lines = new LineIndex(text);
  const removed = new Set<string>(ALLOCATION_KEYS);
  // A layer whose first key went leaves its `- ` line; without the trailing space, as a user would leave it.
  return applyEdits(
    text,
    model.layers.flatMap((l) => ALLOCATION_KEYS.flatMap((k) => setLayerKey(text, lines, l, k, null, removed))),
  ).replace(/^( *-) +$/gm, '$1');
}

export type { CheckResult };
export { checkNetwork };
