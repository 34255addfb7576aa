// The text edit that records a checkpoint in the file's `# ai8x: …` modeline (added only with the user's consent).
import * as path from 'node:path';
import { shellQuote } from './izerArgs';

export interface TextEdit {
  offset: number;
  length: number;
  text: string;
}

const MODELINE = /^[ \t]*#[ \t]*ai8x:.*$/m;
const CHECKPOINT_TOKEN = /(^|\s)(checkpoint|checkpoint-file)=("[^"]*"|'[^']*'|\S+)/;

/** Path as written in the modeline: relative to the YAML's folder, with `/`, quoted when needed. */
export function modelinePath(yamlFile: string, checkpoint: string): string {
  let rel = path.relative(path.dirname(yamlFile), checkpoint);
  if (path.isAbsolute(rel)) rel = checkpoint;
  return shellQuote(rel.split(path.sep).join('/'));
}

export function checkpointModelineEdit(text: string, yamlFile: string, checkpoint: string): TextEdit {
  const value = `checkpoint=${modelinePath(yamlFile, checkpoint)}`;
  const m = MODELINE.exec(text);
  if (!m) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return { offset: 0, length: 0, text: `# ai8x: ${value}${eol}` };
  }
  const line = m[0].replace(/\r$/, '');
  const t = CHECKPOINT_TOKEN.exec(line);
  if (t) {
    const start = m.index + t.index + t[1].length;
    return { offset: start, length: t[0].length - t[1].length, text: value };
  }
  return { offset: m.index + line.length, length: 0, text: ` ${value}` };
}
