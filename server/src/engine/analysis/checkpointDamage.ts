// AX211: zip members of the checkpoint whose data fails its CRC-32. torch.load does not check (PyTorch builds miniz
// without its CRC checks), so izer goes on with the damaged bytes: a warning, since the weights may be wrong.
import type { Range } from '../yaml/yamlTree';
import type { TorchCheckpoint } from '../checkpoint/types';
import type { CheckpointFindings } from './checkpointCommon';

const LISTED = 3;

export function reportDamagedMembers(ckpt: TorchCheckpoint, findings: CheckpointFindings, file: Range): void {
  if (!ckpt.damaged.length) return;
  const keys = ckpt.damaged.flatMap((d) => d.keys);
  const members = ckpt.damaged.map((d) => d.member);
  const list = (xs: string[], quote: boolean) => {
    const shown = xs.slice(0, LISTED).map((x) => (quote ? `\`${x}\`` : x));
    return xs.length > LISTED ? `${shown.join(', ')} and ${xs.length - LISTED} more` : shown.join(', ');
  };
  const what = keys.length ? `the data of ${list(keys, true)} (${list(members, false)})` : list(members, false);
  findings.warn(
    'AX211',
    file,
    null,
    `The checkpoint file is damaged: ${what} ${members.length === 1 ? 'fails its' : 'fail their'} CRC-32 check. torch.load does not check, so izer would use these bytes as they are and the weights may be wrong; copy or export the checkpoint again.`,
  );
}
