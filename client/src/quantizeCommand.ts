// ai8x: Quantize Checkpoint — a training checkpoint becomes `<name>-q.pth.tar` next to it, as quantize.py makes it
// (the language server does the work), and is associated with the network: where the network named the training
// checkpoint in its modeline the modeline now names the quantized one, otherwise the user says how (as Choose
// Checkpoint asks). The AX202 quick fix runs it with the network and its checkpoint; scripted callers pass answers.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ai8xClient } from './languageClient/serverClient';
import { CheckpointStatesRequest, QUANTIZE_COMMAND, QuantizeCheckpointRequest, QuantizeCheckpointResult } from '../../server/src/protocol';
import { quantizedName } from '../../server/src/shared/checkpointNames';
import { activeNetworkUri } from './common/activeNetwork';
import { useCheckpoint } from './inputCommands';
import type { NetworkStatus } from './networkStatus';

export interface QuantizeAnswers {
  /** Replace an existing `-q` file (true) or keep it (false), without asking. */
  replace?: boolean;
  /** Where the network has no modeline naming the checkpoint: write it into the file (true) or use it in this session (false). */
  keep?: boolean;
}

export function registerQuantizeCommand(context: vscode.ExtensionContext, client: Ai8xClient, status: NetworkStatus): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(
      QUANTIZE_COMMAND,
      async (uriArg?: string | vscode.Uri, checkpoint?: string, answers: QuantizeAnswers = {}): Promise<string | undefined> => {
        const uri = uriArg ? (typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg) : activeNetworkUri();
        const network = uri && status.isNetwork(uri.toString()) ? await vscode.workspace.openTextDocument(uri) : undefined;
        const info = network ? status.get(network.uri.toString()) : undefined;
        const input =
          checkpoint ??
          info?.checkpoint ??
          (
            await vscode.window.showOpenDialog({
              title: 'ai8x: training checkpoint to quantize',
              filters: { Checkpoints: ['tar', 'pth'], 'All files': ['*'] },
              canSelectMany: false,
              openLabel: 'Quantize',
            })
          )?.[0]?.fsPath;
        if (!input) return undefined;
        const [state] = (await client.sendRequest(CheckpointStatesRequest, { files: [input] })).states;
        if (state === 'quantized') {
          void vscode.window.showInformationMessage(`ai8x: ${path.basename(input)} is quantized already (its weights are integers); nothing to do.`);
          return undefined;
        }
        const output = quantizedName(input);
        const device = info?.device === 'MAX78002' ? 'MAX78002' : 'MAX78000';
        const run = (replace: boolean): Thenable<QuantizeCheckpointResult> =>
          vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ai8x: quantizing ${path.basename(input)}…` }, () =>
            client.sendRequest(QuantizeCheckpointRequest, { input, output, device, replace }),
          );
        let result = await run(answers.replace === true);
        let usedExisting = false;
        if (!result.ok && result.reason === 'exists') {
          const pick =
            answers.replace === false
              ? 'Use Existing'
              : await vscode.window.showWarningMessage(
                  `${path.basename(output)} exists next to ${path.basename(input)}.`,
                  { modal: true, detail: 'Replace it with a new quantization, or use the file that is there?' },
                  'Replace',
                  'Use Existing',
                );
          if (!pick) return undefined;
          if (pick === 'Replace') result = await run(true);
          else usedExisting = true;
        }
        if (!result.ok && !usedExisting) {
          void vscode.window.showErrorMessage(`ai8x: ${path.basename(input)} was not quantized: ${result.message}`);
          return undefined;
        }
        if (network) {
          // The modeline named the training checkpoint: it names the quantized one now (else AX202 would stay).
          const keep = info?.checkpointSource === 'modeline' ? true : answers.keep;
          if (!(await useCheckpoint(client, network, output, keep))) return output;
        }
        const what = result.ok
          ? `Quantized ${result.layers} layer${result.layers === 1 ? '' : 's'} of ${path.basename(input)} (${result.bits.join('/')}-bit, ${result.clippingMethod}) into ${path.basename(output)}`
          : `Using the existing ${path.basename(output)}`;
        const warnings = result.ok && result.warnings.length ? ` (${result.warnings.join(' ')})` : '';
        void vscode.window.showInformationMessage(`ai8x: ${what}${network ? `, for ${path.basename(network.uri.fsPath)}` : ''}.${warnings}`);
        return output;
      },
    ),
  );
}
