// Names and shapes shared by the extension client and the language server (cf. vscode-eslint's shared protocol).
export const SERVER_NAME = 'ai8x network language server';

export interface Ai8xSettings {
  /** 'auto' = modeline, then checkpoint name, then file name, then MAX78000. */
  device: 'auto' | 'MAX78000' | 'MAX78002';
  /** Extra glob patterns of files to treat as network YAML (besides recognition by content). */
  networkFiles: string[];
  /** Milliseconds to wait after typing before re-checking. */
  validationDelay: number;
  /** izer flags applied to every network (the modeline and associations may add more). */
  izerFlags: string[];
  inlayHints: boolean;
  associations: Association[];
  /** Look for gen-demos-max7800*.sh / scripts/gen_*.sh lines in the workspace to pair files. */
  autoAssociate: boolean;
}

export interface Association {
  /** Glob matched against the network YAML path (workspace-relative or absolute). */
  pattern: string;
  checkpoint?: string;
  sampleInput?: string;
  device?: 'MAX78000' | 'MAX78002';
  izerFlags?: string[];
}

export const DEFAULT_SETTINGS: Ai8xSettings = {
  device: 'auto',
  networkFiles: [],
  validationDelay: 250,
  izerFlags: [],
  inlayHints: true,
  associations: [],
  autoAssociate: true,
};

/** Server → client: what the server resolved for a document (for the language status item). */
export const StatusNotification = 'ai8x/status';
export interface StatusParams {
  uri: string;
  isNetwork: boolean;
  device: string;
  deviceSource: string;
  /** Absolute path of the associated checkpoint, or null. */
  checkpoint: string | null;
  checkpointSource: string | null;
  checkpointProblem: string | null;
  sampleInput: string | null;
  sampleProblem: string | null;
  errors: number;
  warnings: number;
}

/** Client → server: the user picked a checkpoint or a device for a network (this session only). */
export const ChooseInputsNotification = 'ai8x/chooseInputs';
export interface ChooseInputsParams {
  uri: string;
  checkpoint?: string | null;
  device?: 'MAX78000' | 'MAX78002' | null;
}

/** Client → server: the files and settings associated with a network document (absolute paths). */
export const AssociationRequest = 'ai8x/association';
export interface AssociationParams {
  uri: string;
}
export interface AssociationResult {
  isNetwork: boolean;
  device: 'MAX78000' | 'MAX78002';
  deviceSource: string;
  checkpoint: string | null;
  sampleInput: string | null;
  /** izer flags from the modeline, settings and associations, in the order they apply. */
  izerFlags: string[];
}
