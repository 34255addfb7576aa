// Asks which input to simulate a network on: its associated sample, a .npy file, or a seeded random input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseInputShape, parseSeed, shapeInputBox } from '../../../server/src/shared/inputShape';
import type { AssociationResult, SimulationInput } from '../../../server/src/protocol';

export type InputKind = SimulationInput['kind'];

/** How an input is shown in the view and messages. */
export function describeInput(input: SimulationInput, assoc: AssociationResult | null, network: vscode.Uri): string {
  if (input.kind === 'file') return path.relative(path.dirname(network.fsPath), input.path) || input.path;
  if (input.kind === 'random') return `random input (seed ${input.seed}${input.shape ? `, ${input.shape.join('×')}` : ''})`;
  return assoc?.sampleInput ? path.basename(assoc.sampleInput) : 'the associated sample';
}

export function hasAssociatedSample(assoc: AssociationResult | null): boolean {
  return !!assoc?.sampleInput && fs.existsSync(assoc.sampleInput);
}

export async function chooseSimulationInput(network: vscode.Uri, assoc: AssociationResult | null, kind?: InputKind): Promise<SimulationInput | undefined> {
  const name = path.basename(network.fsPath);
  if (!kind) {
    const sample = hasAssociatedSample(assoc);
    const items: (vscode.QuickPickItem & { input: InputKind })[] = [
      {
        input: 'associated',
        label: '$(file) Associated sample input',
        description: sample ? path.basename(assoc!.sampleInput!) : 'none found',
        detail: sample ? assoc!.sampleInput! : 'izer reads tests/sample_<dataset>.npy by default; a `# ai8x: sample-input=…` line names another.',
      },
      { input: 'file', label: '$(folder-opened) Choose a .npy file…', detail: "An int64 C×H×W (or C×L) array, as izer's --sample-input takes." },
      { input: 'random', label: '$(symbol-numeric) Random input…', detail: 'Values −128…127 from a seed you give; the same seed gives the same input.' },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: `Input for simulating ${name}`, placeHolder: 'Which input should the simulation run on?' });
    if (!pick) return undefined;
    kind = pick.input;
  }
  if (kind === 'associated') return { kind: 'associated' };
  if (kind === 'file') {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      defaultUri: vscode.Uri.file(assoc?.sampleInput ? path.dirname(assoc.sampleInput) : path.dirname(network.fsPath)),
      filters: { 'NumPy arrays': ['npy'], 'All files': ['*'] },
      openLabel: 'Simulate on this input',
      title: `Sample input for ${name}`,
    });
    return picked?.length ? { kind: 'file', path: picked[0].fsPath } : undefined;
  }
  const seedText = await vscode.window.showInputBox({
    title: `Random input for ${name}`,
    prompt: 'Seed (a whole number 0 … 4294967295); the same seed gives the same input.',
    value: String(Math.floor(Math.random() * 10000)),
    validateInput: (t) => (parseSeed(t) === null ? 'A whole number from 0 to 4294967295.' : null),
  });
  if (seedText === undefined) return undefined;
  const seed = parseSeed(seedText)!;
  if (hasAssociatedSample(assoc)) return { kind: 'random', seed };
  // A value, not a placeholder: Enter accepts the suggestion (from the first layer), typing replaces it.
  const box = shapeInputBox(assoc?.suggestedInputShape ?? null);
  const shapeText = await vscode.window.showInputBox({ title: `Random input for ${name}`, ...box });
  if (shapeText === undefined) return undefined;
  return { kind: 'random', seed, shape: parseInputShape(shapeText)! };
}
