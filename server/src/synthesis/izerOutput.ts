// Picks izer's messages out of its console output: `ERROR:`/`WARNING:` lines (including the yamllint findings
// izer passes on), argparse errors, and the last line of a Python traceback when izer crashes.

export type IzerMessageKind = 'izer' | 'yamllint' | 'exception' | 'usage';

export interface IzerMessage {
  severity: 'error' | 'warning';
  kind: IzerMessageKind;
  /** The message without its `ERROR:`/`WARNING:` prefix. */
  text: string;
  /** 1-based position in the YAML file when the message gives one (yamllint, PyYAML). */
  line?: number;
  column?: number;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const PREFIX = /^(ERROR|WARNING):\s?(.*)$/;
const YAMLLINT = /^\s*(\d+):(\d+)\s+(error|warning)\s+(.*?)\s*$/;
const PYYAML_MARK = /line (\d+), column (\d+)/;
const EXCEPTION = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt))(?::\s*(.*))?$/;
const ARGPARSE = /^ai8xize\.py: error: (.*)$/;

/** Feeds izer's stdout and stderr chunk by chunk and collects its messages. */
export class IzerOutputParser {
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  private readonly found: IzerMessage[] = [];
  private readonly seen = new Set<string>();
  private inTraceback: Record<'stdout' | 'stderr', boolean> = { stdout: false, stderr: false };
  private last: Record<'stdout' | 'stderr', IzerMessage | null> = { stdout: null, stderr: null };

  constructor(private readonly networkFile?: string) {}

  push(stream: 'stdout' | 'stderr', chunk: string): void {
    const text = this.partial[stream] + chunk;
    const lines = text.split(/\r?\n|\r/);
    this.partial[stream] = lines.pop() ?? '';
    for (const l of lines) this.line(stream, l);
  }

  end(): IzerMessage[] {
    for (const s of ['stdout', 'stderr'] as const) {
      if (this.partial[s]) this.line(s, this.partial[s]);
      this.partial[s] = '';
    }
    return this.messages();
  }

  messages(): IzerMessage[] {
    return [...this.found];
  }

  private line(stream: 'stdout' | 'stderr', raw: string): void {
    const line = raw.replace(ANSI, '');
    if (line.startsWith('Traceback (most recent call last)')) {
      this.inTraceback[stream] = true;
      this.last[stream] = null;
      return;
    }
    if (this.inTraceback[stream]) {
      if (/^\s/.test(line) || line === '') return;
      this.inTraceback[stream] = false;
      const m = EXCEPTION.exec(line);
      if (m) {
        this.add(stream, { severity: 'error', kind: 'exception', text: line, ...mark(line) });
        return;
      }
    }
    const p = PREFIX.exec(line);
    if (p) {
      const severity = p[1] === 'ERROR' ? 'error' : 'warning';
      const body = p[2].trim();
      const y = YAMLLINT.exec(body);
      if (y) {
        this.add(stream, {
          severity: y[3] === 'error' ? 'error' : 'warning',
          kind: 'yamllint',
          text: `yamllint: ${y[4]}`,
          line: Number(y[1]),
          column: Number(y[2]),
        });
        return;
      }
      // izer names the file before passing on yamllint's findings for it; that line says nothing by itself.
      if (severity === 'warning' && this.isNetworkFileName(body)) return;
      this.add(stream, { severity, kind: 'izer', text: body, ...mark(body) });
      return;
    }
    const a = ARGPARSE.exec(line);
    if (a) {
      this.add(stream, { severity: 'error', kind: 'usage', text: `ai8xize.py: ${a[1]}` });
      return;
    }
    // Continuation of a multi-line message (PyYAML's `  in "file", line 3, column 5`).
    const prev = this.last[stream];
    if (prev && /^\s+\S/.test(line) && prev.kind === 'izer') {
      prev.text += ' ' + line.trim();
      if (prev.line === undefined) Object.assign(prev, mark(line));
      return;
    }
    this.last[stream] = null;
  }

  private isNetworkFileName(body: string): boolean {
    if (!this.networkFile) return false;
    const base = this.networkFile.split(/[\\/]/).pop()!;
    return body === this.networkFile || body.endsWith('/' + base) || body.endsWith('\\' + base) || body === base;
  }

  private add(stream: 'stdout' | 'stderr', m: IzerMessage): void {
    // izer prints each message to stderr and, once its output goes to a log, to stdout as well.
    const key = `${m.severity}\u0000${m.text}`;
    if (this.seen.has(key)) {
      this.last[stream] = null;
      return;
    }
    this.seen.add(key);
    this.found.push(m);
    this.last[stream] = m;
  }
}

function mark(text: string): { line?: number; column?: number } {
  const m = PYYAML_MARK.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : {};
}

/** Parses a complete output at once (both streams already captured). */
export function parseIzerOutput(stdout: string, stderr: string, networkFile?: string): IzerMessage[] {
  const p = new IzerOutputParser(networkFile);
  p.push('stdout', stdout);
  p.push('stderr', stderr);
  return p.end();
}
