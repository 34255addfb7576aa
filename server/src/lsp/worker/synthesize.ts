// ai8x/synthesize in a check worker: native synthesis of an open network (its check needs the checkpoint and sample
// this worker caches). izer synthesis runs in the extension host instead, where the user's Python is.
import { InputSources } from '../../app/inputSources';
import { NATIVE_GENERATOR } from '../../app/nativeGenerator';
import { synthesisInputs, synthesizeNetwork } from '../../app/synthesize';
import type { SynthesizeParams } from '../../protocol';
import type { SynthesisOutcome } from '../../synthesis/synthesize';
import type { DocumentSnapshot } from '../workerProtocol';
import { documentRequest } from './documentRequest';

export function synthesizeDocument(doc: DocumentSnapshot, p: Omit<SynthesizeParams, 'uri'>, sources: InputSources): Promise<SynthesisOutcome> {
  const req = { ...documentRequest(doc), izerFlags: p.izerFlags ?? [] };
  const answer = p.overwrite;
  return synthesizeNetwork(
    {
      engine: 'native',
      inputs: synthesisInputs(req, sources, 'native'),
      network: req.path,
      networkText: doc.text,
      prefix: p.prefix,
      testDir: p.testDir,
      mode: p.mode,
    },
    { native: NATIVE_GENERATOR },
    // Without the user's answer a target that may hold their work is left alone (the outcome says it needs consent).
    { confirmOverwrite: answer ? async () => answer : undefined },
  );
}
