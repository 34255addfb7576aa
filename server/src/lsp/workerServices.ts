// What a check worker does (server/src/lsp/checkWorker.ts runs it in a worker thread): checks documents with their
// associated checkpoint and sample files, and answers the calls that re-check edited texts (quick fixes, fix all,
// the allocator) or need the files (simulation). It keeps the file caches and the last few check results.
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkDocument, checkRequest, isNetworkDocument } from '../app/check';
import { explainBoardLog } from '../app/explainMismatch';
import { InputSources } from '../app/inputSources';
import { PreparedSimulation, prepareSimulation, SimulationProblem } from '../app/simulate';
import { allocateFor, Allocations } from './allocation';
import { codeActionsFor } from './editorFeatures';
import { documentRequest } from './documentRequest';
import { listModels, newNetwork } from './newNetwork';
import { parseBoardLog } from '../engine/services/explainMismatch';
import { suggestedInputShape } from '../engine/services/simulationInput';
import { inputShapeProblem } from '../shared/inputShape';
import { toLspRange } from './convert';
import type { ExplainMismatchResult, SimulationFailureReason, SimulationInput } from '../protocol';
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
  readonly sources = new InputSources();
  private readonly recent = new Map<string, Recent>();
  private readonly allocations = new Allocations();

  notice(m: Exclude<ToWorker, { type: 'call' }>): void {
    switch (m.type) {
      case 'folders':
        this.sources.setFolders(m.folders);
        break;
      case 'fileChanged':
        this.sources.fileChanged(m.path);
        this.recent.clear();
        break;
      case 'forget':
        this.recent.delete(m.uri);
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
          { uri: q.doc.uri, doc: r.doc, result: r.outcome.result, req: documentRequest(q.doc), sources: this.sources, allocations: this.allocations },
          q.range,
          q.context,
        );
      }
      case 'allocation': {
        const q = p as WorkerCalls['allocation']['params'];
        const r = this.checked(q.doc);
        return r.outcome.result ? this.allocations.of(r.outcome.result, documentRequest(q.doc), this.sources) : null;
      }
      case 'allocate': {
        const q = p as WorkerCalls['allocate']['params'];
        const r = this.checked(q.doc);
        if (!r.outcome.result) return { ok: false, message: 'This file is not an ai8x network description.', layer: null, line: null };
        return allocateFor({ doc: r.doc, result: r.outcome.result }, documentRequest(q.doc), this.sources, this.allocations, q.keep);
      }
      case 'prepareSimulation': {
        const q = p as WorkerCalls['prepareSimulation']['params'];
        testHook(q.doc.text);
        const prepared = this.prepareSimulation(q.doc, q.input);
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
      case 'memory':
        return this.memory();
    }
  }

  /** Whether the network checks without errors on a (random) input of this shape. */
  private fitsShape(doc: DocumentSnapshot, shape: number[]): boolean {
    const { result } = checkRequest(documentRequest(doc, { seed: 0, shape }), this.sources);
    return !result.diagnostics.some((d) => d.severity === 'error');
  }

  /** The simulation's inputs for a document, or why it cannot run, in the editor's words. */
  private prepareSimulation(doc: DocumentSnapshot, input: SimulationInput): (PreparedSimulation & { label: string }) | EditorProblem {
    const name = path.basename(URI.toPath(doc.uri));
    if (!isNetworkDocument(doc.text, URI.toPath(doc.uri), doc.settings.networkFiles)) return editorProblem({ ok: false, reason: 'not-network' }, name, input);
    const req = documentRequest(doc, input.kind === 'random' ? { seed: input.seed, shape: input.shape } : undefined);
    if (input.kind === 'file') req.choices = { ...req.choices, sampleInput: path.resolve(path.dirname(req.path), input.path) };
    const prepared = prepareSimulation(req, this.sources);
    if (!prepared.ok) return editorProblem(prepared, name, input);
    const label = prepared.samplePath
      ? path.relative(path.dirname(req.path), prepared.samplePath) || prepared.samplePath
      : input.kind === 'random'
        ? `random (seed ${input.seed})`
        : '';
    return { ...prepared, label };
  }

  /** The board's `Data mismatch` lines explained against a simulation of the network with its associated input. */
  private explainMismatch(doc: DocumentSnapshot, text: string): ExplainMismatchResult {
    const log = parseBoardLog(text);
    if (!log.mismatches.length) return { ok: true, explanations: [], passed: log.passed };
    const name = path.basename(URI.toPath(doc.uri));
    if (!isNetworkDocument(doc.text, URI.toPath(doc.uri), doc.settings.networkFiles))
      return explainProblem(editorProblem({ ok: false, reason: 'not-network' }, name));
    const outcome = explainBoardLog(documentRequest(doc), this.sources, log);
    if (outcome.ok) {
      const { result } = outcome.prepared;
      const explanations = outcome.explanations.map((e) => {
        const spec = e.ll !== null ? result.model.layers[e.ll] : undefined;
        const first = spec?.node.entries[0];
        return { ...e, range: spec ? toLspRange(result.lines, first ? first.key.range : spec.node.range) : null };
      });
      return { ok: true, explanations, passed: log.passed };
    }
    if (outcome.reason === 'simulation-error') return { ok: false, message: `The network cannot be simulated: ${outcome.error.message}` };
    return explainProblem(editorProblem(outcome, name));
  }

  /** The check of this snapshot: a kept result of the same version and generation, or a new check. */
  private checked(doc: DocumentSnapshot): Recent {
    const hit = this.recent.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === doc.generation && hit.text === doc.text) {
      this.recent.delete(doc.uri);
      this.recent.set(doc.uri, hit);
      return hit;
    }
    const t0 = performance.now();
    testHook(doc.text);
    const checked = checkDocument(documentRequest(doc), this.sources, doc.settings.networkFiles);
    const td = TextDocument.create(doc.uri, doc.languageId, doc.version, doc.text);
    const entry: Recent = { version: doc.version, generation: doc.generation, text: doc.text, doc: td, outcome: { ...checked, ms: 0 } };
    entry.outcome.ms = performance.now() - t0;
    this.recent.delete(doc.uri);
    this.recent.set(doc.uri, entry);
    while (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value!);
    return entry;
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

