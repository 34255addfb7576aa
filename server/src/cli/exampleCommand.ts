// `ai8x example [DIR]`: writes the built-in example (network YAML, quantized checkpoint, sample input)
// so that every command can be tried without ai8x-synthesis. Existing files that differ are kept.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../example/exampleNetwork';
import { parseArgs, UsageError } from './args';

export async function runExample(argv: string[]): Promise<number> {
  const args = parseArgs(argv, []);
  if (args.positionals.length > 1) throw new UsageError('expected at most one folder');
  const dir = path.resolve(args.positionals[0] ?? 'example');
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, Uint8Array][] = [
    [EXAMPLE_FILES.network, new TextEncoder().encode(EXAMPLE_NETWORK_YAML)],
    [EXAMPLE_FILES.checkpoint, exampleCheckpointBytes()],
    [EXAMPLE_FILES.sample, exampleSampleBytes()],
  ];
  for (const [name, bytes] of files) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) {
      const old = fs.readFileSync(file);
      if (Buffer.compare(old, Buffer.from(bytes)) === 0) {
        process.stdout.write(`unchanged ${file}\n`);
        continue;
      }
      process.stdout.write(`kept      ${file} (it differs from the built-in example; delete it to get the original back)\n`);
      continue;
    }
    fs.writeFileSync(file, bytes, { flag: 'wx' });
    process.stdout.write(`wrote     ${file}\n`);
  }
  return 0;
}
