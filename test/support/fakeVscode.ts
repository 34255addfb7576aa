// A stand-in for the `vscode` module, for tests that run extension code outside VS Code (import this module before
// the code under test). It records registered commands, language status items and messages; any other property,
// call or `new` gives an inert stand-in (as in test/bench/bundleBench.ts), so the code loads and registers.
import Module from 'node:module';

export interface FakeStatusItem {
  id: string;
  selector: unknown;
  name: string;
  text: string;
  detail: string | undefined;
  severity: number;
  busy: boolean;
  command: { command: string; title: string } | undefined;
  disposed: boolean;
}

export const fake = {
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  statusItems: [] as FakeStatusItem[],
  errorMessages: [] as string[],
  /** What vscode.window.activeTextEditor returns. */
  activeTextEditor: undefined as undefined | { document: { uri: { toString(): string }; languageId: string } },
  reset(): void {
    this.activeTextEditor = undefined;
    this.commands.clear();
    this.statusItems.length = 0;
    this.errorMessages.length = 0;
  },
};

type AnyFn = (...args: unknown[]) => unknown;
const names: object = new Proxy({}, { get: (_t, p) => (p === 'then' ? undefined : stub) });
const stub: AnyFn = new Proxy(function () {} as AnyFn, {
  get: (_t, p) => (p === 'then' ? undefined : p === '__esModule' ? true : stub),
  apply: () => stub,
  construct: () => stub as object,
  getPrototypeOf: () => names,
});

class Disposable {
  constructor(private readonly f?: () => void) {}
  dispose(): void {
    this.f?.();
  }
  static from(...ds: { dispose(): void }[]): Disposable {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
}

class EventEmitter<T> {
  private listeners: ((v: T) => void)[] = [];
  readonly event = (l: (v: T) => void): Disposable => {
    this.listeners.push(l);
    return new Disposable(() => (this.listeners = this.listeners.filter((x) => x !== l)));
  };
  fire(v: T): void {
    for (const l of [...this.listeners]) l(v);
  }
  dispose(): void {
    this.listeners = [];
  }
}

const noEvent = () => new Disposable();
const outputChannel = () =>
  new Proxy({ name: 'output', onDidChangeLogLevel: noEvent } as Record<string | symbol, unknown>, {
    get: (t, p) => (p in t ? t[p] : () => undefined),
  });

/** Namespaces: the members a test looks at, and stand-ins for the rest. */
const namespace = (members: Record<string, unknown>) => new Proxy(members, { get: (t, p) => (p in t ? t[p as string] : stub) });

const api: Record<string, unknown> = {
  commands: namespace({
    registerCommand(id: string, fn: AnyFn) {
      if (fake.commands.has(id)) throw new Error(`command '${id}' already exists`);
      fake.commands.set(id, fn);
      return new Disposable(() => fake.commands.delete(id));
    },
    executeCommand: async () => undefined,
  }),
  languages: namespace({
    createLanguageStatusItem(id: string, selector: unknown) {
      const it: FakeStatusItem = {
        id,
        selector,
        name: '',
        text: '',
        detail: undefined,
        severity: 0,
        busy: false,
        command: undefined,
        disposed: false,
      };
      (it as unknown as { dispose(): void }).dispose = () => (it.disposed = true);
      fake.statusItems.push(it);
      return it;
    },
    onDidChangeDiagnostics: noEvent,
  }),
  window: namespace({
    createOutputChannel: outputChannel,
    createStatusBarItem: (id: string) =>
      new Proxy({ id, name: '', text: '' } as Record<string | symbol, unknown>, { get: (t, p) => (p in t ? t[p] : () => undefined) }),
    showErrorMessage: async (m: string) => {
      fake.errorMessages.push(m);
      return undefined;
    },
    showWarningMessage: async () => undefined,
    showInformationMessage: async () => undefined,
    get activeTextEditor() {
      return fake.activeTextEditor;
    },
    onDidChangeActiveTextEditor: noEvent,
  }),
  workspace: namespace({
    createFileSystemWatcher: () => stub,
    onDidCloseTextDocument: noEvent,
    onDidChangeTextDocument: noEvent,
    onDidChangeConfiguration: noEvent,
  }),
  extensions: namespace({ getExtension: () => undefined }),
  tasks: namespace({ registerTaskProvider: () => new Disposable() }),
  Disposable,
  EventEmitter,
  LanguageStatusSeverity: { Information: 0, Warning: 1, Error: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
};

const vscodeModule = new Proxy(api, {
  get: (t, p) => (p === '__esModule' ? true : p in t ? t[p as string] : stub),
  getPrototypeOf: () => names,
});

const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = moduleWithLoad._load;
moduleWithLoad._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? vscodeModule : load.call(this, request, ...rest);
};
