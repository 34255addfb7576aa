// What a check worker does (server/src/lsp/checkWorker.ts runs it in a worker thread): checks documents with their
// associated checkpoint and sample files, and answers the calls that re-check edited texts (quick fixes, fix all,
// the allocator) or need the files (simulation). It keeps the file caches and the last few check results.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkNetwork, CheckResult } from '../engine/check';
import type { Recheck } from '../engine/services/quickFixes';
import { WorkspaceInputs } from './association';
import { AssociationInfo, emptyInfo, isNetworkDocument } from './documentState';
import { allocateFor, Allocations } from './allocation';
import { codeActionsFor, recheckFor } from './editorFeatures';
import { listModels, newNetwork } from './newNetwork';
import { quantizeInWorker } from './quantize';
import { CheckpointStates } from '../workspace/checkpointStates';
import { prepareSimulation } from './simulationInputs';
import { simulate, SimulationError } from '../engine/simulate';
import { explainMismatches, parseBoardLog } from '../engine/services/explainMismatch';
import { randomSampleInput, suggestedInputShape } from '../engine/services/simulationInput';
import { toLspRange } from './convert';
import type { ExplainMismatchResult } from '../protocol';
import { URI } from './uri';
import type { CallKind, CheckOutcome, DocumentSnapshot, MemoryFigures, ToWorker, WorkerCalls } from './workerProtocol';

/** Results kept for the calls that follow a check (code actions ask on every cursor move). */
const RECENT = 4;

interface Recent {
  version: number;
  generation: number;
  text: string;
  doc: TextDocument;
  outcome: CheckOutcome;
}

/** Test hooks (AI8X_SERVER_TEST_HOOKS=1 only): a line `# ai8x-test-hook: sleep=MS | exit | throw | oom` in a document. */
function testHook(text: string): void {
  if (process.env.AI8X_SERVER_TEST_HOOKS !== '1') return;
  const m = /^# ai8x-test-hook: (\w+)(?:=(\d+))?/m.exec(text);
  if (!m) return;
  if (m[1] === 'sleep') {
    const until = Date.now() + Number(m[2] ?? 0);
    while (Date.now() < until) {
      // a check that takes this long
    }
  } else if (m[1] === 'exit') {
    process.exit(3);
  } else if (m[1] === 'throw') {
    throw new Error('test hook: the check threw');
  } else if (m[1] === 'oom') {
    const hog: unknown[] = [];
    for (;;) hog.push(new Array(1_000_000).fill(hog.length));
  }
}

export class WorkerServices {
  readonly workspace = new WorkspaceInputs();
  private readonly recent = new Map<string, Recent>();
  private readonly allocations = new Allocations();
  private readonly checkpointStates = new CheckpointStates();

  notice(m: Exclude<ToWorker, { type: 'call' }>): void {
    switch (m.type) {
      case 'folders':
        this.workspace.setFolders(m.folders);
        break;
      case 'fileChanged':
        this.workspace.fileChanged(m.path);
        this.recent.clear();
        break;
      case 'forget':
        this.recent.delete(m.uri);
        this.workspace.choices.delete(m.uri);
        break;
      case 'invalidate':
        this.recent.clear();
        break;
    }
  }

  call<K extends CallKind>(kind: K, params: WorkerCalls[K]['params']): WorkerCalls[K]['result'] {
    const answer = this.answer(kind, params as never);
    return answer as WorkerCalls[K]['result'];
  }

  private answer(kind: CallKind, p: never): unknown {
    switch (kind) {
      case 'check':
        return this.checked((p as WorkerCalls['check']['params']).doc).outcome;
      case 'codeActions': {
        const q = p as WorkerCalls['codeActions']['params'];
        const r = this.checked(q.doc);
        if (!r.outcome.result) return null;
        return codeActionsFor(
          {
            uri: q.doc.uri,
            doc: r.doc,
            result: r.outcome.result,
            recheck: this.recheck(q.doc),
            allocations: this.allocations,
            checkpointPath: r.outcome.info.checkpointPath,
          },
          q.range,
          q.context,
        );
      }
      case 'allocation': {
        const q = p as WorkerCalls['allocation']['params'];
        const r = this.checked(q.doc);
        return r.outcome.result ? this.allocations.of(r.outcome.result, r.text, this.recheck(q.doc)) : null;
      }
      case 'allocate': {
        const q = p as WorkerCalls['allocate']['params'];
        const r = this.checked(q.doc);
        if (!r.outcome.result) return { ok: false, message: 'This file is not an ai8x network description.', layer: null, line: null };
        return allocateFor({ doc: r.doc, result: r.outcome.result }, this.recheck(q.doc), this.allocations, q.keep);
      }
      case 'prepareSimulation': {
        const q = p as WorkerCalls['prepareSimulation']['params'];
        this.useChoice(q.doc);
        testHook(q.doc.text);
        const prepared = prepareSimulation(this.textDocument(q.doc), q.doc.settings, this.workspace, q.input);
        if (!prepared.ok) return prepared;
        const { result, plan, sample, label } = prepared;
        return { ok: true, device: result.device.name, flags: result.flags, plan, sample, label };
      }
      case 'suggestedInputShape': {
        const q = p as WorkerCalls['suggestedInputShape']['params'];
        const r = this.checked(q.doc);
        return r.outcome.result ? suggestedInputShape(r.outcome.result, (shape) => this.fitsShape(q.doc, shape)) : null;
      }
      case 'explainMismatch': {
        const q = p as WorkerCalls['explainMismatch']['params'];
        return this.explainMismatch(q.doc, q.log);
      }
      case 'listModels':
        return listModels(p as WorkerCalls['listModels']['params']);
      case 'newNetwork':
        return newNetwork(p as WorkerCalls['newNetwork']['params']);
      case 'quantize':
        return quantizeInWorker(p as WorkerCalls['quantize']['params']);
      case 'checkpointStates':
        return { states: this.checkpointStates.states((p as WorkerCalls['checkpointStates']['params']).files) };
      case 'memory':
        return this.memory();
    }
  }

