// Writes the built-in example (network YAML, quantized checkpoint, sample input) into a folder, for `ai8x example`
// and the walkthrough's "Open Example Network". A file that exists and differs is kept: nothing is overwritten.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from './exampleNetwork';

export interface ExampleWritten {
  /** The network YAML's path. */
  network: string;
  written: string[];
  unchanged: string[];
  /** Files that exist with other contents (left as they are). */
  kept: string[];
}

export function writeExample(dir: string): ExampleWritten {
  fs.mkdirSync(dir, { recursive: true });
  const out: ExampleWritten = { network: path.join(dir, EXAMPLE_FILES.network), written: [], unchanged: [], kept: [] };
  const files: [string, Uint8Array][] = [
    [EXAMPLE_FILES.network, new TextEncoder().encode(EXAMPLE_NETWORK_YAML)],
    [EXAMPLE_FILES.checkpoint, exampleCheckpointBytes()],
    [EXAMPLE_FILES.sample, exampleSampleBytes()],
  ];
  for (const [name, bytes] of files) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) {
      if (Buffer.compare(fs.readFileSync(file), Buffer.from(bytes)) === 0) out.unchanged.push(file);
      else out.kept.push(file);
      continue;
    }
    fs.writeFileSync(file, bytes, { flag: 'wx' });
    out.written.push(file);
  }
  return out;
}
