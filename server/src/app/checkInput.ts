// The one builder of the engine's CheckInput: every check the CLI and the language server run starts here, so that a
// request is checked the same way wherever it comes from (no front end builds a CheckInput by hand; a test keeps it so).
import type { CheckInput } from '../engine/check';
import type { InputSources } from './inputSources';
import { platformNewline, type NetworkRequest } from './networkRequest';
import { AssociationInfo, emptyInfo, inputResolver, ResolveMode } from './inputResolver';

export function checkInputFor(req: NetworkRequest, sources: InputSources, info: AssociationInfo = emptyInfo(), mode: ResolveMode = 'load'): CheckInput {
  const settings = req.settings;
  return {
    text: req.text,
    fileName: req.path,
    deviceOverride: req.choices.device,
    deviceOverrideSource: req.choices.origin,
    deviceSetting: settings?.device,
    // The settings' flags, then the request's; the engine puts the modeline's and the association's before them.
    izerFlags: [...(settings?.izerFlags ?? []), ...(req.izerFlags ?? [])],
    newline: req.newline ?? platformNewline(),
    resolveInputs: inputResolver(req, sources, info, mode),
  };
}
