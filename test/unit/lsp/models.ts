// Small SavedModel directories for the language server tests, built with the core's model builder
// in a temp folder: binary (saved_model.pb) or text (saved_model.pbtxt, printed by the printer).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import {
  attrType, constNode, DirectorySpec, encodeSavedModel, float32Bytes, metaGraph, MetaGraphSpec, nodeDef, placeholder,
  savedModel, tensorInfo, writeSavedModelDir,
} from '../../../server/src/core/savedmodel/modelBuilder';
import { PlainMessage } from '../../../server/src/core/protobuf/plainMessage';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { DECODED_SCHEME } from '../../../server/src/protocol';
export { directoryBytes } from '../../helpers/directoryBytes';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `lens-lsp-${prefix}-`));
}

export function fileUri(file: string): string {
  return URI.file(file).toString();
}

/** The URI of the read-only decoded view of a binary saved_model.pb. */
export function decodedUri(file: string): string {
  return URI.file(file).with({ scheme: DECODED_SCHEME }).toString();
}

/** Write the directory with saved_model.pbtxt instead of saved_model.pb; returns the .pbtxt path and its text. */
export function writeTextModelDir(dir: string, spec: DirectorySpec): { file: string; text: string } {
  writeSavedModelDir(dir, spec);
  fs.rmSync(path.join(dir, 'saved_model.pb'));
  const text = printText(encodeSavedModel(spec.model));
  const file = path.join(dir, 'saved_model.pbtxt');
  fs.writeFileSync(file, text);
  return { file, text };
}

export function writeBinaryModelDir(dir: string, spec: DirectorySpec): string {
  writeSavedModelDir(dir, spec);
  return path.join(dir, 'saved_model.pb');
}

export const F_NAME = '__inference_f_1';
export const G_NAME = '__inference_g_2';

/** f(a) = identity(neg(a)): internal names `neg:y:0`, `id:output:0`; g(b) calls f by op name. */
function functions(): PlainMessage[] {
  const floatArg = (name: string): PlainMessage => ({ name, type: 'DT_FLOAT' });
  return [
    {
      signature: { name: F_NAME, input_arg: [floatArg('a')], output_arg: [floatArg('out')] },
      node_def: [
        nodeDef('neg', 'Neg', ['a'], { T: attrType('DT_FLOAT') }),
        nodeDef('id', 'Identity', ['neg:y:0'], { T: attrType('DT_FLOAT') }),
      ],
      ret: { out: 'id:output:0' },
    },
    {
      signature: { name: G_NAME, input_arg: [floatArg('b')], output_arg: [floatArg('out')] },
      node_def: [nodeDef('inner', F_NAME, ['b'], {})],
      ret: { out: 'inner:out:0' },
    },
  ];
}

export interface ModelOptions {
  tags?: string[];
  method?: string;
  inputDims?: number[];
  outputDims?: number[];
}

/**
 * x (float32 [-1, 3]) · w (Const float32 [3, 2], 24 bytes) → mm → y (Identity, also ^w) → call
 * (PartitionedCall of f); one serving_default signature; two variables; one asset.
 */
export function richModel(o: ModelOptions = {}): DirectorySpec {
  const nodes = [
    placeholder('x', 'DT_FLOAT', [-1, 3]),
    constNode('w', 'DT_FLOAT', [3, 2], float32Bytes([1, 2, 3, 4, 5, 6])),
    nodeDef('mm', 'MatMul', ['x', 'w'], { T: attrType('DT_FLOAT') }),
    nodeDef('y', 'Identity', ['mm:0', '^w'], { T: attrType('DT_FLOAT') }),
    nodeDef('call', 'PartitionedCall', ['y'], { f: { func: { name: F_NAME } }, Tin: { list: { type: ['DT_FLOAT'] } }, Tout: { list: { type: ['DT_FLOAT'] } } }),
    nodeDef('asset_path', 'Const', [], { dtype: attrType('DT_STRING'), value: { tensor: { dtype: 'DT_STRING', tensor_shape: {}, string_val: [new TextEncoder().encode('vocab.txt')] } } }),
  ];
  const spec: MetaGraphSpec = {
    tags: o.tags ?? ['serve'],
    nodes,
    functions: functions(),
    signatures: {
      serving_default: {
        method: o.method,
        inputs: { x: tensorInfo('x:0', 'DT_FLOAT', o.inputDims ?? [-1, 3]) },
        outputs: { y: tensorInfo('call:0', 'DT_FLOAT', o.outputDims ?? [-1, 2]) },
      },
    },
    assetFiles: [{ tensorName: 'asset_path:0', filename: 'vocab.txt' }],
  };
  return {
    model: savedModel([metaGraph(spec)]),
    variables: [
      { name: 'big', dtype: 'float32', shape: [4, 4], data: float32Bytes(Array.from({ length: 16 }, (_, i) => i)) },
      { name: 'small', dtype: 'float32', shape: [2], data: float32Bytes([1, 2]) },
    ],
    assets: { 'vocab.txt': 'a\nb\nc\n' },
  };
}

