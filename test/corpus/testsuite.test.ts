// Conformance with izer on its own test networks (`arch: test`, sample weights from ai8x-synthesis/tests):
// verdict, the rule of izer's first error, the kernel map byte for byte and the known answer word for word.
// The shared recording (../shared/oracle/testsuite/MAX78000.json) is required; recordings made here with
// scripts/record-izer-oracle.mjs (other devices, izer flags) are compared too when present in .izer-oracle/
// (or the folder AI8X_IZER_ORACLE names).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeviceName } from '../../server/src/engine/device/devices';
import { ruleOfMessage } from '../support/izerRules';
import { repoRoot, requireShared, sharedDir } from '../support/shared';
import { extraFlags, missingFileOnly, runTestNetwork, TestsuiteCase } from '../support/testsuite';

interface CaseSet {
  label: string;
  file: string;
  required: boolean;
}

function caseSets(): CaseSet[] {
  const sets: CaseSet[] = [{ label: 'MAX78000, shared recording', file: sharedDir('oracle', 'testsuite', 'MAX78000.json'), required: true }];
  const dir = process.env.AI8X_IZER_ORACLE ?? path.join(repoRoot(), '.izer-oracle');
  if (fs.existsSync(dir)) {
    for (const f of fs
      .readdirSync(dir)
      .filter((x) => x.endsWith('.json'))
      .sort()) {
      sets.push({ label: `${f.replace(/\.json$/, '')}, recorded here`, file: path.join(dir, f), required: false });
    }
  }
  return sets;
}

const pad3 = (n: number) => String(n).padStart(3, '0');

describe('izer test networks: verdict, rule, kernel map and known answer agree with izer', function () {
  this.timeout(600_000);
  before(function () {
    requireShared(this, 'ai8x-synthesis', 'tests');
    requireShared(this, 'oracle', 'testsuite', 'MAX78000.json');
  });

  for (const set of caseSets()) {
    it(set.label, function () {
      if (!fs.existsSync(set.file)) {
        console.log(`      (skipped: ${set.file} not found)`);
        this.skip();
      }
      const cases = (JSON.parse(fs.readFileSync(set.file, 'utf8')) as TestsuiteCase[]).filter((c) => !missingFileOnly(c));
      const t = { verdict: [0, 0], rule: [0, 0], kernelMap: [0, 0], knownAnswer: [0, 0], crash: [0, 0] };
      const diffs: string[] = [];
      for (const c of cases) {
        const o = runTestNetwork(c.yaml, c.device as DeviceName, extraFlags(c));
        const flags = extraFlags(c).join(' ');
        const name = `${c.case}${flags ? ` [${flags}]` : ''}`;
        t.verdict[1]++;
        if ((o.errors.length === 0) === c.accepted) t.verdict[0]++;
        else
          diffs.push(
            `${name}: izer ${c.accepted ? 'accepts' : `rejects (${(c.error_lines[0] ?? c.python_exception_lines.at(-1) ?? '').slice(0, 120)})`}, we ${o.errors.length ? `report ${o.errors[0].slice(0, 160)}` : 'report no error'}`,
          );
        if (!c.accepted && c.python_exception_lines.length) {
          t.crash[1]++;
          if (o.errors.length && !o.errors.some((e) => e.startsWith('AX399'))) t.crash[0]++;
          else diffs.push(`${name}: izer crashes (${c.python_exception_lines.at(-1)}); we give ${o.errors[0] ?? 'no error'}`);
        }
        const rule = !c.accepted && c.error_lines.length ? ruleOfMessage(c.error_lines[0]) : null;
        if (rule !== null && o.errors.length) {
          t.rule[1]++;
          if (o.errors.some((e) => e.startsWith(`IZ${pad3(rule)}@`))) t.rule[0]++;
          else
            diffs.push(`${name}: izer's error is rule ${rule} (${c.error_lines[0].slice(0, 100)}); ours: ${o.errors.map((e) => e.split(' ')[0]).join(', ')}`);
        }
        if (!c.accepted) continue;
        if (c.kernel_map) {
          t.kernelMap[1]++;
          if ((o.kernelMap ?? '').replace(/\n$/, '') === c.kernel_map) t.kernelMap[0]++;
          else diffs.push(`${name}: kernel map ${o.kernelMap ? `differs in line ${firstDifference(o.kernelMap, c.kernel_map)}` : 'missing'}`);
        }
        if (c.known_answer) {
          t.knownAnswer[1]++;
          if (JSON.stringify(o.knownAnswer) === JSON.stringify(c.known_answer)) t.knownAnswer[0]++;
          else diffs.push(`${name}: known answer ${o.knownAnswer ? 'differs' : `missing${o.simulationError ? ` (${o.simulationError.slice(0, 160)})` : ''}`}`);
        }
      }
      const line = (what: string, [n, m]: number[]) => `${n} of ${m} ${what}`;
      console.log(
        `      ${[line('verdicts', t.verdict), line("rules of izer's first error", t.rule), line('kernel maps', t.kernelMap), line('known answers', t.knownAnswer), line('izer crashes with a clear diagnostic', t.crash)].join(', ')}`,
      );
      for (const d of diffs.slice(0, 40)) console.log(`        ${d}`);
      assert.ok(t.verdict[1] > 0, `no case compared in ${set.file}`);
      if (cases.some((c) => c.accepted)) assert.ok(t.kernelMap[1] > 0 && t.knownAnswer[1] > 0, `no kernel map or known answer compared in ${set.file}`);
      if (cases.some((c) => !c.accepted && c.error_lines.length))
        assert.ok(t.rule[1] > 0, `no izer error of ${set.file} mapped to a rule (is ../shared/spec/izer-rules.md there?)`);
      assert.deepEqual(diffs, []);
    });
  }
});

function firstDifference(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  const i = x.findIndex((l, k) => l !== y[k]);
  return (i < 0 ? Math.min(x.length, y.length) : i) + 1;
}
