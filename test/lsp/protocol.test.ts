// The custom protocol (server/src/protocol.ts): every method is declared as a RequestType/NotificationType (no
// bare method strings), and the server has a handler for every request the client may send.
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { ErrorCodes, NotificationType, RequestType, ResponseError } from 'vscode-languageserver-protocol';
import * as protocol from '../../server/src/protocol';
import { docUri, LspSession } from '../support/lspSession';

type AnyRequest = RequestType<unknown, unknown, unknown>;

const exported = Object.entries(protocol as Record<string, unknown>);
const requests = exported.filter((e): e is [string, AnyRequest] => e[1] instanceof RequestType);
const notifications = exported.filter((e): e is [string, NotificationType<unknown>] => e[1] instanceof NotificationType);

describe('LSP: the ai8x protocol', function () {
  this.timeout(20000);

  it('declares every custom method as a typed request or notification, once, under ai8x/', () => {
    const bare = exported.filter(([, v]) => typeof v === 'string' && v.startsWith('ai8x/')).map(([k]) => k);
    assert.deepEqual(bare, [], 'no method is exported as a bare string');
    const methods = [...requests, ...notifications].map(([, t]) => t.method);
    assert.ok(requests.length >= 6 && notifications.length >= 3, `found ${requests.length} requests and ${notifications.length} notifications`);
    assert.ok(
      methods.every((m) => m.startsWith('ai8x/')),
      methods.join(', '),
    );
    assert.equal(new Set(methods).size, methods.length, `no method is declared twice: ${methods.join(', ')}`);
    for (const [name, t] of [...requests, ...notifications]) assert.match(name, t instanceof RequestType ? /Request$/ : /Notification$/);
  });

  it("the server answers every request the client may send (for a document that is not open; izer's messages placed on a YAML text)", async () => {
    const uri = docUri('not-open.yaml');
    const text = ['arch: net', 'dataset: x', 'layers:', '  - processors: 0x1', '    pad: 1', '  - processors: 0x1', '    pad: 2', ''].join('\n');
    // One call per request; the set of methods is checked against the declarations, so a new request needs a line here.
    const calls: Record<string, { params: unknown; check: (answer: unknown) => void }> = {
      [protocol.AssociationRequest.method]: { params: { uri }, check: (a) => assert.equal(a, null) },
      [protocol.RunSimulationRequest.method]: {
        params: { uri, input: { kind: 'associated' }, runId: 'r' },
        check: (a) => assert.deepEqual([(a as protocol.RunSimulationResult).ok, (a as protocol.SimulationFailure).reason], [false, 'not-open']),
      },
      [protocol.ExportLayerRequest.method]: { params: { runId: 'r', layer: 0 }, check: (a) => assert.equal((a as protocol.ExportLayerResult).ok, false) },
      [protocol.KnownAnswerHeaderRequest.method]: { params: { runId: 'r' }, check: (a) => assert.equal((a as protocol.KnownAnswerHeaderResult).ok, false) },
      [protocol.KernelMapRequest.method]: { params: { uri }, check: (a) => assert.equal((a as protocol.KernelMapResult).unavailable, 'The file is not open.') },
      [protocol.PlaceIzerMessagesRequest.method]: {
        params: { text, device: 'MAX78000', skipYamlLayers: 0, messages: [{ severity: 'error', kind: 'izer', text: 'Layer 1: `pad` is wrong.' }] },
        check: (a) =>
          assert.deepEqual(a, [
            {
              code: 'AX500',
              severity: 'error',
              message: 'izer: Layer 1: `pad` is wrong.',
              range: [text.indexOf('pad: 2'), text.indexOf('pad: 2') + 6],
              layer: 1,
            },
          ]),
      },
      [protocol.ExplainMismatchRequest.method]: {
        params: { uri, log: 'Data mismatch (1/1) at address 0x50400000: Expected 0x00000001, read 0x00000000.' },
        check: (a) => assert.deepEqual(a, { ok: false, message: 'Open not-open.yaml in the editor first.' }),
      },
      // A folder below a file cannot be made (ENOTDIR).
      [protocol.WriteExampleRequest.method]: {
        params: { folder: path.join(__filename, 'example') },
        check: (a) => assert.match((a as { ok: false; message: string }).message, /^Cannot write the example into .*example: ENOTDIR$/),
      },
      [protocol.AllocateRequest.method]: {
        params: { uri },
        check: (a) => assert.deepEqual(a, { ok: false, message: 'This file is not an ai8x network description.', layer: null, line: null }),
      },
      [protocol.DataMemoryMapRequest.method]: {
        params: { uri },
        check: (a) => assert.equal((a as protocol.DataMemoryMapResult).unavailable, 'The file is not open.'),
      },
      [protocol.AllocateRequest.method]: {
        params: { uri },
        check: (a) => assert.deepEqual(a, { ok: false, message: 'This file is not an ai8x network description.', layer: null, line: null }),
      },
      [protocol.ListModelsRequest.method]: {
        params: { file: '/no/such/model.py' },
        check: (a) => assert.equal((a as protocol.ListModelsResult).ok, false),
      },
      [protocol.NewNetworkRequest.method]: {
        params: { model: '/no/such/model.py', checkpoint: '/no/such.pth.tar', output: '/tmp/x.yaml' },
        check: (a) => assert.match((a as Extract<protocol.NewNetworkResult, { ok: false }>).message, /cannot read the model/),
      },
      [protocol.SynthesizeRequest.method]: {
        params: { uri, prefix: 'net', testDir: '/tmp/ai8x-never-written', mode: 'project' },
        check: (a) =>
          assert.deepEqual(
            [(a as protocol.SynthesisOutcome).status, (a as protocol.SynthesisOutcome).problem],
            ['refused', 'Open not-open.yaml in the editor first.'],
          ),
      },
      [protocol.QuantizeCheckpointRequest.method]: {
        params: { input: '/no/such/training.pth.tar', device: 'MAX78000' },
        check: (a) =>
          assert.deepEqual(a, {
            ok: false,
            reason: 'io',
            message: 'cannot read /no/such/training.pth.tar: no such file or folder',
            output: '/no/such/training-q.pth.tar',
          }),
      },
      [protocol.CheckpointStatesRequest.method]: {
        params: { files: ['/no/such/training.pth.tar'] },
        check: (a) => assert.deepEqual(a, { states: ['unreadable'] }),
      },
      // A test hook (the session runs with them): memory figures after a full garbage collection.
      [protocol.TestMemoryRequest.method]: {
        params: {},
        check: (a) => {
          const m = a as protocol.ServerMemoryFigures;
          assert.equal(m.gcExposed, true);
          assert.equal(m.documents, 0);
          assert.ok(m.heapUsed > 0 && m.rss >= m.heapUsed, JSON.stringify(m));
        },
      },
    };
    assert.deepEqual(Object.keys(calls).sort(), requests.map(([, t]) => t.method).sort());
    const session = await LspSession.start({ testHooks: true });
    try {
      for (const [, type] of requests) {
        const answer = await session.conn.sendRequest(type, calls[type.method].params).catch((e: unknown) => {
          if (e instanceof ResponseError && e.code === ErrorCodes.MethodNotFound) assert.fail(`the server has no handler for ${type.method}`);
          throw e;
        });
        calls[type.method].check(answer);
      }
    } finally {
      await session.shutdown().catch(() => undefined);
      session.dispose();
    }
  });
});
