// Entry point of a check worker (bundled as dist/checkWorker.js): runs WorkerServices on messages from the server's
// thread. One call at a time; a call that throws answers with its message, and nothing here ever exits the server.
import { parentPort } from 'node:worker_threads';
import { WorkerServices } from './workerServices';
import type { FromWorker, ToWorker } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('checkWorker.js runs as a worker thread of the ai8x language server');

const services = new WorkerServices();
const post = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type !== 'call') {
    services.notice(m);
    return;
  }
  let value: unknown;
  try {
    value = services.call(m.kind, m.params);
  } catch (e) {
    post({ type: 'error', id: m.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    return;
  }
  try {
    post({ type: 'result', id: m.id, value });
  } catch (e) {
    post({ type: 'error', id: m.id, message: `the answer could not be sent to the server (${e instanceof Error ? e.message : String(e)})` });
  }
});
