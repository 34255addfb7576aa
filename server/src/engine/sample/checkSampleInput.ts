// izer's checks on the sample input it loads (sampledata.get rule #84, izer.main rule #85).
import { elementCount, type SampleInput } from './npy';
import type { DiagnosticSink } from '../diagnosticSink';
import type { Range } from '../yaml/yamlTree';

/** Reports izer rules #84 (dtype must be int64) and #85 (values must fit signed 8 bits). Returns true when izer accepts the data. */
export function checkSampleInput(sample: SampleInput, sink: DiagnosticSink, anchor: Range, fileLabel: string): boolean {
  let ok = true;
  if (sample.dtype !== 'int64') {
    ok = false;
    sink.izer(
      84,
      'error',
      anchor,
      null,
      `The sample input ${fileLabel} holds ${sample.dtype} values; izer loads only int64 arrays (save it with \`np.save(path, data.astype(np.int64))\`).`,
    );
  }
  if (elementCount(sample.shape) && (sample.max > 127 || sample.min < -128)) {
    ok = false;
    sink.izer(
      85,
      'error',
      anchor,
      null,
      `The sample input ${fileLabel} has values from ${fmt(sample.min)} to ${fmt(sample.max)}; izer needs signed 8-bit data (−128 … 127).`,
    );
  }
  return ok;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6);
}
