// Where a network's inputs are looked for and kept: the workspace folders, the gen-demos scripts in them, and the
// cache of checkpoints and sample inputs read. The CLI makes one per run (its working folder, no scripts); a check
// worker keeps one for the editor's whole session and is told when folders and files change.
import { ScriptIndex } from '../workspace/associations';
import { InputFiles } from '../workspace/inputFiles';

/** Open networks are checked again when a gen-demos script, a checkpoint or a sample input changes on disk. */
export function changeNeedsRecheck(file: string): boolean {
  return /\.(sh|tar|npy|onnx|pth)$/i.test(file);
}

export class InputSources {
  readonly files = new InputFiles();
  readonly scripts: ScriptIndex;
  private folderList: string[];

  /** `scripts`: look for gen-demos scripts in the folders (the editor does; the command line does not). */
  constructor(folders: string[] = [], scripts = true) {
    this.folderList = folders;
    this.scripts = new ScriptIndex(() => (scripts ? this.folderList : []));
  }

  /** The command line's: its working folder, no gen-demos scripts. */
  static forCommandLine(cwd = process.cwd()): InputSources {
    return new InputSources([cwd], false);
  }

  get folders(): string[] {
    return this.folderList;
  }

  setFolders(folders: string[]): void {
    this.folderList = folders;
    this.scripts.invalidate();
  }

  /** A watched file changed: returns true when open networks must be checked again. */
  fileChanged(file: string): boolean {
    if (/\.sh$/i.test(file)) this.scripts.invalidate();
    else this.files.invalidate(file);
    return changeNeedsRecheck(file);
  }
}
