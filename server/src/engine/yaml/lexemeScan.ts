// What the lexemes of eemeli/yaml's lexer tell, read one by one as its parser reads them: the comments and anchors
// of the file, and what PyYAML, izer's YAML reader, refuses while eemeli/yaml (YAML 1.2) accepts it:
// - a tab outside quoted and block scalars and comments (PyYAML separates tokens with spaces only);
// - in a flow collection, a plain value holding `?` or starting with `:` (YAML 1.1);
// - the text of a document-level block scalar at column 0 (PyYAML wants one space at least);
// - an anchor or alias name with characters other than ASCII letters, digits, `-` and `_`;
// - an anchor name defined twice in a document, and an alias to no anchor before it (PyYAML's composer).
import { CST } from 'yaml';
import type { YamlAnchor, YamlComment, YamlProblem } from './yamlTree';

export class LexemeScan {
  readonly comments: YamlComment[] = [];
  readonly anchors: YamlAnchor[] = [];
  readonly problems: YamlProblem[] = [];
  /** Offsets of every tab PyYAML refuses (only the first is a problem: PyYAML stops there). */
  readonly tabs: number[] = [];
  /** Anchors of the current document, by name: the offset of the first. */
  private inDocument = new Map<string, number>();
  /** The lexeme after a SCALAR marker is a plain or block scalar's text, which may start with `#`, `&` or `*`. */
  private scalarText = false;
  private blockHeader = false;
  private flowLevel = 0;

  constructor(private readonly text: string) {}

  /** The next lexeme, which starts at `offset`. */
  next(lexeme: string, offset: number): void {
    if (lexeme.includes('\t') && !(this.scalarText ? this.blockHeader : /^["'#]/.test(lexeme))) this.tab(lexeme, offset);
    if (this.scalarText) {
      if (this.blockHeader) this.blockText(lexeme, offset);
      else if (this.flowLevel > 0) this.flowPlain(lexeme, offset);
      this.blockHeader = false;
    } else this.token(lexeme, offset);
    this.scalarText = !this.scalarText && lexeme === CST.SCALAR;
  }

  private token(lexeme: string, offset: number): void {
    const first = lexeme[0];
    if (first === '#') this.comments.push({ offset, text: lexeme.slice(1) });
    else if (first === '|' || first === '>') this.blockHeader = true;
    else if (lexeme === '[' || lexeme === '{') this.flowLevel++;
    else if ((lexeme === ']' || lexeme === '}') && this.flowLevel > 0) this.flowLevel--;
    else if (lexeme === '---' || lexeme === '...') this.inDocument = new Map();
    else if (first === '&') this.anchor(lexeme, offset);
    else if (first === '*') this.alias(lexeme, offset);
  }

  private tab(lexeme: string, offset: number): void {
    if (!this.tabs.length)
      // PyYAML's scanner meets the tab as the start of a token.
      this.problem(
        offset + lexeme.indexOf('\t'),
        1,
        'TAB',
        'A tab character: outside quoted and block scalars and comments, PyYAML allows only spaces (it stops with "found character \'\\t\' that cannot start any token")',
      );
    for (let i = lexeme.indexOf('\t'); i >= 0; i = lexeme.indexOf('\t', i + 1)) this.tabs.push(offset + i);
  }

  private blockText(lexeme: string, offset: number): void {
    // Only a block scalar of the document itself can have text at column 0.
    const m = /(?:^|\n)[^\s]/.exec(lexeme);
    if (m)
      this.problem(
        offset + m.index + m[0].length - 1,
        1,
        'BLOCK_AT_COLUMN_0',
        'PyYAML needs the text of a block scalar (`|` or `>`) indented by one space at least',
      );
  }

  private flowPlain(lexeme: string, offset: number): void {
    if (lexeme[0] === ':')
      this.problem(offset, 1, 'FLOW_PLAIN', 'In a flow collection ([…] or {…}), PyYAML does not take `:` as the start of a plain value; quote the value');
    else if (lexeme.indexOf('?', 1) > 0)
      this.problem(
        offset + lexeme.indexOf('?', 1),
        1,
        'FLOW_PLAIN',
        'In a flow collection ([…] or {…}), PyYAML ends a plain value at `?` and then stops; quote the value',
      );
  }

  private anchor(lexeme: string, offset: number): void {
    // Anchors and aliases match by the name PyYAML reads (see checkName).
    const name = pyyamlName(lexeme);
    const first = this.inDocument.get(name);
    if (first === undefined) this.inDocument.set(name, offset);
    else
      this.problem(
        offset,
        lexeme.length,
        'DUPLICATE_ANCHOR',
        `The anchor \`&${name}\` is defined a second time (first on line ${lineNumber(this.text, first)}); PyYAML refuses a repeated anchor name`,
      );
    this.checkName(lexeme, offset, 'anchor');
    this.anchors.push({ offset, name: lexeme.slice(1) });
  }

  private alias(lexeme: string, offset: number): void {
    const name = pyyamlName(lexeme);
    if (!this.inDocument.has(name))
      this.problem(offset, lexeme.length, 'UNDEFINED_ALIAS', `The alias \`*${name}\` refers to no anchor \`&${name}\` before it in the document`);
    else this.checkName(lexeme, offset, 'alias');
  }

  /**
   * PyYAML ends an anchor or alias name at the first character that is not an ASCII letter, digit, `-` or `_`. It
   * stops there, unless that is `?`, `:`, `,`, `]` or `}`: then it reads on (`&x: 1` is an anchor on an empty key),
   * where eemeli/yaml keeps the character in the name and reads another structure, which cannot be checked.
   */
  private checkName(lexeme: string, offset: number, what: 'anchor' | 'alias'): void {
    const m = /[^0-9A-Za-z_-]/.exec(lexeme.slice(1));
    if (lexeme.length === 1 || (m && !'?:,]}'.includes(m[0])))
      this.problem(offset + (m ? m.index + 1 : 0), 1, 'BAD_ANCHOR_NAME', `PyYAML allows only ASCII letters, digits, \`-\` and \`_\` in the name of an ${what}`);
    else if (m) {
      const name = lexeme[0] + pyyamlName(lexeme);
      this.problems.push({
        range: [offset, offset + name.length + 1],
        message: `PyYAML ends the ${what} name \`${name}\` at \`${m[0]}\` and reads on (\`&x: 1\` is an anchor on an empty key), where this checker, reading YAML 1.2, takes \`${m[0]}\` into the name and so cannot check the file further. Put a space after \`${name}\``,
        code: 'ANCHOR_INDICATOR',
        izerReads: true,
        replacement: { edits: [{ range: [offset + name.length, offset + name.length], newText: ' ' }], title: `Put a space after ${name}` },
      });
    }
  }

  private problem(at: number, length: number, code: string, message: string): void {
    this.problems.push({ range: [at, at + length], message, code });
  }
}

/** The name PyYAML reads in `&name` or `*name`: up to `?`, `:`, `,`, `]` or `}` if one follows the name's characters. */
function pyyamlName(lexeme: string): string {
  const m = /[^0-9A-Za-z_-]/.exec(lexeme.slice(1));
  return m && '?:,]}'.includes(m[0]) ? lexeme.slice(1, m.index + 1) : lexeme.slice(1);
}

function lineNumber(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
