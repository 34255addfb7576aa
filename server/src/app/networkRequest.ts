// What a front end asks about a network: the text, where the file is, what the user chose explicitly (on the
// command line, or in the editor this session), the editor's settings, and izer flags. The CLI builds one from its
// options (cli/commandRequest.ts), the check worker from an editor document (lsp/worker/documentRequest.ts); from
// here on both are answered by the same code.
import type { DeviceChoiceOrigin } from '../engine/check';
import type { DeviceName } from '../engine/device/devices';
import type { Ai8xSettings } from '../protocol';

/** Who chose: the command line's options, or the user in the editor (for this session only). */
export type ChoiceOrigin = DeviceChoiceOrigin;

/** Choices that beat the file's modeline, the settings and every association. Paths are absolute. */
export interface Choices {
  origin: ChoiceOrigin;
  device?: DeviceName;
  checkpoint?: string;
  sampleInput?: string;
}

/** The `ai8x.*` settings that bear on a check (the editor's; the command line has none). */
export type CheckSettings = Pick<Ai8xSettings, 'device' | 'izerFlags' | 'associations' | 'autoAssociate' | 'synthesisPath'>;

/** A seeded random input instead of the sample (the simulator's choice); the shape defaults to the sample's. */
export interface RandomInput {
  seed: number;
  shape?: readonly number[];
}

export interface NetworkRequest {
  text: string;
  /** Absolute path of the network file (for an unsaved editor document, the path of its URI). */
  path: string;
  choices: Choices;
  settings?: CheckSettings;
  /** izer flags the request adds (the command line's, after `--`); they apply after all others. */
  izerFlags?: readonly string[];
  randomInput?: RandomInput;
  /** The line break yamllint expects: that of the machine izer runs on, by default this one. */
  newline?: '\n' | '\r\n';
}

/** The line break izer's yamllint step expects here (its `.yamllint` says `new-lines: platform`). */
export function platformNewline(): '\n' | '\r\n' {
  return process.platform === 'win32' ? '\r\n' : '\n';
}
