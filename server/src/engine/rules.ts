// The catalogue of the codes this checker reports: one entry per code, with its family, the severity it is reported
// with, the izer rule it follows and the words of its title. The features that act on a kind of finding (allocation,
// quick fixes, the data-memory view) ask the catalogue which codes those are; the README's list of codes and
// docs/codes.md are generated from it (npm run gen:codes), and diagnostics link to their line in docs/codes.md.
import { izerRule } from './izerRules';

export type Severity = 'error' | 'warning' | 'information';

/** `yaml`: the file as YAML; `izer`: izer's own rules; `ours`: checks izer lacks; `yamllint`: the yamllint rules izer runs. */
export type Category = 'izer' | 'ours' | 'yaml' | 'yamllint';

/** What a finding is about, for the features that act on one kind of finding. */
export type Concern =
  /** Processor counts and maps, memory offsets and sizes, kernel and bias memory: an allocation can fix it. */
  | 'allocation'
  /** A processor mask with the wrong processors: the mask quick fixes apply. */
  | 'processorMask'
  /** Another `out_offset` for the layer can fix it. */
  | 'outputOffset'
  /** Data memory: the data-memory view lists it at its layer. */
  | 'dataMemory';

/**
 * izer's rules that we report as `IZnnn`, each with its concerns. The severity follows izer: an error, an exception
 * (assertion) or an error a flag can turn into a warning is an error, a warning a warning, a notice information.
 */
const IZER_CODES = {
  12: [],
  13: [],
  14: [],
  15: [],
  16: [],
  17: [],
  18: [],
  19: ['allocation'],
  20: ['allocation'],
  21: ['allocation'],
  22: [],
  23: [],
  24: [],
  25: [],
  26: [],
  27: [],
  28: [],
  29: [],
  30: [],
  31: [],
  32: [],
  33: [],
  34: [],
  35: [],
  36: [],
  37: [],
  38: [],
  39: [],
  40: [],
  41: [],
  42: [],
  43: [],
  44: [],
  45: [],
  46: [],
  47: [],
  48: [],
  49: [],
  50: [],
  51: [],
  52: [],
  53: [],
  54: [],
  55: [],
  56: [],
  57: [],
  58: [],
  59: [],
  60: [],
  61: [],
  62: [],
  63: [],
  65: [],
  66: [],
  67: [],
  68: [],
  69: [],
  70: [],
  71: [],
  72: [],
  73: [],
  74: [],
  75: [],
  76: [],
  77: [],
  78: [],
  79: [],
  80: [],
  81: ['allocation', 'dataMemory'],
  83: [],
  84: [],
  85: [],
  88: [],
  89: [],
  90: [],
  91: [],
  92: [],
  93: [],
  94: [],
  95: [],
  96: [],
  97: [],
  98: [],
  99: [],
  100: [],
  101: [],
  102: [],
  103: [],
  104: [],
  105: [],
  106: [],
  107: [],
  108: [],
  109: [],
  111: [],
  112: [],
  113: [],
  114: [],
  115: [],
  116: [],
  117: [],
  118: [],
  119: [],
  120: [],
  121: [],
  122: [],
  123: [],
  124: [],
  125: [],
  126: [],
  127: [],
  128: [],
  130: [],
  131: [],
  132: [],
  133: [],
  134: [],
  135: [],
  136: [],
  137: [],
  138: [],
  139: [],
  140: [],
  141: [],
  147: [],
  148: [],
  149: [],
  150: [],
  151: ['allocation'],
  152: [],
  153: [],
  154: [],
  155: [],
  156: [],
  157: [],
  158: [],
  159: [],
  160: [],
  161: [],
  162: [],
  163: [],
  164: [],
  165: [],
  166: [],
  167: [],
  168: [],
  169: [],
  170: [],
  171: ['allocation', 'processorMask'],
  172: [],
  173: ['allocation', 'dataMemory'],
  174: [],
  175: [],
  176: [],
  177: [],
  178: [],
  179: [],
  180: [],
  181: [],
  182: [],
  183: [],
  184: [],
  185: [],
  186: [],
  187: ['allocation'],
  188: [],
  189: ['allocation', 'outputOffset', 'dataMemory'],
  190: [],
  191: [],
  192: [],
  193: [],
  194: [],
  195: [],
  196: [],
  197: [],
  198: [],
  199: [],
  200: [],
  201: [],
  202: [],
  203: [],
  204: [],
  205: [],
  206: [],
  207: [],
  208: ['allocation', 'processorMask'],
  209: ['allocation'],
  210: ['allocation'],
  211: ['allocation'],
  212: ['allocation'],
  213: ['allocation'],
  214: ['allocation'],
  215: ['allocation'],
  216: [],
  220: [],
  221: [],
  222: ['allocation', 'processorMask'],
  223: ['processorMask'],
  224: ['allocation', 'processorMask'],
  225: ['allocation'],
  226: ['allocation'],
  227: ['allocation'],
  229: [],
  231: ['allocation'],
  232: ['allocation'],
  234: [],
  235: [],
  236: [],
  237: ['allocation'],
  238: [],
  239: [],
  240: ['allocation'],
  241: ['allocation'],
  242: [],
  243: [],
  244: [],
  245: [],
  246: [],
  248: [],
  249: [],
  253: [],
  254: [],
  256: [],
  257: [],
  259: ['allocation'],
  260: ['allocation'],
  261: ['allocation'],
  262: ['allocation'],
  263: ['allocation'],
  264: ['allocation'],
  265: ['allocation'],
  266: ['allocation'],
  269: ['allocation'],
  270: [],
  272: ['allocation', 'dataMemory'],
  273: ['allocation', 'processorMask', 'dataMemory'],
  275: [],
  276: [],
  277: [],
  279: [],
  280: ['allocation', 'outputOffset', 'dataMemory'],
  281: ['allocation', 'dataMemory'],
  282: ['allocation', 'outputOffset', 'dataMemory'],
  283: ['allocation', 'dataMemory'],
  284: [],
} as const satisfies Record<number, readonly Concern[]>;

