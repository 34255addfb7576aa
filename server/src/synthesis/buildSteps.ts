// What to do with a generated project: izer writes an MSDK project (Makefile, main.c, cnn.c, …) that the MaximSDK
// builds with `make` (MAXIM_PATH names the MSDK) and flashes with its OpenOCD. Said after every synthesis, in the
// editor and by `ai8x synthesize`.
import * as path from 'node:path';
import { shellQuote } from './izerArgs';

export interface BuildStepsInput {
  /** The project folder. */
  target: string;
  device: 'MAX78000' | 'MAX78002';
  /** The MSDK folder when known (settings or MAXIM_PATH). */
  msdk: string | null;
  /** Whether MAXIM_PATH is set in the environment the user builds in. */
  maximPathSet: boolean;
  /** The project has the MSDK's VS Code files (.vscode/). */
  hasVscodeFolder: boolean;
  /** izer's command line as it ran (python and all flags), or the native generator's `ai8x synthesize` line. */
  commandLine: string;
  /** Which engine made the project (default izer). */
  engine?: 'izer' | 'native';
}

/** Lines for the log and the "How to Build" answer. */
export function buildSteps(i: BuildStepsInput): string[] {
  const maxim = i.msdk
    ? i.maximPathSet
      ? `MAXIM_PATH is set (${i.msdk})`
      : `first: export MAXIM_PATH=${shellQuote(i.msdk)}`
    : 'first install the MaximSDK (MSDK, https://github.com/analogdevicesinc/msdk) and export MAXIM_PATH=<its folder>';
  const lines = [
    `Build the ${i.device} project with the MaximSDK (its Arm GCC, make and OpenOCD); ${maxim}:`,
    `  cd ${shellQuote(i.target)}`,
    '  make                       # builds build/' + `${path.basename(i.target)}.elf`.replace(/[^A-Za-z0-9_.-]/g, '_'),
    '  make flash.openocd         # loads it onto the board through the MSDK OpenOCD (MSDK 2023_06 or later)',
    'Then open a serial terminal at 115200 baud: the firmware runs the network on the sample input and compares the output with the known answer',
    '("*** PASS ***", or "Data mismatch …" lines: paste those into ai8x: Explain Known-Answer Mismatch).',
  ];
  if (i.hasVscodeFolder) lines.push('Or open the project folder in VS Code (it has the MSDK\'s .vscode settings) and run the task "build".');
  if (i.commandLine) lines.push(`${i.engine === 'native' ? 'Made by' : 'izer command line'}: ${i.commandLine}`);
  return lines;
}
