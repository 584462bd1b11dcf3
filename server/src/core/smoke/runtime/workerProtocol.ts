// Messages between the built-in runtime and its child process (Node IPC with the `advanced`
// serialization, so typed arrays travel as they are).
import type { ModelArtifacts } from '../freeze/graphArtifacts';
import type { BackendName, DeviceInfo, ErrorKind, Parity } from './runtime';

export type TfjsDtype = 'float32' | 'int32' | 'bool' | 'string';
export type TensorData = Float32Array | Int32Array | Uint8Array | Uint8Array[];

export interface WireTensor {
  readonly name: string;
  readonly dtype: TfjsDtype;
  readonly shape: number[];
  readonly data: TensorData;
}

export interface WorkerJob {
  readonly type: 'run';
  readonly artifacts: ModelArtifacts;
  readonly feeds: WireTensor[];
  /** Output tensors to fetch (`node:index`), in the signature's order. */
  readonly outputs: string[];
  readonly runs: number;
  readonly warmup: number;
  /** Backends to try, in order. */
  readonly backends: BackendName[];
  /** Run once more on the cpu backend and compare, when the run used webgpu. */
  readonly compareWithCpu: boolean;
  /** Where the tfjs .wasm files are (bundled builds ship them beside the worker). */
  readonly wasmDir?: string;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly message: string }
  | {
    readonly type: 'result';
    readonly device: DeviceInfo;
    readonly loadMs: number;
    readonly latenciesMs: number[];
    readonly outputs: WireTensor[];
    readonly parity?: Parity;
  }
  | { readonly type: 'error'; readonly kind: ErrorKind; readonly message: string; readonly device?: DeviceInfo };