/** A rule number of izer's that we report. */
export type IzerRuleNumber = keyof typeof IZER_CODES;

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type ThreeDigits<S extends string> = S extends `${Digit}${Digit}${Digit}` ? S : S extends `${Digit}${Digit}` ? `0${S}` : `00${S}`;
type IzerCodeOf<N> = N extends number ? `IZ${ThreeDigits<`${N}`>}` : never;
export type IzerCode = IzerCodeOf<IzerRuleNumber>;

interface OwnCode {
  category: Exclude<Category, 'izer'>;
  severity: Severity;
  /** When it is reported with another severity. */
  otherwise?: string;
  title: string;
  /** The izer rule whose failure (a crash or an assertion, mostly) it reports earlier and more clearly. */
  izerRule?: number;
  concerns?: readonly Concern[];
  /** yamllint's rule and its level under ai8x-synthesis's .yamllint. */
  yamllint?: { rule: string; level: 'error' | 'warning' };
  /** Kept for a finding not reported today (why), so that the code is not given to another one. */
  reserved?: string;
}

/** Our codes: YAML syntax, checks izer lacks (AX), and the yamllint rules izer runs (YL). */
const OWN_CODES = {
  YAML001: { category: 'yaml', severity: 'error', title: 'not valid YAML: izer cannot read the file' },
  YAML002: { category: 'yaml', severity: 'error', title: 'more than one YAML document in the file' },
  YAML003: { category: 'yaml', severity: 'error', title: "valid YAML that izer's loader cannot build a value from (a merge key, an unknown tag, `!!int abc`)" },
  YAML004: { category: 'yaml', severity: 'error', title: "YAML that izer's PyYAML reads but this checker cannot; the fix makes both read it alike" },

  AX001: { category: 'ours', severity: 'error', title: 'a value or structure of a type izer cannot use: izer would crash on it' },
  AX002: { category: 'ours', severity: 'warning', title: 'a quoted `"false"` (or no, off, 0, none), which izer reads as true' },
  AX003: { category: 'ours', severity: 'error', title: 'a first layer with neither an operation nor an activation key: izer crashes' },
  AX004: { category: 'ours', severity: 'warning', title: "izer's Conv1d default-padding quirk changes this layer's padding" },
  AX005: { category: 'ours', severity: 'warning', title: 'both `max_pool` and `avg_pool`: izer uses `max_pool` alone' },
  AX100: { category: 'ours', severity: 'warning', title: 'a problem in the `# ai8x:` modeline' },
  AX101: { category: 'ours', severity: 'warning', title: 'a problem in the izer flags' },
  AX200: {
    category: 'ours',
    severity: 'warning',
    otherwise: 'information when the unused tensors only repeat used ones',
    title: 'checkpoint weights no layer uses (izer ignores them)',
  },
  AX201: { category: 'ours', severity: 'error', title: 'a checkpoint entry that is not the tensor izer expects: izer crashes' },
  AX202: { category: 'ours', severity: 'warning', title: 'weights that are not integers: is the checkpoint quantized?' },
  AX203: { category: 'ours', severity: 'error', izerRule: 72, title: "weights beyond the layer's quantization: izer stops with an assertion" },
  AX204: { category: 'ours', severity: 'error', title: "the checkpoint's `state_dict` or `arch` is of the wrong type: izer crashes" },
  AX205: { category: 'ours', severity: 'error', title: "`weight_source` names weights izer's list does not hold yet: izer crashes" },
  AX206: { category: 'ours', severity: 'information', title: 'a test network (`arch: test`): izer uses its sample weights, not the checkpoint' },
  AX207: { category: 'ours', severity: 'warning', title: "izer's bypass quirk gives a later layer another layer's bias" },
  AX208: { category: 'ours', severity: 'warning', title: 'weights shaped for another operation than the layer has' },
  AX209: { category: 'ours', severity: 'error', title: "a test network's sample weights izer cannot use" },
  AX210: { category: 'ours', severity: 'error', title: 'the checkpoint cannot be read' },
  AX211: { category: 'ours', severity: 'warning', title: 'the checkpoint file is damaged (a CRC-32 mismatch)' },
  AX250: { category: 'ours', severity: 'error', title: 'a sample input that is not C×H×W or C×L data' },
  AX301: { category: 'ours', severity: 'error', title: 'a `next_sequence` loop: izer never finishes' },
  AX302: { category: 'ours', severity: 'error', title: 'flattening leaves less than one channel: izer stops with an assertion' },
  AX303: { category: 'ours', severity: 'error', izerRule: 159, title: 'a 1×1 layer next to streaming layers without `pad: 0`: izer stops with an assertion' },
  AX304: { category: 'ours', severity: 'error', title: 'input channels that do not split evenly into the operands: izer crashes' },
  AX305: {
    category: 'ours',
    severity: 'warning',
    title: 'an output overwrites data a later layer still reads (izer does not check this)',
    concerns: ['allocation', 'outputOffset', 'dataMemory'],
  },
  AX306: {
    category: 'ours',
    severity: 'warning',
    title: '`output_processors` that are not the processors of the layer reading the output',
    concerns: ['allocation'],
  },
  AX307: { category: 'ours', severity: 'error', title: '`--start-layer` beyond the last layer: izer crashes' },
  AX308: {
    category: 'ours',
    severity: 'error',
    title: 'kernels that overrun the room izer reserved for them: izer stops with an assertion',
    concerns: ['allocation'],
  },
  AX399: { category: 'ours', severity: 'error', title: 'an internal error in a check; the checks after it were skipped' },
  AX400: { category: 'ours', severity: 'error', title: 'a configuration the simulator does not simulate (izer crashes or reads undefined memory)' },
  AX401: { category: 'ours', severity: 'error', title: 'simulation data that does not fit the network' },
  AX402: { category: 'ours', severity: 'error', title: 'a layer reads the output of a layer that has not run' },
  AX403: { category: 'ours', severity: 'error', title: 'the known answer cannot be laid out for this output processor map (izer would hang)' },
  AX500: { category: 'ours', severity: 'error', title: "izer's error, after a synthesis" },
  AX501: { category: 'ours', severity: 'warning', title: "izer's warning, after a synthesis" },
  AX502: { category: 'ours', severity: 'error', title: 'izer stopped with a Python exception during a synthesis' },
  AX503: { category: 'ours', severity: 'error', izerRule: 10, otherwise: "a warning for yamllint's warnings", title: "yamllint's finding, during a synthesis" },
  AX504: { category: 'ours', severity: 'error', title: "izer's command line was refused, during a synthesis" },

  YL001: {
    category: 'yamllint',
    severity: 'warning',
    izerRule: 10,
    title: 'spaces at the end of a line',
    yamllint: { rule: 'trailing-spaces', level: 'error' },
  },
  YL002: {
    category: 'yamllint',
    severity: 'warning',
    izerRule: 10,
    title: 'no line break at the end of the file',
    yamllint: { rule: 'new-line-at-end-of-file', level: 'error' },
  },
  YL003: {
    category: 'yamllint',
    severity: 'warning',
    izerRule: 10,
    title: "line breaks of the other platform's kind",
    yamllint: { rule: 'new-lines', level: 'error' },
  },
  YL004: { category: 'yamllint', severity: 'warning', izerRule: 10, title: 'too many blank lines', yamllint: { rule: 'empty-lines', level: 'error' } },
  YL005: {
    category: 'yamllint',
    severity: 'information',
    izerRule: 10,
    title: 'no `---` at the start of the document',
    yamllint: { rule: 'document-start', level: 'warning' },
  },
  YL006: {
    category: 'yamllint',
    severity: 'information',
    izerRule: 10,
    title: 'a comment without a space after `#` or before it',
    yamllint: { rule: 'comments', level: 'warning' },
  },
  YL007: {
    category: 'yamllint',
    severity: 'information',
    izerRule: 10,
    title: 'a comment not indented like the content',
    yamllint: { rule: 'comments-indentation', level: 'warning' },
  },
  YL008: { category: 'yamllint', severity: 'warning', izerRule: 10, title: 'spaces around a colon', yamllint: { rule: 'colons', level: 'error' } },
  YL009: { category: 'yamllint', severity: 'warning', izerRule: 10, title: 'spaces around a comma', yamllint: { rule: 'commas', level: 'error' } },
  YL010: { category: 'yamllint', severity: 'warning', izerRule: 10, title: 'spaces after a hyphen', yamllint: { rule: 'hyphens', level: 'error' } },
  YL011: { category: 'yamllint', severity: 'warning', izerRule: 10, title: 'spaces inside brackets', yamllint: { rule: 'brackets', level: 'error' } },
  YL012: { category: 'yamllint', severity: 'warning', izerRule: 10, title: 'spaces inside braces', yamllint: { rule: 'braces', level: 'error' } },
  YL013: {
    category: 'yamllint',
    severity: 'information',
    izerRule: 10,
    title: 'a truthy value other than `true` or `false`',
    yamllint: { rule: 'truthy', level: 'warning' },
  },
  YL014: {
    category: 'yamllint',
    severity: 'warning',
    izerRule: 10,
    title: 'a line longer than 1024 characters',
    yamllint: { rule: 'line-length', level: 'error' },
  },
  YL015: {
    category: 'yamllint',
    severity: 'warning',
    izerRule: 10,
    title: 'indentation yamllint does not accept',
    yamllint: { rule: 'indentation', level: 'error' },
  },
} as const satisfies Record<string, OwnCode>;

