// Which of the workspace's checkpoint files are quantized, for the checkpoint picker: each file is read (safely, as
// every checkpoint is) and only its verdict is kept, by path, size and modification time. A picker lists many files,
// so the reading stops after a time budget; the files left are `unknown`.
import * as fs from 'node:fs';
import { readCheckpoint } from '../engine/checkpoint/readCheckpoint';
import { quantizationState } from '../engine/quantize/quantizationState';
import type { CheckpointState } from '../protocol';
import { MAX_CHECKPOINT_BYTES } from './quantizeFiles';
import { readRegularFile } from './safeRead';

interface Known {
  size: number;
  mtimeMs: number;
  state: CheckpointState;
}

export class CheckpointStates {
  private readonly known = new Map<string, Known>();

  constructor(private readonly budgetMs = 3000) {}

  states(files: readonly string[]): CheckpointState[] {
    const deadline = performance.now() + this.budgetMs;
    return files.map((file) => {
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
      } catch {
        return 'unreadable';
      }
      const hit = this.known.get(file);
      if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.state;
      if (performance.now() > deadline) return 'unknown';
      const state = this.read(file);
      this.known.set(file, { size: st.size, mtimeMs: st.mtimeMs, state });
      return state;
    });
  }

  private read(file: string): CheckpointState {
    try {
      return quantizationState(readCheckpoint(readRegularFile(file, MAX_CHECKPOINT_BYTES).bytes, { fileName: file }));
    } catch {
      return 'unreadable';
    }
  }
}
