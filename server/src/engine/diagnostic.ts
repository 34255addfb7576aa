import type { Code, Severity } from './rules';
import type { TextEditSpec } from './textEdits';
import type { Range } from './yaml/yamlTree';

export type { Code, Severity };

export interface RelatedInfo {
  range: Range;
  message: string;
}

export interface Diagnostic {
  /** `IZnnn` = izer rule nnn; `AXnnn` = a check of ours that izer lacks; `YAML…` = syntax; `YLnnn` = yamllint (rules.ts). */
  code: Code;
  severity: Severity;
  message: string;
  /** Offsets into the document text. */
  range: Range;
  /** 0-based index of the layer in the YAML `layers` list, or null for file-level findings. */
  layer: number | null;
  related?: RelatedInfo[];
  /** Machine-readable details for quick fixes (e.g. the expected processor count). */
  fix?: FixHint;
  /** This finding repeats another one shown already (izer's copy of one of ours, after a synthesis). */
  duplicateOf?: { code: Code; range: Range; message: string };
  /** The findings this one is a knock-on of (it goes away when they are fixed); see knockOn.ts. */
  causes?: KnockOnCause[];
}

/** A finding that causes others: a misspelled key, with the rename that fixes it. */
export interface KnockOnCause {
  range: Range;
  code: Code;
  /** E.g. "`pool_strid` on line 26 (did you mean `pool_stride`?)". */
  summary: string;
  fix: { range: Range; newText: string; title: string };
}

export type FixHint =
  /** `typo`: the value is a misspelling of `newText` (a did-you-mean); other findings may be its knock-ons. */
  | { kind: 'replaceValue'; range: Range; newText: string; title: string; typo?: boolean }
  | { kind: 'renameKey'; range: Range; candidates: string[] }
  | { kind: 'processorCount'; expected: number; valueRange: Range; lowest: number; alignTo?: bigint; chw?: boolean }
  | { kind: 'removeEntry'; range: Range; title: string }
  /** Any edits, worked out where the finding is made. */
  | { kind: 'edits'; edits: TextEditSpec[]; title: string };
