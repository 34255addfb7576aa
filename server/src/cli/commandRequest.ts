// The CLI's side of the application layer: a network named on the command line, with --device, --checkpoint,
// --sample-input and the izer flags after `--`, as the request every command hands to app/.
import * as path from 'node:path';
import type { NetworkRequest, RandomInput } from '../app/networkRequest';
import { deviceOption, optionString, ParsedArgs } from './args';

export function commandRequest(file: string, text: string, args: ParsedArgs, randomInput?: RandomInput): NetworkRequest {
  const checkpoint = optionString(args, 'checkpoint');
  const sample = optionString(args, 'sample-input');
  return {
    text,
    path: path.resolve(file),
    choices: {
      origin: 'command line',
      device: deviceOption(args),
      checkpoint: checkpoint === undefined ? undefined : path.resolve(checkpoint),
      sampleInput: sample === undefined ? undefined : path.resolve(sample),
    },
    izerFlags: args.izerFlags,
    randomInput,
  };
}
