// The rule catalogue (server/src/engine/rules.ts) against the sources and the documents made from it: every code the
// server reports is catalogued and every catalogued code is reported somewhere (or marked reserved), izer's rule
// table is whole, and README.md, docs/codes.md and docs/izer-rules.md are what `npm run gen:codes` writes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { IZER_RULES } from '../../../server/src/engine/izerRules';
import { izerCode, isCode, RULES, ruleOf, type IzerRuleNumber } from '../../../server/src/engine/rules';
import {
  CODES_DOCUMENT,
  codesDocument,
  codesDocumentLine,
  IZER_RULES_DOCUMENT,
  izerRulesDocument,
  readmeCodesSection,
  withReadmeCodesSection,
} from '../../../server/src/engine/rulesDocuments';
import { repoRoot } from '../../support/shared';

const CODE_TEXT = /^(IZ|AX|YAML|YL)\d{3}$/;
/** The catalogue and the documents made from it name every code; they are not where codes are reported. */
const CATALOGUE_FILES = ['rules.ts', 'izerRules.ts', 'rulesDocuments.ts'].map((f) => path.join('server', 'src', 'engine', f));

interface SourceScan {
  /** Code → the places a literal stands where a code, an izer rule number or a yamllint rule name is expected. */
  reported: Map<string, string[]>;
  /** Every string literal that looks like a code, wherever it stands (comparisons and sets included). */
  mentioned: Map<string, string[]>;
}

/**
 * Reads server/src with the type checker. A literal reports a code when its contextual type is one of the
 * catalogue's types (`Code`, `IzerRuleNumber`, `YamllintRuleName`) and not a plain string or number: the argument
 * of `sink.add`/`sink.izer`/`reportLayer`, a `SimulationError`'s code, a diagnostic's `code`, a typed table entry.
 */
