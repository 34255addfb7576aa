// The JSON schema contributed to Red Hat YAML (yamlValidation), generated from the key catalogue so the two never drift.
import { GLOBAL_KEYS, KeyDoc, LAYER_KEYS, UNLOAD_KEYS, DATA_BUFFER_KEYS } from './keyCatalog';

type Json = Record<string, unknown>;

const MASK: Json = {
  anyOf: [
    { type: 'integer', minimum: 1 },
    { type: 'string', pattern: '^\\s*(0[xX])?[0-9a-fA-F._]+\\s*$' },
  ],
};
const INT_OR_PAIR: Json = { anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 2 }] };
const REF: Json = { anyOf: [{ type: 'integer' }, { type: 'string' }] };

function valueSchema(d: KeyDoc): Json {
  switch (d.shape) {
    case 'mask':
      return MASK;
    case 'int':
      return { type: 'integer' };
    case 'bool':
      return { type: 'boolean' };
    case 'string':
      return { type: 'string' };
    case 'intOrPair':
      return INT_OR_PAIR;
    case 'intOrList':
      return { anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' } }] };
    case 'pair':
      return { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 };
    case 'layerRef':
      return REF;
    case 'layerRefs':
      return { anyOf: [REF, { type: 'array', items: REF }] };
    case 'kernel':
      return {
        anyOf: [
          { type: 'string', pattern: '^[1-9]x[1-9]$' },
          { type: 'integer', minimum: 1, maximum: 9 },
        ],
      };
    case 'enum':
      if (d.key === 'quantization') return { anyOf: [{ enum: [1, 2, 4, 8] }, { type: 'string', pattern: '^(?i:bin|binary)$' }] };
      if (d.key === 'output_width') return { enum: [8, 32] };
      return { type: 'string' };
    case 'list':
      return { type: 'array' };
  }
}

function describe(d: KeyDoc): string {
  const parts = [d.summary];
  if (d.values) parts.push(`\n\nValues: ${d.values}`);
  parts.push(`\n\nDefault: ${d.defaultValue}`);
  if (d.device) parts.push(`\n\nDevices: ${d.device}`);
  return parts.join('');
}

function properties(list: KeyDoc[]): Json {
  const out: Json = {};
  for (const d of list) {
    const s: Json = { ...valueSchema(d), markdownDescription: describe(d) };
    if (d.enumValues && d.shape === 'enum' && s.type === 'string') s.examples = d.enumValues;
    out[d.key] = s;
  }
  return out;
}

function simpleItem(keys: string[]): Json {
  const props: Json = {};
  for (const k of keys) props[k] = k === 'processors' ? MASK : k === 'dim' ? INT_OR_PAIR : k === 'name' ? { type: 'string' } : { type: 'integer' };
  return { type: 'object', properties: props, additionalProperties: false };
}

export function networkJsonSchema(): Json {
  const globals = properties(GLOBAL_KEYS);
  globals.layers = {
    ...(globals.layers as Json),
    type: 'array',
    items: { type: 'object', properties: properties(LAYER_KEYS), required: ['processors'], additionalProperties: false },
  };
  globals.unload = { ...(globals.unload as Json), type: 'array', items: simpleItem(UNLOAD_KEYS) };
  globals.data_buffer = { ...(globals.data_buffer as Json), type: 'array', items: simpleItem(DATA_BUFFER_KEYS) };
  globals.snoop = { ...(globals.snoop as Json), type: 'array', items: { type: 'integer' }, minItems: 32, maxItems: 32 };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'ai8x-network.schema.json',
    title: 'ai8x network description (ai8x-synthesis izer)',
    description: 'Network YAML for the MAX78000/MAX78002 CNN accelerator, as read by ai8x-synthesis (ai8xize.py).',
    type: 'object',
    required: ['arch', 'dataset', 'layers'],
    properties: globals,
    additionalProperties: false,
  };
}