/** Every code this checker reports. */
export type Code = IzerCode | keyof typeof OWN_CODES;

type OwnEntry = (typeof OWN_CODES)[keyof typeof OWN_CODES];
/** The yamllint rules we check (each has a YL code). */
export type YamllintRuleName = Extract<OwnEntry, { yamllint: unknown }>['yamllint']['rule'];

export interface Rule {
  code: Code;
  category: Category;
  /** The severity it is reported with (unless `otherwise` says when not). */
  severity: Severity;
  otherwise?: string;
  /** The number of the izer rule it reports or follows (izerRules.ts). */
  izerRule?: number;
  title: string;
  concerns: readonly Concern[];
  yamllint?: { rule: YamllintRuleName; level: 'error' | 'warning' };
  reserved?: string;
}

const IZER_SEVERITY = { error: 'error', exception: 'error', warning: 'warning', notice: 'information' } as const;

export function izerCode<N extends IzerRuleNumber>(rule: N): IzerCodeOf<N> {
  return ('IZ' + String(rule).padStart(3, '0')) as IzerCodeOf<N>;
}

function izerEntry(rule: IzerRuleNumber): Rule {
  const spec = izerRule(rule);
  const entry: Rule = {
    code: izerCode(rule),
    category: 'izer',
    severity: IZER_SEVERITY[spec.reaction],
    izerRule: rule,
    title: spec.checks,
    concerns: IZER_CODES[rule],
  };
  if (spec.warningWith) entry.otherwise = `a warning with ${spec.warningWith}`;
  return entry;
}

