// Reads an ai8x-training model file statically: finds the model for an `arch` through the file's `models` table
// and its factory function, builds it with the arguments ai8x-training's train.py would pass (classes, input
// channels and dimensions, bias), and runs its forward() on a symbolic input of the sample's shape.
import type { ForwardGraph, Shape } from './forwardGraph';
import { Interpreter, ModuleLoader } from './interpreter';
import { parsePython, PythonModule } from './pythonSyntax';
import { describe, InstanceValue, isObject, ModelReadError, Value } from './values';

export interface ModelEntry {
  /** The `name` in the file's `models` table (the `arch`). */
  name: string;
  line: number;
}

export interface ReadModelInput {
  file: string;
  source: string;
  loader: ModuleLoader;
  arch: string;
  /** Input shape [C, H, W] or [C, L] (from the sample input). */
  inputShape: number[];
  /** Constructor arguments to try, in order (e.g. num_classes candidates from the checkpoint). */
  constructorArgs: Record<string, Value>[];
  /** The device the model is built for (ai8x.dev): 85 = MAX78000, 87 = MAX78002. */
  device?: 85 | 87;
  /** Accepts a built model (e.g. its layer shapes match the checkpoint), or says why not. */
  accept?: (graph: ForwardGraph, paths: string[]) => string | null;
}

export interface ReadModelResult {
  graph: ForwardGraph;
  /** Layer module paths in registration (state_dict) order. */
  paths: string[];
  className: string;
  factoryLine: number;
  constructorArgs: Record<string, Value>;
  skipped: { file: string; line: number; why: string }[];
}

/** The models the file declares (its `models = [{'name': …}, …]` table). */
export function listModels(source: string): ModelEntry[] {
  const m = parsePython(source);
  const out: ModelEntry[] = [];
  for (const st of m.body) {
    if (st.kind !== 'assign' || !st.targets.some((t) => t.kind === 'name' && t.name === 'models') || st.value.kind !== 'list') continue;
    for (const item of st.value.items) {
      if (item.kind !== 'dict') continue;
      for (const [k, v] of item.entries) if (k.kind === 'str' && k.value === 'name' && v.kind === 'str') out.push({ name: v.value, line: v.line });
    }
  }
  return out;
}

export function readModel(input: ReadModelInput): ReadModelResult {
  const interp = new Interpreter(input.loader, /^ai84/i.test(input.arch) ? 84 : (input.device ?? 85));
  const parsed: PythonModule = parsePython(input.source);
  const scope = interp.loadModule(input.file, parsed);
  const entry = listModels(input.source).find((e) => e.name.toLowerCase() === input.arch.toLowerCase());
  if (!entry) {
    const names = listModels(input.source).map((e) => e.name);
    throw new ModelReadError(
      `the file's \`models\` table has no entry \`${input.arch}\`${names.length ? ` (it has ${names.map((n) => '`' + n + '`').join(', ')})` : ' (it has no `models` table)'}`,
      1,
      input.file,
    );
  }
  // The factory function named in the table (exact name first; izer compares names ignoring case).
  const candidates = [...scope.vars.entries()].filter(
    ([k, v]) => k.toLowerCase() === input.arch.toLowerCase() && isObject(v) && (v.t === 'function' || v.t === 'class'),
  );
  const factory =
    candidates.find(([k, v]) => k === entry.name && isObject(v) && v.t === 'function') ??
    candidates.find(([, v]) => isObject(v) && v.t === 'function') ??
    candidates[0];
  if (!factory) throw new ModelReadError(`there is no function \`${entry.name}\` that builds the model named in the \`models\` table`, entry.line, input.file);
  const [, fn] = factory;
  const shape: Shape =
    input.inputShape.length >= 3
      ? { c: input.inputShape[0], h: input.inputShape[1], w: input.inputShape[2], oneD: false }
      : { c: input.inputShape[0], h: input.inputShape[1] ?? 1, w: 1, oneD: true };

  let lastProblem: ModelReadError | null = null;
  for (const args of input.constructorArgs) {
    const kwargs = new Map<string, Value>(Object.entries(args));
    kwargs.set('pretrained', false);
    const line = isObject(fn) && fn.t === 'function' ? fn.fn.line : entry.line;
    let model: Value;
    try {
      model = interp.call(fn, [], kwargs, line, input.file);
    } catch (e) {
      // Another set of constructor arguments may suit the model better; the last reason is reported.
      if (e instanceof ModelReadError && input.constructorArgs.length > 1) {
        lastProblem = e;
        continue;
      }
      throw e;
    }
    if (!isObject(model) || model.t !== 'instance') throw new ModelReadError(`\`${entry.name}()\` returns ${describe(model)}, not a model`, line, input.file);
    const paths = interp.assignPaths(model).map((p) => p.path);
    const graph = interp.runForward(model as InstanceValue, shape, model.line);
    const why = input.accept ? input.accept(graph, paths) : null;
    if (!why) return { graph, paths, className: model.cls.def.name, factoryLine: line, constructorArgs: args, skipped: interp.skipped };
    lastProblem = new ModelReadError(why, model.cls.def.line, model.cls.scope.file);
  }
  throw lastProblem ?? new ModelReadError('no constructor arguments to try', entry.line, input.file);
}
