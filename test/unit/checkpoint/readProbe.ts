// Reads a checkpoint in a process of its own, for tests that must survive a read that never ends:
//   node readProbe.js cache <file>   asks the checkpoint cache for it; prints the answer as JSON
import { InputFiles } from '../../../server/src/workspace/inputFiles';

const [mode, file] = process.argv.slice(2);
if (mode === 'cache') {
  process.stdout.write(JSON.stringify(new InputFiles().checkpoints.get(file)) + '\n');
} else {
  process.stderr.write('usage: readProbe.js cache <file>\n');
  process.exitCode = 2;
}
