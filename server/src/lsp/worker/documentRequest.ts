// The editor's side of the application layer: an open document, with the device and checkpoint the user chose for it
// this session and the document's `ai8x.*` settings, as the request the workflows in app/ answer.
import type { NetworkRequest, RandomInput } from '../../app/networkRequest';
import { URI } from '../uri';
import type { DocumentSnapshot } from '../workerProtocol';

export function documentRequest(doc: DocumentSnapshot, randomInput?: RandomInput): NetworkRequest {
  return {
    text: doc.text,
    path: URI.toPath(doc.uri),
    choices: { origin: 'session', device: doc.choice?.device, checkpoint: doc.choice?.checkpoint },
    settings: doc.settings,
    randomInput,
  };
}