function scanSources(): SourceScan {
  const root = repoRoot();
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  assert.ok(config, 'tsconfig.json is read');
  const serverDir = path.join(root, 'server', 'src') + path.sep;
  const files = config.fileNames.filter((f) => path.resolve(f).startsWith(serverDir));
  const program = ts.createProgram(files, config.options);
  const checker = program.getTypeChecker();

  const rulesFile = program.getSourceFile(path.join(root, 'server', 'src', 'engine', 'rules.ts'));
  assert.ok(rulesFile, 'rules.ts is part of the program');
  const aliasType = (name: string): ts.Type => {
    const decl = rulesFile.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
    assert.ok(decl, `rules.ts declares ${name}`);
    return checker.getTypeAtLocation(decl.name);
  };
  const codeType = aliasType('Code');
  const izerRuleType = aliasType('IzerRuleNumber');
  const yamllintType = aliasType('YamllintRuleName');
  const stringType = checker.getStringType();
  const numberType = checker.getNumberType();
  const stands = (expected: ts.Type, plain: ts.Type, context: ts.Type | undefined) =>
    context !== undefined && !checker.isTypeAssignableTo(plain, context) && checker.isTypeAssignableTo(expected, context);
  const codeOfYamllintRule = new Map(RULES.flatMap((r) => (r.yamllint ? [[r.yamllint.rule as string, r.code as string] as const] : [])));

  const reported = new Map<string, string[]>();
  const mentioned = new Map<string, string[]>();
  const note = (map: Map<string, string[]>, code: string, where: string) => map.set(code, [...(map.get(code) ?? []), where]);
  for (const sf of program.getSourceFiles()) {
    const rel = path.relative(root, sf.fileName);
    if (!path.resolve(sf.fileName).startsWith(serverDir) || CATALOGUE_FILES.includes(rel)) continue;
    const visit = (node: ts.Node): void => {
      const where = () => `${rel}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (CODE_TEXT.test(node.text)) note(mentioned, node.text, where());
        const context = checker.getContextualType(node);
        if (stands(codeType, stringType, context)) note(reported, node.text, where());
        else if (stands(yamllintType, stringType, context)) note(reported, codeOfYamllintRule.get(node.text) ?? `yamllint rule ${node.text}`, where());
      } else if (ts.isNumericLiteral(node) && stands(izerRuleType, numberType, checker.getContextualType(node))) {
        note(reported, izerCode(Number(node.text) as IzerRuleNumber), where());
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { reported, mentioned };
}

describe('rule catalogue', () => {
  let scan: SourceScan;
  before(function () {
    this.timeout(180000);
    scan = scanSources();
  });

  it('every code reported in server/src is catalogued, and so is every code-like string there', () => {
    assert.ok(scan.reported.size > 250, `the scan finds the reported codes (${scan.reported.size})`);
    const unknown = [...scan.reported, ...scan.mentioned].filter(([code]) => !isCode(code)).map(([code, at]) => `${code} at ${at.join(', ')}`);
    assert.deepEqual(unknown, []);
  });

  it('every catalogued code is reported somewhere in server/src, or marked reserved', () => {
    const silent = RULES.filter((r) => !r.reserved && !scan.reported.has(r.code)).map((r) => r.code);
    assert.deepEqual(silent, [], 'catalogued but never reported (report it, or give it `reserved` with the reason)');
    const reservedButReported = RULES.filter((r) => r.reserved && scan.reported.has(r.code)).map((r) => r.code);
    assert.deepEqual(reservedButReported, []);
  });

  it('one entry per code; the families are told apart by their prefixes', () => {
    assert.equal(new Set(RULES.map((r) => r.code)).size, RULES.length);
    const prefix = { izer: 'IZ', ours: 'AX', yaml: 'YAML', yamllint: 'YL' } as const;
    for (const r of RULES) {
      assert.match(r.code, CODE_TEXT);
      assert.ok(r.code.startsWith(prefix[r.category]), `${r.code} is in the ${r.category} family`);
      assert.ok(r.title.length > 5 && !r.title.endsWith('.'), `${r.code} has a title`);
    }
  });

  it("izer's rule table holds rules 1 to 288 in order; each IZ code reports its rule with izer's severity", () => {
    assert.deepEqual(
      IZER_RULES.map((r) => r.rule),
      Array.from({ length: 288 }, (_, i) => i + 1),
    );
    for (const r of RULES.filter((x) => x.category === 'izer')) {
      const rule = IZER_RULES[Number(r.code.slice(2)) - 1];
      assert.equal(r.izerRule, rule.rule);
      assert.equal(r.severity, rule.reaction === 'warning' ? 'warning' : rule.reaction === 'notice' ? 'information' : 'error', r.code);
      assert.equal(r.otherwise !== undefined, rule.warningWith !== undefined, `${r.code}: a flag that makes it a warning is mentioned`);
    }
    for (const r of RULES.filter((x) => x.izerRule !== undefined)) assert.ok(r.izerRule! >= 1 && r.izerRule! <= 288, r.code);
  });

  it("a yamllint error is our warning and a yamllint warning our information; all follow izer's rule 10", () => {
    const yl = RULES.filter((r) => r.category === 'yamllint');
    assert.equal(yl.length, 15);
    for (const r of yl) {
      assert.equal(r.severity, r.yamllint?.level === 'error' ? 'warning' : 'information', r.code);
      assert.equal(r.izerRule, 10, `${r.code} follows izer's rule 10 (izer runs yamllint)`);
    }
  });

  it('README.md, docs/codes.md and docs/izer-rules.md are as `npm run gen:codes` writes them', () => {
    const root = repoRoot();
    const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
    const readme = read('README.md');
    assert.ok(readme.includes(readmeCodesSection()), 'README.md has the generated list of codes: run npm run gen:codes');
    assert.equal(withReadmeCodesSection(readme), readme);
    assert.equal(read(CODES_DOCUMENT), codesDocument(), `${CODES_DOCUMENT} is stale: run npm run gen:codes`);
    assert.equal(read(IZER_RULES_DOCUMENT), izerRulesDocument(), `${IZER_RULES_DOCUMENT} is stale: run npm run gen:codes`);
  });

  it('each code links to the line of docs/codes.md that describes it', () => {
    const lines = fs.readFileSync(path.join(repoRoot(), CODES_DOCUMENT), 'utf8').split('\n');
    for (const r of RULES) {
      const n = codesDocumentLine(r.code);
      assert.ok(n !== null, r.code);
      assert.ok(lines[n - 1].startsWith(`| \`${r.code}\` | ${r.severity}`), `line ${n} is ${JSON.stringify(lines[n - 1])}, not ${r.code}`);
    }
    assert.equal(codesDocumentLine('AX999'), null);
    assert.equal(ruleOf('AX999'), undefined);
  });
});
