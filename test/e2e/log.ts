// Output from inside the extension host. The host forwards console lines to the workbench without printf
// expansion and ignores assignments to console.log, so lines are formatted here and tagged; the harness
// (scripts/run-e2e.mjs) prints tagged lines and drops the workbench's own log lines.
import * as util from 'node:util';

export const LINE_PREFIX = 'E2E| ';

export function e2eLog(...args: unknown[]): void {
  for (const line of util.format(...args).split('\n')) console.log(LINE_PREFIX + line);
}
