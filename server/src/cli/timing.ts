// Where a cold `ai8x` run spends its time, for `npm run bench`: with AI8X_TIMING=1 the CLI writes one line to
// stderr, `ai8x-timing {…}`: Node's own bootstrap time, and for each mark the moment it was passed (ms since the
// process started) and the CPU time used until then (ms, all threads: on a busy machine the wall clock also counts
// the time other processes had the CPU). Without the variable, marking costs one branch.
const enabled = !!process.env.AI8X_TIMING;
const marks: Record<string, [wall: number, cpu: number]> = {};

export function mark(name: string): void {
  if (!enabled) return;
  const cpu = process.cpuUsage();
  marks[name] = [performance.now(), (cpu.user + cpu.system) / 1000];
}

export function reportTiming(): void {
  if (!enabled) return;
  process.stderr.write(`ai8x-timing ${JSON.stringify({ bootstrap: performance.nodeTiming.bootstrapComplete, marks })}\n`);
}
