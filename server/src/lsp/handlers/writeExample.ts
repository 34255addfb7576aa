// ai8x/writeExample: the built-in example (network, checkpoint, sample) written into the folder the client chose.
import { writeExample as writeExampleFiles } from '../../example/writeExample';
import type { WriteExampleParams, WriteExampleResult } from '../../protocol';

export function writeExample(p: WriteExampleParams): WriteExampleResult {
  try {
    const r = writeExampleFiles(p.folder);
    return { ok: true, network: r.network, written: r.written, kept: r.kept };
  } catch (e) {
    return { ok: false, message: `Cannot write the example into ${p.folder}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}
