// Build SavedModels the way TensorFlow lays them out, with the project's own encoder: the bundled
// example, test fixtures and benchmark inputs are made with it. Plain data in, files out.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlainMessage } from '../protobuf';
import { encodePlain } from '../protobuf';
import { loadSchema } from '../protobuf';
import { writeCheckpoint } from '../checkpoint';
import type { CheckpointTensor } from '../checkpoint';

export type Dims = readonly number[] | undefined;

export function shapeProto(dims: Dims): PlainMessage {
  return dims ? { dim: dims.map((size) => ({ size })) } : { unknown_rank: true };
}

export function attrType(dtype: string): PlainMessage {
  return { type: dtype };
}

export function nodeDef(name: string, op: string, input: string[] = [], attr: Record<string, PlainMessage> = {}): PlainMessage {
  return { name, op, input, attr };
}

export function placeholder(name: string, dtype: string, dims: Dims): PlainMessage {
  return nodeDef(name, 'Placeholder', [], { dtype: attrType(dtype), shape: { shape: shapeProto(dims) } });
}

/** A Const node; values are written as tensor_content (raw little-endian bytes). */
export function constNode(name: string, dtype: string, dims: readonly number[], content: Uint8Array): PlainMessage {
  return nodeDef(name, 'Const', [], {
    dtype: attrType(dtype),
    value: { tensor: { dtype, tensor_shape: shapeProto(dims), tensor_content: content } },
  });
}

export function tensorInfo(name: string, dtype: string, dims: Dims): PlainMessage {
  return { name, dtype, tensor_shape: shapeProto(dims) };
}

export interface SignatureSpec {
  method?: string;
  inputs: Record<string, PlainMessage>;
  outputs: Record<string, PlainMessage>;
}

export function signatureDef(s: SignatureSpec): PlainMessage {
  return { inputs: s.inputs, outputs: s.outputs, method_name: s.method ?? 'tensorflow/serving/predict' };
}

export interface MetaGraphSpec {
  tags: string[];
  nodes: PlainMessage[];
  functions?: PlainMessage[];
  signatures: Record<string, SignatureSpec>;
  tensorflowVersion?: string;
  collections?: Record<string, PlainMessage>;
  assetFiles?: Array<{ tensorName: string; filename: string }>;
  saver?: boolean;
}

export function metaGraph(spec: MetaGraphSpec): PlainMessage {
  const signature_def: Record<string, PlainMessage> = {};
  for (const [k, s] of Object.entries(spec.signatures)) signature_def[k] = signatureDef(s);
  const mg: PlainMessage = {
    meta_info_def: { tags: spec.tags, tensorflow_version: spec.tensorflowVersion ?? '2.15.0', tensorflow_git_version: 'savedmodel-lens' },
    graph_def: { node: spec.nodes, versions: { producer: 1645 }, ...(spec.functions ? { library: { function: spec.functions } } : {}) },
    signature_def,
  };
  if (spec.collections) mg.collection_def = spec.collections;
  if (spec.assetFiles) mg.asset_file_def = spec.assetFiles.map((a) => ({ tensor_info: { name: a.tensorName }, filename: a.filename }));
  if (spec.saver) {
    mg.saver_def = {
      filename_tensor_name: 'save/Const:0', save_tensor_name: 'save/control_dependency:0',
      restore_op_name: 'save/restore_all', max_to_keep: 5, keep_checkpoint_every_n_hours: 10000, version: 'V2',
    };
  }
  return mg;
}

export function savedModel(metaGraphs: PlainMessage[]): PlainMessage {
  return { saved_model_schema_version: 1, meta_graphs: metaGraphs };
}

export function encodeSavedModel(model: PlainMessage): Uint8Array {
  return encodePlain(model, loadSchema().message('tensorflow.SavedModel'));
}

export interface VariableSpec {
  name: string;
  dtype: string;
  shape: number[];
  data: Uint8Array;
  /** DT_STRING values. */
  strings?: CheckpointTensor['strings'];
  /** A partitioned variable's slices (see CheckpointTensor). */
  slices?: CheckpointTensor['slices'];
}

export interface DirectorySpec {
  model: PlainMessage;
  variables?: VariableSpec[];
  assets?: Record<string, string | Uint8Array>;
  extraFiles?: Record<string, string | Uint8Array>;
}

/** Write a SavedModel directory: saved_model.pb, variables/, assets/ and any extra files. */
export function writeSavedModelDir(dir: string, spec: DirectorySpec): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'saved_model.pb'), encodeSavedModel(spec.model));
  if (spec.variables) writeCheckpoint(path.join(dir, 'variables'), spec.variables);
  for (const [name, content] of Object.entries(spec.assets ?? {})) writeFile(path.join(dir, 'assets', name), content);
  for (const [name, content] of Object.entries(spec.extraFiles ?? {})) writeFile(path.join(dir, name), content);
}

function writeFile(p: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
}

export function float32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** The bundled example and many tests: y = a·x + b, a TF1-style graph with two variables. */
export function linearModel(a: number, b: number): DirectorySpec {
  const varNode = (name: string): PlainMessage[] => [
    nodeDef(name, 'VariableV2', [], { dtype: attrType('DT_FLOAT'), shape: { shape: shapeProto([]) } }),
    nodeDef(`${name}/read`, 'Identity', [name], { T: attrType('DT_FLOAT') }),
  ];
  const nodes = [
    placeholder('x', 'DT_FLOAT', [-1, 1]),
    ...varNode('a'),
    ...varNode('b'),
    nodeDef('mul', 'Mul', ['a/read', 'x'], { T: attrType('DT_FLOAT') }),
    nodeDef('y', 'AddV2', ['mul', 'b/read'], { T: attrType('DT_FLOAT') }),
  ];
  const io = { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, 1]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', [-1, 1]) } };
  return {
    model: savedModel([metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io }, saver: true })]),
    variables: [
      { name: 'a', dtype: 'float32', shape: [], data: float32Bytes([a]) },
      { name: 'b', dtype: 'float32', shape: [], data: float32Bytes([b]) },
    ],
  };
}
