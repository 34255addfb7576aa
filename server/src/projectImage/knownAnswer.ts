// The known answer of a generated project: sampleoutput.h's SAMPLE_OUTPUT, blocks of (start address, byte mask,
// word count, words…) ended by a zero address, unrolled into one checked word per address.
import { ImageError } from './imageError';

export interface KnownWord {
  address: number;
  mask: number;
  value: number;
}

export function knownAnswerWords(text: string, fileName = 'sampleoutput.h'): KnownWord[] {
  const at = text.search(/#\s*define\s+SAMPLE_OUTPUT\b/);
  if (at < 0) throw new ImageError('project', `${fileName} has no SAMPLE_OUTPUT.`);
  const numbers = [...text.slice(at).matchAll(/\b0[xX]([0-9a-fA-F]+)\b|\b([0-9]+)[uU]?\b/g)].map((m) =>
    m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]),
  );
  const words: KnownWord[] = [];
  let i = 0;
  while (i < numbers.length && numbers[i] !== 0) {
    if (i + 2 >= numbers.length) throw new ImageError('project', `${fileName}: SAMPLE_OUTPUT ends inside a block header.`);
    const [address, mask, count] = numbers.slice(i, i + 3);
    if (address % 4 !== 0 || i + 3 + count > numbers.length)
      throw new ImageError('project', `${fileName}: SAMPLE_OUTPUT's block at 0x${address.toString(16)} is not a well-formed known-answer block.`);
    for (let k = 0; k < count; k++) words.push({ address: address + 4 * k, mask, value: numbers[i + 3 + k] });
    i += 3 + count;
  }
  return words;
}

/** The harness's known-answer file: one "address mask value" line per word, hex. */
export function knownAnswerFileText(words: readonly KnownWord[]): string {
  return words.map((w) => `${w.address.toString(16)} ${w.mask.toString(16)} ${w.value.toString(16)}\n`).join('');
}
