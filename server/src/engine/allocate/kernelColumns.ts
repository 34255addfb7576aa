// A light model of kernel memory for trying processor choices quickly: which columns of each processor are
// taken, and izer's column search (spec §5.2: forward from --weight-start in steps of 4; on MAX78002 backwards
// from the top when every processor is a large one; depthwise layers inside one memory instance). The real
// allocation (analysis/kernelAllocation.ts) decides in the end; this only has to choose well.
import { Device, maskWidth } from '../device/devices';

export class KernelColumns {
  private readonly taken: Uint8Array;
  private readonly width: number;

  constructor(
    private readonly device: Device,
    private readonly weightStart: number,
    private readonly newKernelLoader: boolean,
    taken?: Uint8Array,
  ) {
    this.width = device.maskWidthLarge;
    this.taken = taken ? taken.slice() : new Uint8Array(64 * this.width);
  }

  clone(): KernelColumns {
    return new KernelColumns(this.device, this.weightStart, this.newKernelLoader, this.taken);
  }

  /** The start column izer would choose for `length` columns on `processors`, or null when they do not fit. */
  find(processors: readonly number[], length: number, depthwise: boolean): number | null {
    if (length <= 0) return (this.weightStart + 3) & ~3;
    const dev = this.device;
    const extended = this.newKernelLoader && dev.maskWidthLarge > dev.maskWidthSmall && processors.every((p) => p % 16 === 0);
    if (extended && (!depthwise || length <= dev.maskInstanceSmall)) {
      const top = this.searchDown(processors, length);
      if (top !== null) return top;
    }
    return this.searchUp(processors, length, depthwise);
  }

  place(processors: readonly number[], start: number, length: number): void {
    for (const p of processors) this.taken.fill(1, p * this.width + start, p * this.width + start + length);
  }

  /** The highest column used by any processor, plus one. */
  highWater(processors: readonly number[] = range64()): number {
    let high = 0;
    for (const p of processors) {
      for (let c = this.width - 1; c >= high; c--) {
        if (this.taken[p * this.width + c]) {
          high = c + 1;
          break;
        }
      }
    }
    return high;
  }

  /** Free columns of the fullest processor among `processors` (for messages). */
  freeColumns(processors: readonly number[]): number {
    let least = Infinity;
    for (const p of processors) {
      let free = 0;
      for (let c = 0; c < maskWidth(this.device, p); c++) if (!this.taken[p * this.width + c]) free++;
      least = Math.min(least, free);
    }
    return least === Infinity ? 0 : least;
  }

  private free(p: number, from: number, to: number): number | null {
    for (let c = from; c < to; c++) if (this.taken[p * this.width + c]) return c;
    return null;
  }

  private searchUp(processors: readonly number[], length: number, depthwise: boolean): number | null {
    const dev = this.device;
    let offs = (this.weightStart + 3) & ~3;
    for (let guard = 0; guard < 10_000; guard++) {
      if (depthwise && dev.name === 'MAX78002') {
        // A depthwise layer's kernels must stay inside one kernel-memory instance.
        const inst = offs >= dev.maskWidthSmall ? dev.maskInstanceSmall : dev.maskInstanceLarge;
        if (Math.floor(offs / inst) !== Math.floor((offs + length - 1) / inst)) offs = (Math.floor(offs / inst) + 1) * inst;
      }
      let restart = false;
      for (const p of processors) {
        if (offs + length > maskWidth(dev, p)) return null;
        const busy = this.free(p, offs, offs + length);
        if (busy !== null) {
          offs = (busy + 1 + 3) & ~3;
          restart = true;
          break;
        }
      }
      if (!restart) return offs;
    }
    return null;
  }

  private searchDown(processors: readonly number[], length: number): number | null {
    for (let end = this.width - 1; end - length + 1 >= 0; end -= 4) {
      const start = (end - (length - 1)) & ~3;
      if (start < 0) return null;
      if (processors.every((p) => start + length <= maskWidth(this.device, p) && this.free(p, start, start + length) === null)) return start;
    }
    return null;
  }
}

function range64(): number[] {
  return Array.from({ length: 64 }, (_, i) => i);
}
