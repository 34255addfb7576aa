// Turns the pickle machine's result into plain PyObject data: internal helpers are replaced by their data form,
// and the nesting depth is bounded and cycles refused so that every later recursive walk is safe.
import { COST, ReadBudget } from './budget';
import { CheckpointError, PyObject } from './types';
import { Internal, Value, isObj } from './pickleValues';

type Container = PyObject[] | Exclude<Extract<PyObject, { kind: string }>, { kind: 'tensor' } | { kind: 'float' }>;

export function finalizeValue(root: Value, budget: ReadBudget): PyObject {
  const maxDepth = budget.limits.maxDepth;
  const converted = new Map<Internal, PyObject>();
  const plain = (v: Value): PyObject => {
    if (!(v instanceof Internal)) return v;
    let p = converted.get(v);
    if (p === undefined) {
      budget.charge(COST.entry + COST.object);
      converted.set(v, (p = v.toPy()));
    }
    return p;
  };
  const top = plain(root);

  /** Replaces internal children in place; returns the children that are containers. */
  const containers = (node: Container): Container[] => {
    const out: Container[] = [];
    const fix = (v: Value): PyObject => {
      const p = plain(v);
      if (isContainer(p)) out.push(p);
      return p;
    };
    const fixList = (list: PyObject[]): void => {
      for (let i = 0; i < list.length; i++) list[i] = fix(list[i]);
    };
    const fixEntries = (entries: [PyObject, PyObject][]): void => {
      for (const e of entries) {
        e[0] = fix(e[0]);
        e[1] = fix(e[1]);
      }
    };
    // Each container is visited once: its height entry, its frame and the list of its container children.
    budget.charge(COST.entry + 2 * COST.object + COST.array);
    if (Array.isArray(node)) fixList(node);
    else if (node.kind === 'tuple' || node.kind === 'set') fixList(node.items);
    else if (node.kind === 'dict') {
      fixEntries(node.entries);
      if (node.attrs !== undefined) node.attrs = fix(node.attrs);
    } else if (node.kind === 'global') {
      if (node.args) fixList(node.args);
      if (node.items) fixList(node.items);
      if (node.entries) fixEntries(node.entries);
      if (node.kwargs !== undefined) node.kwargs = fix(node.kwargs);
      if (node.state !== undefined) node.state = fix(node.state);
    }
    budget.step(1 + out.length);
    budget.charge(out.length * COST.slot);
    return out;
  };

  if (!isContainer(top)) return top;
  // Iterative post-order walk: height[node] = 1 + max(height[child]); −1 marks a node on the current path.
  const height = new Map<object, number>();
  interface Frame {
    node: Container;
    kids: Container[];
    i: number;
    h: number;
  }
  const stack: Frame[] = [{ node: top, kids: containers(top), i: 0, h: 1 }];
  height.set(top, -1);
  while (stack.length) {
    const f = stack[stack.length - 1];
    if (f.i < f.kids.length) {
      const k = f.kids[f.i++];
      const h = height.get(k);
      if (h === -1)
        throw new CheckpointError('The pickle contains a structure that contains itself; this reader does not accept self-referencing data.', 'unsupported');
      if (h !== undefined) f.h = Math.max(f.h, h + 1);
      else {
        height.set(k, -1);
        stack.push({ node: k, kids: containers(k), i: 0, h: 1 });
      }
    } else {
      if (f.h > maxDepth) throw new CheckpointError(`The pickled data is nested more than ${maxDepth} levels deep; that is no checkpoint.`, 'limit');
      height.set(f.node, f.h);
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) parent.h = Math.max(parent.h, f.h + 1);
    }
    if (stack.length > maxDepth) throw new CheckpointError(`The pickled data is nested more than ${maxDepth} levels deep; that is no checkpoint.`, 'limit');
  }
  return top;
}

function isContainer(v: PyObject): v is Container {
  return Array.isArray(v) || (isObj(v) && v.kind !== 'tensor' && v.kind !== 'float');
}
