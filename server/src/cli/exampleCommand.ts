// `ai8x example [DIR]`: writes the built-in example (network YAML, quantized checkpoint, sample input)
// so that every command can be tried without ai8x-synthesis. Existing files that differ are kept.
import * as path from 'node:path';
import { writeExample } from '../example/writeExample';
import { parseArgs, UsageError } from './args';

export async function runExample(argv: string[]): Promise<number> {
  const args = parseArgs(argv, []);
  if (args.positionals.length > 1) throw new UsageError('expected at most one folder');
  const dir = path.resolve(args.positionals[0] ?? 'example');
  const r = writeExample(dir);
  for (const f of r.written) process.stdout.write(`wrote     ${f}\n`);
  for (const f of r.unchanged) process.stdout.write(`unchanged ${f}\n`);
  for (const f of r.kept) process.stdout.write(`kept      ${f} (it differs from the built-in example; delete it to get the original back)\n`);
  return 0;
}
