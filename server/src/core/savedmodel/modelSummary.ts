// What `savedmodel-lens show` prints (and the editor's Show Summary): saved_model_cli's
// `show --all` content plus sizes. The JSON form is the documented stable shape (docs/show.md).
import * as path from 'node:path';
import { LoadedModel } from './loadModel';
import { formatShape, TensorSpec } from './savedModel';
import { filesUnder } from './modelDirectory';
import { formatBytes } from '../units';

export interface TensorSummary {
  key: string;
  name: string | null;
  dtype: string;
  shape: number[] | null;
}

export interface ModelSummary {
  modelFile: string;
  format: 'binary' | 'text';
  versions: string[] | null;
  schemaVersion: number;
  metaGraphs: Array<{
    tags: string[];
    tensorflowVersion: string;
    nodes: number;
    functions: number;
    signatures: Array<{ key: string; method: string; inputs: TensorSummary[]; outputs: TensorSummary[] }>;
  }>;
  variables: {
    format: 'v2' | 'v1' | 'none' | 'error';
    message: string | null;
    bytes: number;
    missingShards: string[];
    tensors: Array<{ name: string; dtype: string; shape: number[]; bytes: number; shard: number }>;
  };
  assets: Array<{ path: string; bytes: number }>;
  sizes: { total: number; modelFile: number; variables: number; assets: number; other: number };
}

export function summarize(model: LoadedModel): ModelSummary {
  const { doc, location, files } = model;
  const rel = path.basename(location.modelFile);
  const modelFile = files.find((f) => f.path === rel)?.bytes ?? model.binarySize;
  const variables = filesUnder(files, 'variables').reduce((s, f) => s + f.bytes, 0);
  const assetFiles = [...filesUnder(files, 'assets'), ...filesUnder(files, 'assets.extra')];
  const assets = assetFiles.reduce((s, f) => s + f.bytes, 0);
  return {
    modelFile: location.modelFile,
    format: location.format,
    versions: location.versions ? [...location.versions] : null,
    schemaVersion: doc.schemaVersion,
    metaGraphs: doc.metaGraphs.map((mg) => ({
      tags: mg.tags,
      tensorflowVersion: mg.tensorflowVersion,
      nodes: mg.graph.count,
      functions: mg.functions.size,
      signatures: mg.signatures.map((s) => ({ key: s.key, method: s.method, inputs: s.inputs.map(tensor), outputs: s.outputs.map(tensor) })),
    })),
    variables: variablesSummary(model),
    assets: assetFiles.map((f) => ({ path: f.path, bytes: f.bytes })),
    sizes: { total: model.totalBytes, modelFile, variables, assets, other: model.totalBytes - modelFile - variables - assets },
  };
}

function tensor(t: TensorSpec): TensorSummary {
  return { key: t.key, name: t.name ?? null, dtype: t.dtype, shape: t.shape.dims ? [...t.shape.dims] : null };
}

function variablesSummary(model: LoadedModel): ModelSummary['variables'] {
  const v = model.variables;
  if (v.kind !== 'v2') {
    return { format: v.kind, message: 'message' in v ? v.message : null, bytes: 0, missingShards: [], tensors: [] };
  }
  const tensors = v.index.entries.map((e) => ({ name: e.name, dtype: e.dtype, shape: [...e.shape], bytes: e.size, shard: e.shardId }));
  return { format: 'v2', message: null, bytes: tensors.reduce((s, t) => s + t.bytes, 0), missingShards: [...v.missingShards], tensors };
}

/** The text form, close to `saved_model_cli show --all` so its users feel at home. */
export function formatSummary(s: ModelSummary): string {
  const out: string[] = [];
  out.push(`SavedModel: ${s.modelFile} (${s.format}${s.versions ? `, versions ${s.versions.join(', ')}: showing the latest` : ''})`);
  for (const mg of s.metaGraphs) {
    out.push('', `MetaGraphDef with tag-set: '${mg.tags.join(', ')}' contains the following SignatureDefs:`);
    out.push(`  (TensorFlow ${mg.tensorflowVersion || 'version not recorded'}; ${mg.nodes} graph nodes, ${mg.functions} functions)`);
    for (const sig of mg.signatures) {
      out.push('', `signature_def['${sig.key}']:`);
      out.push('  The given SavedModel SignatureDef contains the following input(s):');
      for (const t of sig.inputs) out.push(...formatTensor('inputs', t));
      out.push('  The given SavedModel SignatureDef contains the following output(s):');
      for (const t of sig.outputs) out.push(...formatTensor('outputs', t));
      out.push(`  Method name is: ${sig.method}`);
    }
  }
  out.push('', ...formatVariables(s.variables));
  if (s.assets.length) out.push('', 'Assets:', ...s.assets.map((a) => `  ${a.path}  ${formatBytes(a.bytes)}`));
  out.push('', `Sizes: total ${formatBytes(s.sizes.total)} = model file ${formatBytes(s.sizes.modelFile)} + variables ${formatBytes(s.sizes.variables)} + assets ${formatBytes(s.sizes.assets)} + other ${formatBytes(s.sizes.other)}`);
  return out.join('\n') + '\n';
}

function formatTensor(side: string, t: TensorSummary): string[] {
  return [
    `    ${side}['${t.key}'] tensor_info:`,
    `        dtype: ${t.dtype}`,
    `        shape: ${formatShape({ dims: t.shape ?? undefined })}`,
    `        name: ${t.name ?? '(composite or sparse tensor)'}`,
  ];
}

function formatVariables(v: ModelSummary['variables']): string[] {
  if (v.format !== 'v2') return [`Variables: ${v.message ?? v.format}`];
  const out = [`Variables: ${v.tensors.length} tensors, ${formatBytes(v.bytes)}`];
  for (const t of [...v.tensors].sort((a, b) => b.bytes - a.bytes).slice(0, 20)) {
    out.push(`  ${t.name}  ${t.dtype} ${formatShape({ dims: t.shape })}  ${formatBytes(t.bytes)}`);
  }
  if (v.tensors.length > 20) out.push(`  … and ${v.tensors.length - 20} more`);
  if (v.missingShards.length) out.push(`  missing shards: ${v.missingShards.join(', ')}`);
  return out;
}
