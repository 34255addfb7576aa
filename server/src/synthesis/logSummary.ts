// The resource use izer reports at the end of log.txt (spec §7.3), for the summary shown after synthesis.

export interface MemoryUse {
  used: number;
  total: number;
  percent: number;
}

export interface LogSummary {
  weightMemory: MemoryUse | null;
  biasMemory: MemoryUse | null;
  /** Total hardware operations ("Hardware: N ops (…)"). */
  hardwareOps: number | null;
  macc: number | null;
  /** "Total N cycles" of the latency estimate (MAX78000 with --verbose only). */
  latencyCycles: number | null;
}

const NUM = '([\\d,]+)';
const MEMORY = (label: string) => new RegExp(`^${label} memory:\\s+${NUM} bytes out of ${NUM} bytes total \\(([\\d.]+)%\\)`, 'm');

export function parseLogSummary(log: string): LogSummary {
  const num = (s: string | undefined) => (s === undefined ? null : Number(s.replace(/,/g, '')));
  const mem = (label: string): MemoryUse | null => {
    const m = MEMORY(label).exec(log);
    return m ? { used: num(m[1])!, total: num(m[2])!, percent: Number(m[3]) } : null;
  };
  const hw = new RegExp(`^Hardware: ${NUM} ops \\(${NUM} macc`, 'm').exec(log);
  const lat = new RegExp(`^Total\\s+${NUM} cycles`, 'm').exec(log);
  return {
    weightMemory: mem('Weight'),
    biasMemory: mem('Bias'),
    hardwareOps: num(hw?.[1]),
    macc: num(hw?.[2]),
    latencyCycles: num(lat?.[1]),
  };
}

export function formatMemoryUse(label: string, m: MemoryUse | null): string | null {
  return m ? `${label}: ${m.used.toLocaleString('en-US')} of ${m.total.toLocaleString('en-US')} bytes (${m.percent.toFixed(1)}%)` : null;
}

/** One line for a notification: "weights 72,228 of 442,368 bytes (16.3%), bias 10 of 2,048 bytes (0.5%)". */
export function summaryLine(s: LogSummary): string {
  const parts = [formatMemoryUse('weights', s.weightMemory), formatMemoryUse('bias', s.biasMemory)].filter((x): x is string => !!x);
  if (s.hardwareOps !== null) parts.push(`${s.hardwareOps.toLocaleString('en-US')} ops`);
  return parts.join(', ');
}
