// Writes schemas/ai8x-network.schema.json from the key catalogue: `npm run gen:schema`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { networkJsonSchema } from '../server/src/engine/model/jsonSchema';

const out = path.resolve(process.cwd(), 'schemas', 'ai8x-network.schema.json');
fs.writeFileSync(out, JSON.stringify(networkJsonSchema(), null, 2) + '\n');
console.log(`wrote ${out}`);
