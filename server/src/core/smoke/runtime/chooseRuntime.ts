// `auto` picks TensorFlow when the interpreter can import it, else the built-in runtime. The
// interpreter is the one given (the CLI's --python, the extension's setting or the Python
// extension's selection), else `python3`.
import { BuiltinRuntime, WorkerEntry, defaultWorkerEntry } from './builtinRuntime';
import { RuntimeChoice, SmokeRuntime } from './runtime';
import { DEFAULT_PYTHON, TensorflowRuntime, probePython } from './tensorflowRuntime';

export interface ChosenRuntime {
  readonly runtime: SmokeRuntime;
  /** Why this runtime (for `auto`). */
  readonly note?: string;
}

export interface ChooseOptions {
  readonly python?: string;
  readonly worker?: WorkerEntry;
  readonly signal?: AbortSignal;
}

export async function chooseRuntime(choice: RuntimeChoice, opts: ChooseOptions = {}): Promise<ChosenRuntime> {
  const python = opts.python ?? DEFAULT_PYTHON;
  const builtin = (): SmokeRuntime => new BuiltinRuntime(opts.worker ?? defaultWorkerEntry());
  if (choice === 'builtin') return { runtime: builtin() };
  if (choice === 'tensorflow') return { runtime: new TensorflowRuntime(python) };
  const probe = await probePython(python, { signal: opts.signal });
  if (probe.tensorflow !== undefined) {
    return { runtime: new TensorflowRuntime(python), note: `TensorFlow ${probe.tensorflow} is importable by ${python}` };
  }
  return { runtime: builtin(), note: `TensorFlow is not importable by ${python} (${probe.error ?? 'unknown reason'}): using the built-in runtime` };
}
