// The registers through which input streams into the accelerator: the data registers of its four FIFOs (at the
// APB base, after the FIFO control and status registers) and the fast FIFO's data register (the RISC-V core's
// direct path). Each keeps only its last word in memory, so the harness logs every store to them.
export const FIFO_DATA_REGISTERS: readonly number[] = [0x50000008, 0x5000000c, 0x50000010, 0x50000014];
export const FAST_FIFO_DATA_REGISTER = 0x400c0410;

export function isFifoDataRegister(address: number): boolean {
  return address === FAST_FIFO_DATA_REGISTER || FIFO_DATA_REGISTERS.includes(address);
}

/** "FIFO 2's data register", "the fast FIFO's data register", or null. */
export function fifoRegisterName(address: number): string | null {
  if (address === FAST_FIFO_DATA_REGISTER) return "the fast FIFO's data register";
  const i = FIFO_DATA_REGISTERS.indexOf(address);
  return i >= 0 ? `FIFO ${i}'s data register` : null;
}
