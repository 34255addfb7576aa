// The first thing checkpoint.load does: read the checkpoint's top-level keys (`state_dict`, `arch`, `epoch`), rules
// #65–#68. izer stops at the first error; we report them all.
import type { NetworkModel } from '../model/network';
import type { Range } from '../yaml/yamlTree';
import type { TorchCheckpoint } from '../checkpoint/types';
import { CheckpointFindings, describeValue, isPyDict } from './checkpointCommon';

/** Checks the top-level keys. Returns false when there is no usable `state_dict` (izer stops before any layer). */
export function checkTopLevelKeys(ckpt: TorchCheckpoint, model: NetworkModel, findings: CheckpointFindings, file: Range): boolean {
  const { error, warn } = findings;
  const root =
    ckpt.root && typeof ckpt.root === 'object' && !Array.isArray(ckpt.root) && !(ckpt.root instanceof Uint8Array) && ckpt.root.kind === 'dict'
      ? ckpt.root
      : null;
  const sdValue = root?.entries.find(([k]) => k === 'state_dict')?.[1];
  const stateDictIsDict = sdValue === undefined || isPyDict(sdValue);
  if (!ckpt.hasStateDict) error(65, file, null, 'The checkpoint has no `state_dict`; izer needs the trained weights under that key.');
  else if (!stateDictIsDict)
    error(
      'AX204',
      file,
      null,
      `The checkpoint's \`state_dict\` is ${describeValue(sdValue)}, not a dictionary of tensors; izer stops with a Python exception.`,
    );
  if (!ckpt.hasArch) warn(66, file, null, 'The checkpoint has no `arch`, so izer cannot confirm that it belongs to this network.');
  else if (ckpt.arch === null) error('AX204', file, null, "The checkpoint's `arch` is not text; izer stops with a Python exception when it compares it.");
  else if (model.arch && ckpt.arch.toLowerCase() !== model.arch.toLowerCase()) {
    const e = model.globals.get('arch');
    error(
      67,
      e ? (e.value ?? e.key).range : file,
      null,
      `This network's \`arch\` is \`${model.arch}\` but the checkpoint was trained as \`${ckpt.arch}\`; izer requires them to match (ignoring case).`,
    );
  }
  if (!ckpt.hasEpoch) error(68, file, null, 'The checkpoint has no `epoch`; izer refuses checkpoints without it.');
  return ckpt.hasStateDict && stateDictIsDict;
}
