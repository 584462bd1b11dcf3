// The two ways to run a signature behind one interface: TensorFlow (the user's Python) and the
// built-in runtime (TensorFlow.js kernels in a child process). Both answer with what ran where,
// how long it took and what came out, or with an error that names its cause and what to do.
import type { Signature } from '../../savedmodel';
import { HostTensor } from '../request/hostTensor';
import { SmokeModel } from '../smokeModel';

export type RuntimeKind = 'tensorflow' | 'builtin';
export type RuntimeChoice = RuntimeKind | 'auto';
export type DeviceRequest = 'gpu' | 'cpu';
export type BackendName = 'webgpu' | 'wasm' | 'cpu';

export interface RunOptions {
  readonly runs: number;
  readonly warmup: number;
  readonly device: DeviceRequest;
  /** Built-in runtime: use this backend only (tests, measurements). */
  readonly backend?: BackendName;
  /** Extra environment for the child process (e.g. VK_ICD_FILENAMES for a software Vulkan). */
  readonly env?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onProgress?: (message: string) => void;
  /** TensorFlow runtime: run a signature that reaches file-touching ops (smoke --allow-file-access). */
  readonly allowFileAccess?: boolean;
}

export interface DeviceInfo {
  readonly runtime: RuntimeKind;
  /** Built-in: `webgpu`, `wasm` or `cpu`; TensorFlow: the device string, e.g. `/GPU:0`. */
  readonly backend: string;
  /** The adapter's or GPU's name as the driver reports it, or `CPU`. */
  readonly name: string;
  /** `software`: a GPU API emulated on the CPU (lavapipe, SwiftShader): never counted as a GPU. */
  readonly kind: 'gpu' | 'software' | 'cpu';
  readonly details?: Readonly<Record<string, string>>;
  /** Set when a GPU was asked for and not used: why. */
  readonly fallback?: string;
}

export interface OutputTensor extends HostTensor {
  readonly key: string;
  /** The dtype the runtime computed in, where it differs from the signature's. */
  readonly computedAs?: string;
}

export interface Parity {
  /** What the outputs were compared with, e.g. `cpu backend`. */
  readonly against: string;
  readonly maxAbsDiff: number;
  readonly perOutput: Readonly<Record<string, number>>;
}

export interface RunSuccess {
  readonly ok: true;
  readonly device: DeviceInfo;
  readonly loadMs: number;
  readonly latenciesMs: readonly number[];
  readonly outputs: readonly OutputTensor[];
  readonly parity?: Parity;
  readonly warnings: readonly string[];
  /** What the runtime did beyond the plain case ("init op ran: 2 tables", "attr defaults filled: 12"...). */
  readonly mechanisms?: readonly string[];
}

export type ErrorKind =
  | 'missing-op' | 'bad-request' | 'shape-mismatch' | 'out-of-memory' | 'no-gpu' | 'no-tensorflow'
  | 'model' | 'runtime' | 'cancelled' | 'timeout' | 'file-access';

export interface RunFailure {
  readonly ok: false;
  readonly kind: ErrorKind;
  readonly message: string;
  /** What the user can do about it. */
  readonly remedy: string;
  readonly device?: DeviceInfo;
}

export type RunResult = RunSuccess | RunFailure;

export interface SmokeRuntime {
  readonly kind: RuntimeKind;
  run(model: SmokeModel, signature: Signature, inputs: Readonly<Record<string, HostTensor>>, opts: RunOptions): Promise<RunResult>;
}

export function failure(kind: ErrorKind, message: string, remedy: string, device?: DeviceInfo): RunFailure {
  return { ok: false, kind, message, remedy, ...(device ? { device } : {}) };
}
