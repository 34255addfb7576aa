// What a quantized checkpoint may carry over from the training checkpoint. torch.load runs every call a pickle
// names, so a file this tool writes holds data only: tensors, OrderedDicts, sets, bytes and plain values, and class
// references (not calls) from torch, numpy, collections and builtins, as torch.save writes an optimizer's type.
// Anything else the reader kept as an inert marker (a call of os.system, an object of some other class) would be
// called when the quantized file is loaded, so the checkpoint is refused with the place named.
import type { PyGlobal, PyObject } from '../checkpoint/types';

const CLASS_MODULES = /^(torch|numpy|collections|builtins)(\.|$)/;

/** Where in the checkpoint (`extras → history[2]`) the first value that is not plain data is, with what it is; or null. */
export function firstNonData(root: PyObject): { path: string; what: string } | null {
  const stack: { v: PyObject; path: string }[] = [{ v: root, path: '' }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array) continue;
    const at = (step: string) => (path ? `${path} → ${step}` : step);
    if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, path: at(`[${i}]`) }));
      continue;
    }
    switch (v.kind) {
      case 'tensor':
      case 'float':
        break;
      case 'tuple':
      case 'set':
        v.items.forEach((x, i) => stack.push({ v: x, path: at(`[${i}]`) }));
        break;
      case 'dict':
        for (const [k, x] of v.entries) {
          stack.push({ v: k, path: at('(a key)') });
          stack.push({ v: x, path: at(typeof k === 'string' ? k : `[${String(k)}]`) });
        }
        if (v.attrs !== undefined) stack.push({ v: v.attrs, path: at('(attributes)') });
        break;
      case 'global':
        if (!isClassReference(v)) return { path: path || 'the checkpoint', what: describeGlobal(v) };
        break;
    }
  }
  return null;
}

function isClassReference(g: PyGlobal): boolean {
  return g.args === undefined && g.kwargs === undefined && g.state === undefined && !g.items?.length && !g.entries?.length && CLASS_MODULES.test(g.module);
}

function describeGlobal(g: PyGlobal): string {
  const name = `${g.module}.${g.name}`;
  if (g.args !== undefined || g.kwargs !== undefined) return `a call of \`${name}\``;
  if (g.state !== undefined || g.items?.length || g.entries?.length) return `an object of class \`${name}\``;
  return `a reference to \`${name}\``;
}
