// Shared by the smoke tests: load a model, run a request through the built-in runtime (its worker
// runs from the TypeScript source through tsx), and read a checkpoint value for references.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../../server/src/core/savedmodel/loadModel';
import { smokeModel, pickSignature, SmokeModel } from '../../../server/src/core/smoke/smokeModel';
import { parseRequestText, validateRequest } from '../../../server/src/core/smoke/request/request';
import { BuiltinRuntime } from '../../../server/src/core/smoke/runtime/builtinRuntime';
import { BackendName, RunResult, RunSuccess } from '../../../server/src/core/smoke/runtime/runtime';
import { loadVariablesDir, readTensorBytes } from '../../../server/src/core/checkpoint/checkpointIndex';
import { Signature } from '../../../server/src/core/savedmodel/savedModel';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export function openModel(dir: string, signatureKey?: string): { model: SmokeModel; signature: Signature } {
  const loaded = loadModel(dir);
  if (!loaded.ok) assert.fail(loaded.reason);
  const model = smokeModel(loaded.model);
  if (typeof model === 'string') assert.fail(model);
  const signature = pickSignature(model, signatureKey);
  if (typeof signature === 'string') assert.fail(signature);
  return { model, signature };
}

export interface RunArgs {
  readonly signature?: string;
  /** A backend to force; without one (and with a device) the runtime picks as users get it. */
  readonly backend?: BackendName;
  readonly device?: 'gpu' | 'cpu';
  readonly env?: Record<string, string>;
  readonly runs?: number;
}

export async function runBuiltin(dir: string, request: string, args: RunArgs = {}): Promise<RunResult> {
  const { model, signature } = openModel(dir, args.signature);
  const body = parseRequestText(request);
  if (!body.ok) assert.fail(body.error);
  const req = validateRequest(body.value, signature);
  if (!req.ok) assert.fail(req.error);
  const backend = args.backend ?? (args.device ? undefined : 'cpu');
  return new BuiltinRuntime().run(model, signature, req.value.inputs, {
    runs: args.runs ?? 2, warmup: 1, device: args.device ?? 'cpu', timeoutMs: 120_000,
    ...(backend ? { backend } : {}), ...(args.env ? { env: args.env } : {}),
  });
}

export function succeeded(r: RunResult): RunSuccess {
  if (!r.ok) assert.fail(`${r.kind}: ${r.message}`);
  return r;
}

/** Values of output `key` as numbers. */
export function numbers(r: RunSuccess, key: string): number[] {
  const o = r.outputs.find((x) => x.key === key);
  if (!o) assert.fail(`no output ${key}; have ${r.outputs.map((x) => x.key).join(', ')}`);
  return o.values.map(Number);
}

/** A float32 scalar stored in a model's checkpoint, read directly (the test's own reference). */
export function checkpointFloat(dir: string, key: string): number {
  const vdir = path.join(dir, 'variables');
  const v = loadVariablesDir(vdir);
  if (v.kind !== 'v2') assert.fail(`${dir}: no V2 checkpoint`);
  const entry = v.index.entries.find((e) => e.name === key);
  assert.ok(entry, `${key} in the checkpoint`);
  const bytes = readTensorBytes(vdir, v.index, key);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.dtype === 'DT_FLOAT') return view.getFloat32(0, true);
  if (entry.dtype === 'DT_INT32') return view.getInt32(0, true);
  if (entry.dtype === 'DT_INT64') return Number(view.getBigInt64(0, true));
  return assert.fail(`unexpected dtype ${entry.dtype}`);
}

/** The environment for Mesa's lavapipe written by test/harness/install-lavapipe.sh, or why it is missing. */
export function lavapipeEnv(): Record<string, string> | string {
  const file = path.join(ROOT, '.cache', 'lavapipe', 'lavapipe.env');
  if (!fs.existsSync(file)) return `skipped: no software Vulkan: ${file} is missing (run test/harness/install-lavapipe.sh)`;
  const env: Record<string, string> = {};
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2];
  const icd = env.VK_ICD_FILENAMES;
  if (!icd || !fs.existsSync(icd)) return `skipped: lavapipe's ICD file ${icd ?? '(unset)'} is missing (run test/harness/install-lavapipe.sh)`;
  return env;
}
