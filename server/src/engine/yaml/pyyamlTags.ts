// Which tags izer's YAML loader can build a value for. izer loads the network with PyYAML's `yaml.Loader` through
// a subclass whose own construct_mapping replaces PyYAML's, so merge keys (`<<`), which only PyYAML's
// construct_mapping handles, reach the constructor table as the tag `!!merge`, which has no entry there.

export type YamlNodeKind = 'scalar' | 'seq' | 'map';

const YAML_TAG = 'tag:yaml.org,2002:';

/** The node each of PyYAML's standard tags is constructed from. */
const STANDARD: ReadonlyMap<string, YamlNodeKind> = new Map([
  ['str', 'scalar'],
  ['null', 'scalar'],
  ['bool', 'scalar'],
  ['int', 'scalar'],
  ['float', 'scalar'],
  ['binary', 'scalar'],
  ['timestamp', 'scalar'],
  ['seq', 'seq'],
  ['omap', 'seq'],
  ['pairs', 'seq'],
  ['map', 'map'],
  ['set', 'map'],
]);

const KIND_WORD: Record<YamlNodeKind, string> = { scalar: 'a scalar', seq: 'a sequence', map: 'a mapping' };

/** `!!int` for the standard tags, the tag as resolved otherwise. */
export function shortTag(tag: string): string {
  return tag.startsWith(YAML_TAG) ? '!!' + tag.slice(YAML_TAG.length) : tag;
}

export const MERGE_KEY_PROBLEM =
  "`<<` is YAML's merge key, which izer's YAML loader does not support: PyYAML stops with no constructor for the tag !!merge. Write the merged keys out in full";

/** Why izer's loader stops on a node of this kind with this (resolved) tag, or null when it builds a value. */
export function tagProblem(tag: string, kind: YamlNodeKind): string | null {
  if (tag === '!') return null;
  if (tag.startsWith(YAML_TAG + 'python/')) return null;
  if (tag === YAML_TAG + 'merge') return MERGE_KEY_PROBLEM;
  const wants = tag.startsWith(YAML_TAG) ? STANDARD.get(tag.slice(YAML_TAG.length)) : undefined;
  if (!wants) return `izer's YAML loader (PyYAML) has no constructor for the tag \`${shortTag(tag)}\` and stops here`;
  if (wants !== kind) return `The tag \`${shortTag(tag)}\` needs ${KIND_WORD[wants]}, but the value is ${KIND_WORD[kind]}; PyYAML stops here`;
  return null;
}