type EditorProblem = { ok: false; reason: SimulationFailureReason; message: string; details: string[] };

/** Why a document cannot be simulated, in the editor's words (its commands, its Problems view). */
function editorProblem(p: SimulationProblem | { ok: false; reason: 'not-network' }, name: string, input?: SimulationInput): EditorProblem {
  const problem = (reason: SimulationFailureReason, message: string, details: string[] = []): EditorProblem => ({ ok: false, reason, message, details });
  switch (p.reason) {
    case 'not-network':
      return problem(
        'not-network',
        `${name} is not an ai8x network description (it needs top-level \`arch\` and \`layers\`, or a match in the setting ai8x.networkFiles).`,
      );
    case 'no-layers':
      return problem('not-network', `${name} has no top-level \`layers\` list to simulate.`);
    case 'no-checkpoint':
      return problem(
        'no-checkpoint',
        `No checkpoint is associated with ${name}. Choose one with "ai8x: Choose Checkpoint for This Network", or add a \`# ai8x: checkpoint=…\` line to the file.`,
      );
    case 'checkpoint-unreadable':
      return problem('checkpoint-unreadable', `The checkpoint ${p.path} cannot be used: ${p.error}`);
    case 'no-input-shape': {
      const given = input?.kind === 'random' && input.shape ? ` (${inputShapeProblem(input.shape)})` : '';
      return problem('no-input-shape', `A random input needs a shape (C,H,W or C,L)${given}: ${name} has no sample input to take it from.`);
    }
    case 'sample-unreadable':
      return problem('sample-unreadable', `The sample input ${p.path} cannot be used: ${p.error}`);
    case 'no-sample': {
      const tried = p.candidates.length
        ? ` izer reads its default tests/${path.basename(p.candidates[0])} from the ai8x-synthesis folder; looked for ${p.candidates.join(', ')}: none exists.`
        : '';
      return problem('no-sample', `${name} has no sample input.${tried} Choose a .npy file or a random input, or add \`# ai8x: sample-input=…\` to the file.`);
    }
    case 'network-errors': {
      const { errors, result } = p;
      const details = errors.slice(0, 8).map((d) => {
        const at = result.lines.position(d.range[0]);
        return `${at.line + 1}:${at.character + 1} ${d.code} ${d.message}`;
      });
      if (errors.length > details.length) details.push(`… and ${errors.length - details.length} more (see the Problems view)`);
      return problem(
        'network-errors',
        `${name} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before simulating.`,
        details,
      );
    }
    case 'not-resolved':
      return problem(
        'not-resolved',
        `${name} could not be resolved far enough to simulate it (the checkpoint and the sample input must both fit the network).`,
      );
  }
}

function explainProblem(p: EditorProblem): ExplainMismatchResult {
  return { ok: false, message: `${p.message}${p.details.length ? ` ${p.details[0]}` : ''}` };
}