  /** Whether the network checks without errors on a (random) input of this shape. */
  private fitsShape(doc: DocumentSnapshot, shape: number[]): boolean {
    const td = this.textDocument(doc);
    const extra = this.workspace.extraInputs(td, doc.settings, emptyInfo());
    const r = checkNetwork({
      text: doc.text,
      fileName: URI.toPath(doc.uri),
      deviceSetting: doc.settings.device,
      izerFlags: doc.settings.izerFlags,
      ...extra,
      resolveInputs: (ctx) => ({
        ...extra.resolveInputs!(ctx),
        sample: randomSampleInput(shape, 0),
        samplePath: undefined,
        missingSampleCandidates: undefined,
      }),
    });
    return !r.diagnostics.some((d) => d.severity === 'error');
  }

  /** The board's `Data mismatch` lines explained against a simulation of the network with its associated input. */
  private explainMismatch(doc: DocumentSnapshot, text: string): ExplainMismatchResult {
    const log = parseBoardLog(text);
    if (!log.mismatches.length) return { ok: true, explanations: [], passed: log.passed };
    this.useChoice(doc);
    const prepared = prepareSimulation(this.textDocument(doc), doc.settings, this.workspace, { kind: 'associated' });
    if (!prepared.ok) return { ok: false, message: `${prepared.message}${prepared.details.length ? ` ${prepared.details[0]}` : ''}` };
    const { result, plan, sample } = prepared;
    try {
      const sim = simulate(plan, sample, { device: result.device, flags: result.flags });
      const explanations = explainMismatches(log.mismatches, { result, plan, sim }).map((e) => {
        const spec = e.ll !== null ? result.model.layers[e.ll] : undefined;
        const first = spec?.node.entries[0];
        return { ...e, range: spec ? toLspRange(result.lines, first ? first.key.range : spec.node.range) : null };
      });
      return { ok: true, explanations, passed: log.passed };
    } catch (e) {
      if (e instanceof SimulationError) return { ok: false, message: `The network cannot be simulated: ${e.message}` };
      throw e;
    }
  }

  /** The check of this snapshot: a kept result of the same version and generation, or a new check. */
  private checked(doc: DocumentSnapshot): Recent {
    const hit = this.recent.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === doc.generation && hit.text === doc.text) {
      this.recent.delete(doc.uri);
      this.recent.set(doc.uri, hit);
      return hit;
    }
    this.useChoice(doc);
    const t0 = performance.now();
    testHook(doc.text);
    const td = this.textDocument(doc);
    const isNetwork = isNetworkDocument(td, doc.settings);
    const info: AssociationInfo = emptyInfo();
    let result: CheckResult | null = null;
    if (isNetwork) {
      result = checkNetwork({
        text: doc.text,
        fileName: URI.toPath(doc.uri),
        deviceSetting: doc.settings.device,
        izerFlags: doc.settings.izerFlags,
        // yamllint's new-lines rule expects the line break of the machine izer runs on (this one).
        newline: process.platform === 'win32' ? '\r\n' : '\n',
        ...this.workspace.extraInputs(td, doc.settings, info),
      });
    }
    const entry: Recent = { version: doc.version, generation: doc.generation, text: doc.text, doc: td, outcome: { isNetwork, result, info, ms: 0 } };
    entry.outcome.ms = performance.now() - t0;
    this.recent.delete(doc.uri);
    this.recent.set(doc.uri, entry);
    while (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value!);
    return entry;
  }

  private recheck(doc: DocumentSnapshot): Recheck {
    return recheckFor(this.textDocument(doc), doc.settings, this.workspace.extraInputs);
  }

  private textDocument(doc: DocumentSnapshot): TextDocument {
    return TextDocument.create(doc.uri, doc.languageId, doc.version, doc.text);
  }

  private useChoice(doc: DocumentSnapshot): void {
    if (doc.choice) this.workspace.choices.set(doc.uri, doc.choice);
    else this.workspace.choices.delete(doc.uri);
  }

  private memory(): MemoryFigures {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      gc();
    }
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
  }
}
