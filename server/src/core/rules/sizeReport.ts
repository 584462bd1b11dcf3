// How much the deployed directory weighs against the limit, what weighs most, and what it would
// weigh with float32 weights stored as float16 (half) or 8-bit (a quarter). The whole directory
// counts: graph, variables and assets. Where the weights serving reads are known, the estimates
// are of the serving copy shrink writes: those weights at lower precision, the others gone.
import * as path from 'node:path';
import { LoadedModel } from '../savedmodel';
import { filesUnder } from '../savedmodel';
import { OBJECT_GRAPH_KEY } from '../checkpoint';
import { CheckOptions, SizeLimit, sizeLimit } from './checkOptions';
import { ServedWeights, servedWeights } from './servedWeights';

export interface SizeContributor {
  readonly kind: 'variable' | 'asset' | 'graph' | 'file';
  /** Variable name, or file path relative to the model directory. */
  readonly name: string;
  readonly bytes: number;
  /** For variables. */
  readonly dtype?: string;
}

export interface SizeReport {
  readonly total: number;
  readonly limit: SizeLimit;
  readonly parts: { readonly modelFile: number; readonly variables: number; readonly assets: number; readonly other: number };
  /** The biggest variables and files, largest first. */
  readonly contributors: readonly SizeContributor[];
  /** Bytes of float32 variables serving reads (all float32 variables when that is not known; 0 when the checkpoint's tensors are not known). */
  readonly float32Bytes: number;
  /** Bytes of checkpoint entries no serving signature reads (0 when not known). */
  readonly unusedBytes: number;
  /** False when the variables could not be listed (V1, missing or unreadable checkpoint). */
  readonly variablesKnown: boolean;
  /** Total size with float32 variables stored as float16 / 8-bit. */
  readonly estimates: { readonly float16: number; readonly int8: number };
}

const TOP = 10;

/** `served`: the weights serving reads, as the rules computed them; computed here when not given. */
export function sizeReport(model: LoadedModel, options: CheckOptions, served: ServedWeights | undefined | 'compute' = 'compute'): SizeReport {
  const known = served === 'compute' ? servedWeights(model) : served;
  const { files } = model;
  const modelRel = path.basename(model.location.modelFile);
  const sum = (list: ReadonlyArray<{ bytes: number }>): number => list.reduce((s, f) => s + f.bytes, 0);
  const modelFile = files.find((f) => f.path === modelRel)?.bytes ?? 0;
  const variables = sum(filesUnder(files, 'variables'));
  const assetFiles = [...filesUnder(files, 'assets'), ...filesUnder(files, 'assets.extra')];
  const assets = sum(assetFiles);
  const tensors = model.variables.kind === 'v2' ? model.variables.index.entries.filter((e) => e.slices === 0 && e.name !== OBJECT_GRAPH_KEY) : [];
  const read = (t: { name: string }): boolean => !known || known.keys.has(t.name);
  const float32Bytes = tensors.filter((t) => t.dtype === 'DT_FLOAT' && read(t)).reduce((s, t) => s + t.size, 0);
  const unusedBytes = known ? known.unused.reduce((s, e) => s + e.size, 0) : 0;
  const contributors: SizeContributor[] = [
    ...tensors.map((t) => ({ kind: 'variable' as const, name: t.name, bytes: t.size, dtype: t.dtype })),
    ...assetFiles.map((f) => ({ kind: 'asset' as const, name: f.path, bytes: f.bytes })),
    ...files.filter((f) => f.path === modelRel).map((f) => ({ kind: 'graph' as const, name: f.path, bytes: f.bytes })),
    ...files.filter((f) => f.path !== modelRel && !/^(variables|assets|assets\.extra)\//.test(f.path)).map((f) => ({ kind: 'file' as const, name: f.path, bytes: f.bytes })),
  ];
  contributors.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
  const total = model.totalBytes;
  return {
    total,
    limit: sizeLimit(options),
    parts: { modelFile, variables, assets, other: total - modelFile - variables - assets },
    contributors: contributors.slice(0, TOP),
    float32Bytes,
    unusedBytes,
    variablesKnown: model.variables.kind === 'v2',
    estimates: { float16: total - unusedBytes - float32Bytes / 2, int8: total - unusedBytes - (float32Bytes * 3) / 4 },
  };
}
