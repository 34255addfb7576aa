// The workspace side of a document's inputs: associations (modeline, settings, gen-demos scripts, and the
// checkpoint/device the user picked in this session), the cached files, and what to invalidate on change.
import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DeviceName } from '../engine/device/devices';
import { Association, resolveAssociation, ScriptIndex } from '../workspace/associations';
import type { ResolvedInputs } from '../engine/check';
import { InputFiles, loadAssociatedInputs } from '../workspace/inputFiles';
import type { Ai8xSettings } from '../protocol';
import type { AssociationInfo, ExtraInputs } from './documentState';
import { URI } from './uri';

export interface SessionChoice {
  checkpoint?: string;
  device?: DeviceName;
}

/** Open networks are checked again when a gen-demos script, a checkpoint or a sample input changes on disk. */
export function changeNeedsRecheck(file: string): boolean {
  return /\.(sh|tar|npy|onnx|pth)$/i.test(file);
}

export class WorkspaceInputs {
  readonly files = new InputFiles();
  readonly scripts: ScriptIndex;
  readonly choices = new Map<string, SessionChoice>();
  private folders: string[] = [];

  constructor() {
    this.scripts = new ScriptIndex(() => this.folders);
  }

  setFolders(folders: string[]): void {
    this.folders = folders;
    this.scripts.invalidate();
  }

  /** A watched file changed: returns true when open networks must be re-checked. */
  fileChanged(file: string): boolean {
    if (/\.sh$/i.test(file)) this.scripts.invalidate();
    else this.files.invalidate(file);
    return changeNeedsRecheck(file);
  }

  readonly extraInputs: ExtraInputs = (doc: TextDocument, settings: Ai8xSettings, info: AssociationInfo) => {
    const yamlPath = URI.toPath(doc.uri);
    const choice = this.choices.get(doc.uri);
    return {
      deviceOverride: choice?.device,
      resolveInputs: (ctx) => {
        const a = resolveAssociation({
          yamlPath,
          modeline: ctx.modeline,
          dataset: ctx.dataset,
          preferredDevice: choice?.device ?? ctx.modeline.device ?? (settings.device === 'auto' ? null : settings.device),
          settings,
          workspaceFolders: this.folders,
          scripts: this.scripts,
          synthesisPath: settings.synthesisPath,
        });
        if (choice?.checkpoint) {
          a.checkpointPath = path.resolve(choice.checkpoint);
          a.checkpointSource = 'setting';
        }
        const inputs = loadAssociatedInputs(this.files, a, ctx.modeline);
        if (ctx.arch === 'test') return this.testNetworkInputs(inputs, a, info);
        info.checkpointPath = a.checkpointPath;
        info.checkpointSource = choice?.checkpoint
          ? 'chosen in this session'
          : a.script
            ? `gen-demos script ${path.basename(a.script.file)}:${a.script.line + 1}`
            : a.checkpointSource;
        info.checkpointProblem = inputs.checkpoint && 'error' in inputs.checkpoint ? inputs.checkpoint.error : null;
        info.samplePath = a.samplePath;
        info.sampleSource = a.sampleSource;
        info.sampleProblem =
          inputs.sample && 'error' in inputs.sample
            ? inputs.sample.error
            : a.checkpointPath && !a.samplePath && a.sampleCandidates.length
              ? `no ${path.basename(a.sampleCandidates[0])}`
              : null;
        return inputs;
      },
    };
  };

  /** A test network (`arch: test`) takes izer's sample weights instead of a checkpoint; the status shows that file. */
  private testNetworkInputs(inputs: ResolvedInputs, a: Association, info: AssociationInfo): ResolvedInputs {
    const find = inputs.findSampleWeightFile!;
    inputs.findSampleWeightFile = (name, role) => {
      const f = find(name, role);
      if (role === 'bias') return f;
      info.checkpointPath = f.path ?? f.lookedAt[0] ?? name;
      info.checkpointSource = "izer's sample weights (`arch: test`)";
      info.checkpointProblem = !f.path ? `${name} not found (looked at ${f.lookedAt.join(', ')})` : f.content && 'error' in f.content ? f.content.error : null;
      return f;
    };
    info.samplePath = a.samplePath;
    info.sampleSource = a.sampleSource;
    info.sampleProblem =
      inputs.sample && 'error' in inputs.sample
        ? inputs.sample.error
        : !a.samplePath && a.sampleCandidates.length
          ? `no ${path.basename(a.sampleCandidates[0])}`
          : null;
    return inputs;
  }
}
