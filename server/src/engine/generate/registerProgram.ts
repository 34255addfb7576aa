// The accelerator setup as a list of steps (register writes, waits on status bits, cleared memory), in the order
// the generated C performs them. The C writer prints these; tests compare them with izer's.

export type ProgramStep =
  | { kind: 'write'; address: number; value: number; note: string }
  | { kind: 'wait'; address: number; mask: number; value: number; note: string }
  | { kind: 'verify'; address: number; mask: number; value: number; note: string }
  | { kind: 'zero'; address: number; bytes: number; note: string }
  | { kind: 'heading'; text: string }
  | { kind: 'gap' };

/** Collects steps; zero-valued register writes are left out unless forced (the register already holds zero). */
export class StepList {
  readonly steps: ProgramStep[] = [];

  constructor(private readonly writeZeros = false) {}

  write(address: number, value: number, note: string, force = false): void {
    if (value === 0 && !force && !this.writeZeros) return;
    this.steps.push({ kind: 'write', address: address >>> 0, value: value >>> 0, note });
  }

  wait(address: number, mask: number, value: number, note: string): void {
    this.steps.push({ kind: 'wait', address: address >>> 0, mask: mask >>> 0, value: value >>> 0, note });
  }

  /** Return CNN_FAIL unless the masked register reads `value`. */
  verify(address: number, mask: number, value: number, note: string): void {
    this.steps.push({ kind: 'verify', address: address >>> 0, mask: mask >>> 0, value: value >>> 0, note });
  }

  zero(address: number, bytes: number, note: string): void {
    this.steps.push({ kind: 'zero', address: address >>> 0, bytes, note });
  }

  heading(text: string): void {
    this.steps.push({ kind: 'heading', text });
  }

  gap(): void {
    if (this.steps.length && this.steps[this.steps.length - 1].kind !== 'gap') this.steps.push({ kind: 'gap' });
  }
}
