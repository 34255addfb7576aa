// Synthesis runs in the extension host; this places izer's messages on the YAML with the server's reader, so that the
// extension does not carry the engine.
import type { Connection } from 'vscode-languageserver/node';
import { mapIzerMessages } from '../synthesis/mapToYaml';
import { PlaceIzerMessagesRequest } from '../protocol';

export function registerSynthesisHandlers(connection: Connection): void {
  connection.onRequest(PlaceIzerMessagesRequest, (p) =>
    mapIzerMessages(p.messages, p.text, p.device, { skipYamlLayers: p.skipYamlLayers }).map(({ code, severity, message, range, layer }) => ({
      code,
      severity,
      message,
      range,
      layer,
    })),
  );
}
