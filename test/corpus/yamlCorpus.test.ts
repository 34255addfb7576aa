// The YAML-level checks over the shared ai8x-synthesis corpus (no checkpoint, no sample input).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNetwork } from '../../server/src/engine/check';
import { requireShared, sharedDir } from '../support/shared';

interface Run {
  case: string;
  device: 'MAX78000' | 'MAX78002';
  yaml: string;
  izer_flags: string[];
  accepted: boolean;
}
interface MutationCase {
  id: string;
  device: 'MAX78000' | 'MAX78002';
  yaml: string;
  izer_flags: string[];
  accepted_no_yamllint: boolean;
  izer_error_lines_no_yamllint: string[];
  izer_crashed_with_python_exception?: boolean;
}

/** Flags that only name files or the device (given separately here). */
function analysisFlags(flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (['--checkpoint-file', '--sample-input', '--config-file', '--device', '--prefix', '--test-dir'].includes(flags[i])) i++;
    else out.push(flags[i]);
  }
  return out;
}

const isError = (d: { severity: string }) => d.severity === 'error';

describe('corpus: shipped networks, YAML-level checks', function () {
  this.timeout(120000);
  let runs: Run[] = [];
  before(function () {
    requireShared(this, 'oracle', 'runs.json');
    runs = JSON.parse(fs.readFileSync(sharedDir('oracle', 'runs.json'), 'utf8'));
  });

  it('every network izer accepted has no YAML-level error on its device and flags', () => {
    const dir = sharedDir('ai8x-synthesis', 'networks');
    const failures: string[] = [];
    let checked = 0;
    for (const file of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const rel = `networks/${file}`;
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const accepted = runs.filter((r) => r.yaml === rel && r.accepted);
      const targets = accepted.length
        ? accepted.map((r) => ({ device: r.device, flags: analysisFlags(r.izer_flags) }))
        : [{ device: file.startsWith('ai87') ? ('MAX78002' as const) : ('MAX78000' as const), flags: [] as string[] }];
      for (const t of targets) {
        const r = checkNetwork({ text, fileName: file, deviceOverride: t.device, izerFlags: t.flags });
        assert.ok(r.model.isNetwork, `${rel} is recognised as a network`);
        checked++;
        if (accepted.length) {
          const errs = r.diagnostics.filter(isError);
          if (errs.length)
            failures.push(
              `${rel} (${t.device} ${t.flags.join(' ')}): ${errs.map((d) => `${r.lines.position(d.range[0]).line + 1}: ${d.code} ${d.message}`).join(' | ')}`,
            );
        }
      }
    }
    console.log(`      ${checked - failures.length} of ${checked} network/device/flag combinations without a YAML-level error where izer accepted them`);
    assert.ok(checked > 0, 'no shipped network checked');
    assert.deepStrictEqual(failures, []);
  });

  it("all of izer's test networks parse and check without an exception, with ranges inside the text", () => {
    const dir = sharedDir('ai8x-synthesis', 'tests');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    let withErrors = 0;
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const device of ['MAX78000', 'MAX78002'] as const) {
        const r = checkNetwork({ text, fileName: file, deviceOverride: device });
        for (const d of r.diagnostics)
          assert.ok(d.range[0] >= 0 && d.range[0] <= d.range[1] && d.range[1] <= text.length, `${file}: range ${d.range} outside the text`);
        if (device === 'MAX78002' && r.diagnostics.some(isError)) withErrors++;
      }
    }
    console.log(`      ${files.length} test networks checked on both devices (${withErrors} with errors on MAX78002 without their izer flags)`);
    assert.ok(files.length >= 400, 'the shared test corpus is there');
  });

  it('reports how many mutation cases with a YAML-level izer error are flagged', function () {
    requireShared(this, 'oracle', 'mutations', 'cases.json');
    const cases: MutationCase[] = JSON.parse(fs.readFileSync(sharedDir('oracle', 'mutations', 'cases.json'), 'utf8'));
    const yamlLevel = (c: MutationCase) => {
      const msg = (c.izer_error_lines_no_yamllint ?? []).join(' ');
      return /found in layer sequence|contains unknown key|does not contain `|Found duplicate key|yaml\.\w+\.\w+Error|is not supported on this device|Streaming in the first layer requires|does not support stride other than 1|does not support `pad` >= 3|`dilation` > 1 is supported|non-square pooling stride|can only be configured for the first layer|must be 8 when activation|cannot be greater than layer sequence|is a streaming layer, but the previous|CHW input format, but multiple|is not compatible with pooling|FIFO is restricted|Pad size \(|Could not find the `|Using reserved name|Duplicate layer name|references unused quadrant/.test(
        msg,
      );
    };
    const rejectedYaml = cases.filter((c) => !c.accepted_no_yamllint && yamlLevel(c));
    const misses: string[] = [];
    for (const c of rejectedYaml) {
      const text = fs.readFileSync(sharedDir('oracle', 'mutations', c.yaml), 'utf8');
      const r = checkNetwork({ text, fileName: path.basename(c.yaml), deviceOverride: c.device, izerFlags: analysisFlags(c.izer_flags) });
      if (!r.diagnostics.some(isError)) misses.push(`${c.id}: ${c.izer_error_lines_no_yamllint[0]}`);
    }
    console.log(`      YAML-level mutations flagged without a checkpoint: ${rejectedYaml.length - misses.length} of ${rejectedYaml.length}`);
    for (const m of misses) console.log(`        missed ${m}`);
    assert.ok(rejectedYaml.length > 0, 'no mutation case with a YAML-level izer error');
    assert.deepStrictEqual(misses, []);
    // Accepted mutations must not get YAML-level errors either.
    const falseAlarms: string[] = [];
    for (const c of cases.filter((x) => x.accepted_no_yamllint)) {
      const text = fs.readFileSync(sharedDir('oracle', 'mutations', c.yaml), 'utf8');
      const r = checkNetwork({ text, fileName: path.basename(c.yaml), deviceOverride: c.device, izerFlags: analysisFlags(c.izer_flags) });
      const errs = r.diagnostics.filter(isError);
      if (errs.length) falseAlarms.push(`${c.id}: ${errs.map((d) => d.code + ' ' + d.message).join(' | ')}`);
    }
    const acceptedCount = cases.filter((x) => x.accepted_no_yamllint).length;
    console.log(`      accepted mutations without YAML-level errors: ${acceptedCount - falseAlarms.length} of ${acceptedCount}`);
    assert.ok(acceptedCount > 0, 'no accepted mutation case');
    assert.deepStrictEqual(falseAlarms, []);
  });
});
