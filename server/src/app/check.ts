// The check workflow: a request checked with the inputs the resolver finds (`ai8x check`, `ai8x kernel-map`, the
// editor's live check), and checks of edited versions of its text (quick fixes, fix all, the allocator).
import { checkNetwork, CheckResult, looksLikeNetwork, ResolvedInputs } from '../engine/check';
import { matchesGlob } from '../engine/glob';
import type { Recheck } from '../engine/allocate/allocateNetwork';
import { checkInputFor } from './checkInput';
import type { InputSources } from './inputSources';
import type { NetworkRequest } from './networkRequest';
import { AssociationInfo, emptyInfo, ResolveMode } from './inputResolver';

export interface RequestCheck {
  result: CheckResult;
  /** The checkpoint and sample the check used (empty when the network has no layers to check). */
  inputs: ResolvedInputs;
  info: AssociationInfo;
}

export interface CheckOptions {
  mode?: ResolveMode;
  /** Called around the reading of the checkpoint and sample (the CLI's timing marks). */
  phases?: { beforeInputs(): void; afterInputs(): void };
}

export function checkRequest(req: NetworkRequest, sources: InputSources, options: CheckOptions = {}): RequestCheck {
  const info = emptyInfo();
  const input = checkInputFor(req, sources, info, options.mode);
  const resolve = input.resolveInputs!;
  let inputs: ResolvedInputs = {};
  const result = checkNetwork({
    ...input,
    resolveInputs: (ctx) => {
      options.phases?.beforeInputs();
      inputs = resolve(ctx);
      options.phases?.afterInputs();
      return inputs;
    },
  });
  return { result, inputs, info };
}

/** The full check of other versions of the request's text, with its inputs and choices. */
export function recheckFor(req: NetworkRequest, sources: InputSources): Recheck {
  return (text) => checkNetwork(checkInputFor({ ...req, text }, sources));
}

/**
 * Is this document an ai8x network? Its content (top-level `arch` and `layers`) or the `ai8x.networkFiles` globs
 * say so. Diagnostics, the status item, the editor-title buttons, the simulator and the map views all go by this.
 */
export function isNetworkDocument(text: string, path: string, networkFiles: readonly string[]): boolean {
  return looksLikeNetwork(text) || networkFiles.some((g) => matchesGlob(path, g));
}

export interface DocumentCheck {
  isNetwork: boolean;
  result: CheckResult | null;
  info: AssociationInfo;
}

/** The editor's check of a document: a network is checked, any other YAML is left alone. */
export function checkDocument(req: NetworkRequest, sources: InputSources, networkFiles: readonly string[]): DocumentCheck {
  if (!isNetworkDocument(req.text, req.path, networkFiles)) return { isNetwork: false, result: null, info: emptyInfo() };
  const { result, info } = checkRequest(req, sources);
  return { isNetwork: true, result, info };
}