const CATEGORY_ORDER: readonly Category[] = ['izer', 'ours', 'yaml', 'yamllint'];

/** The catalogue, by family (izer, ours, YAML, yamllint), then by code. */
export const RULES: readonly Rule[] = [
  ...(Object.keys(IZER_CODES).map(Number) as IzerRuleNumber[]).map(izerEntry),
  ...(Object.entries(OWN_CODES) as [keyof typeof OWN_CODES, OwnEntry][]).map(([code, o]): Rule => ({ code, concerns: [], ...o })),
].sort((a, b) => CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

const BY_CODE = new Map<string, Rule>(RULES.map((r) => [r.code, r]));

/** The catalogue entry of a code, or undefined for a string that is not one of our codes. */
export function ruleOf(code: string): Rule | undefined {
  return BY_CODE.get(code);
}

export function isCode(code: string): code is Code {
  return BY_CODE.has(code);
}

const CONCERNING = new Map<Concern, ReadonlySet<string>>();

/** The codes of findings with this concern. */
export function codesConcerning(concern: Concern): ReadonlySet<string> {
  let set = CONCERNING.get(concern);
  if (!set) CONCERNING.set(concern, (set = new Set(RULES.filter((r) => r.concerns.includes(concern)).map((r) => r.code))));
  return set;
}
