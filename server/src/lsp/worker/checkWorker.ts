// Entry point of a check worker (bundled as dist/checkWorker.js): answers the server thread's calls with the handlers
// of calls.ts. One call at a time; a call that throws answers with its message, and nothing here ever exits the server.
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../workerProtocol';
import { isCallKind, runCall, WorkerCalls } from './calls';
import { WorkerState } from './workerState';

const port = parentPort;
if (!port) throw new Error('checkWorker.js runs as a worker thread of the ai8x language server');

const state = new WorkerState();
const post = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type !== 'call') {
    state.notice(m);
    return;
  }
  if (!isCallKind(m.kind)) {
    post({ type: 'error', id: m.id, message: `the check worker has no call "${m.kind}"` });
    return;
  }
  const kind = m.kind;
  void answer(m.id, () => runCall(state, kind, m.params as WorkerCalls[typeof kind]['params']));
});

async function answer(id: number, run: () => unknown): Promise<void> {
  let value: unknown;
  try {
    value = await run();
  } catch (e) {
    post({ type: 'error', id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    return;
  }
  try {
    post({ type: 'result', id, value });
  } catch (e) {
    post({ type: 'error', id, message: `the answer could not be sent to the server (${e instanceof Error ? e.message : String(e)})` });
  }
}
