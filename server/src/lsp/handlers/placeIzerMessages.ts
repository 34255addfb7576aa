// Synthesis runs in the extension host; this places izer's messages on the YAML with the server's reader, so that the
// extension does not carry the engine, and marks izer's copies of the findings the server already shows for the
// document (one problem per mistake).
import { LineIndex } from '../../engine/lineIndex';
import { mapIzerMessages } from '../../synthesis/mapToYaml';
import { markIzerDuplicates } from '../../synthesis/duplicates';
import type { OffsetDiagnostic, PlaceIzerMessagesParams } from '../../protocol';
import type { ServerContext } from './context';

export async function placeIzerMessages(p: PlaceIzerMessagesParams, ctx: ServerContext): Promise<OffsetDiagnostic[]> {
  let placed = mapIzerMessages(p.messages, p.text, p.device, { skipYamlLayers: p.skipYamlLayers });
  const open = p.uri ? await ctx.analyses.currentView(p.uri) : null;
  // Only when the server checked the very text izer read (the file is saved before synthesis).
  const result = open?.analysis.result;
  if (result && open.analysis.text === p.text) placed = markIzerDuplicates(placed, result.diagnostics, new LineIndex(p.text));
  return placed.map(({ code, severity, message, range, layer, duplicateOf }) => ({
    code,
    severity,
    message,
    range,
    layer,
    ...(duplicateOf ? { duplicateOf } : {}),
  }));
}
