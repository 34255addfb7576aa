// Which checkpoint, sample input and device belong to a network document. (The checkpoint-aware issue
// fills this in; for now only the modeline inside the document is used, by the engine itself.)
import type { ExtraInputs } from './documentState';

export const associationInputs: ExtraInputs = () => ({});
