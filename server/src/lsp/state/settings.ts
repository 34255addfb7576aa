import type { ClientCapabilities, Connection } from 'vscode-languageserver/node';
import { DidChangeConfigurationNotification } from 'vscode-languageserver/node';
import { Ai8xSettings, DEFAULT_SETTINGS } from '../../protocol';

/** The `ai8x.*` settings per document, fetched from the client and cached until they change. */
export class SettingsCache {
  private canPull = false;
  private canRegister = false;
  private readonly cache = new Map<string, Promise<Ai8xSettings>>();
  /** The settings that arrived, for callers that cannot wait (the diagnostics timer). */
  private readonly known = new Map<string, Ai8xSettings>();

  constructor(private readonly connection: Connection) {}

  init(caps: ClientCapabilities): void {
    this.canPull = !!caps.workspace?.configuration;
    this.canRegister = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  }

  registerForChanges(): void {
    if (this.canRegister) void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'ai8x' });
  }

  clear(): void {
    this.cache.clear();
    this.known.clear();
  }

  /** A closed document's settings are fetched again if it is opened again. */
  forget(uri: string): void {
    this.cache.delete(uri);
    this.known.delete(uri);
  }

  /** The settings of `uri` if they have arrived, else the defaults. */
  peek(uri: string): Ai8xSettings {
    return this.known.get(uri) ?? DEFAULT_SETTINGS;
  }

  get(uri: string): Promise<Ai8xSettings> {
    if (!this.canPull) return Promise.resolve(DEFAULT_SETTINGS);
    let p = this.cache.get(uri);
    if (!p) {
      const q: Promise<Ai8xSettings> = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'ai8x' })
        .then(
          (raw) => normalize(raw),
          () => DEFAULT_SETTINGS,
        )
        .then((s) => {
          if (this.cache.get(uri) === q) this.known.set(uri, s);
          return s;
        });
      p = q;
      this.cache.set(uri, p);
    }
    return p;
  }
}

function normalize(raw: unknown): Ai8xSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const strList = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const device = r.device === 'MAX78000' || r.device === 'MAX78002' ? r.device : 'auto';
  const validation = (r.validation && typeof r.validation === 'object' ? r.validation : {}) as Record<string, unknown>;
  const delay = typeof validation.delay === 'number' && validation.delay >= 0 ? validation.delay : DEFAULT_SETTINGS.validationDelay;
  const inlay = (r.inlayHints && typeof r.inlayHints === 'object' ? r.inlayHints : {}) as Record<string, unknown>;
  return {
    device,
    networkFiles: strList(r.networkFiles),
    validationDelay: delay,
    izerFlags: strList(r.izerFlags),
    inlayHints: inlay.enabled !== false,
    associations: Array.isArray(r.associations)
      ? (r.associations.filter((a) => a && typeof a === 'object' && typeof (a as { pattern?: unknown }).pattern === 'string') as Ai8xSettings['associations'])
      : [],
    autoAssociate: r.autoAssociate !== false,
    synthesisPath: synthesisPathOf(r.synthesis),
  };
}

function synthesisPathOf(v: unknown): string | null {
  const p = v && typeof v === 'object' ? (v as Record<string, unknown>).path : undefined;
  return typeof p === 'string' && p.trim() ? p.trim() : null;
}
