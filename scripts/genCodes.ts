// Writes the README's list of codes, docs/codes.md and docs/izer-rules.md from the rule catalogue: `npm run gen:codes`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODES_DOCUMENT, codesDocument, IZER_RULES_DOCUMENT, izerRulesDocument, withReadmeCodesSection } from '../server/src/engine/rulesDocuments';

const root = process.cwd();
const write = (rel: string, text: string) => {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return console.log(`${rel} is up to date`);
  fs.writeFileSync(file, text);
  console.log(`wrote ${rel}`);
};
write('README.md', withReadmeCodesSection(fs.readFileSync(path.join(root, 'README.md'), 'utf8')));
write(CODES_DOCUMENT, codesDocument());
write(IZER_RULES_DOCUMENT, izerRulesDocument());
