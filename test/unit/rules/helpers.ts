// Small SavedModels for the rule tests, written with the project's own builder into a temporary
// folder per test file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { DirectorySpec, attrType, metaGraph, nodeDef, placeholder, savedModel, tensorInfo, writeSavedModelDir, MetaGraphSpec } from '../../../server/src/core/savedmodel/modelBuilder';
import { PlainMessage } from '../../../server/src/core/protobuf/plainMessage';
import { CheckSettings, checkPath } from '../../../server/src/core/check/checkModel';
import { Finding, RuleId } from '../../../server/src/core/rules/finding';
import { loadModel, LoadedModel } from '../../../server/src/core/savedmodel/loadModel';
import { formatPath } from '../../../server/src/core/elementPath';
import { main } from '../../../server/src/cli/main';

let root: string | undefined;
let counter = 0;

/** A fresh empty folder, removed when the test file ends. */
export function tempDir(label = 'm'): string {
  if (!root) {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-rules-'));
    after(() => fs.rmSync(root as string, { recursive: true, force: true }));
  }
  const dir = path.join(root, `${label}-${counter++}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeModel(spec: DirectorySpec): string {
  const dir = tempDir();
  writeSavedModelDir(dir, spec);
  return dir;
}

export function load(dir: string): LoadedModel {
  const r = loadModel(dir);
  if (!r.ok) throw new Error(r.reason);
  return r.model;
}

/** Every finding of checking the model `spec` describes. */
export function check(spec: DirectorySpec, settings: CheckSettings = {}): Finding[] {
  return checkDir(writeModel(spec), settings);
}

export function checkDir(dir: string, settings: CheckSettings = {}): Finding[] {
  const outcome = checkPath(dir, settings);
  if (outcome.kind === 'unreadable') throw new Error(outcome.reason);
  return [...outcome.findings];
}

export function only(findings: readonly Finding[], id: RuleId): Finding[] {
  return findings.filter((f) => f.ruleId === id);
}

export const FLOAT = attrType('DT_FLOAT');

/** A one-meta-graph model from nodes and signatures (no variables). */
export function graphModel(spec: Partial<MetaGraphSpec> & { nodes: PlainMessage[] }): DirectorySpec {
  return { model: savedModel([metaGraph({ tags: ['serve'], signatures: {}, ...spec })]) };
}

export const io = (x = 'x:0', y = 'y:0', dims: number[] | undefined = [-1, 1]) => ({
  inputs: { x: tensorInfo(x, 'DT_FLOAT', dims) },
  outputs: { y: tensorInfo(y, 'DT_FLOAT', dims) },
});

/** A TF1-style graph y = x * 2 with signature serving_default, plus extra nodes. */
export function simpleModel(extra: PlainMessage[] = [], yInputs: string[] = ['x', 'two']): DirectorySpec {
  return graphModel({
    nodes: [
      placeholder('x', 'DT_FLOAT', [-1, 1]),
      nodeDef('two', 'Const', [], { dtype: FLOAT }),
      ...extra,
      nodeDef('y', 'Mul', yInputs, { T: FLOAT }),
    ],
    signatures: { serving_default: io() },
  });
}

/** A FunctionDef with one float input `x` and output `y`. */
export function functionDef(name: string, nodes: PlainMessage[], ret: Record<string, string> = {}): PlainMessage {
  return {
    signature: { name, input_arg: [{ name: 'x', type: 'DT_FLOAT' }], output_arg: [{ name: 'y', type: 'DT_FLOAT' }] },
    node_def: nodes,
    ret,
  };
}

/** A call of `fn` through an attribute, as TF2 graphs make them. */
export function callNode(name: string, fn: string, inputs: string[], op = 'StatefulPartitionedCall'): PlainMessage {
  return nodeDef(name, op, inputs, { f: { func: { name: fn } }, Tin: { list: { type: ['DT_FLOAT'] } }, Tout: { list: { type: ['DT_FLOAT'] } } });
}

/** A TF2-style model: the serving signature calls `__inference_serve` through StatefulPartitionedCall. */
export function tf2Model(serveNodes: PlainMessage[], otherFunctions: PlainMessage[] = []): DirectorySpec {
  return graphModel({
    nodes: [
      placeholder('serving_default_x', 'DT_FLOAT', [-1, 1]),
      callNode('StatefulPartitionedCall', '__inference_serve', ['serving_default_x']),
    ],
    functions: [functionDef('__inference_serve', serveNodes, { y: 'out:output:0' }), ...otherFunctions],
    signatures: { serving_default: io('serving_default_x:0', 'StatefulPartitionedCall:0') },
  });
}

/** Where a finding points, as text: an element path, a file path, or `(model)`. */
export function pathText(f: Finding): string {
  return f.location.kind === 'element' ? formatPath(f.location.path) : f.location.kind === 'file' ? f.location.path : '(model)';
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** The CLI in this process (fast): main() with stdout and stderr captured. */
export function runCli(...args: string[]): CliRun {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const status = main(args);
    if (typeof status !== 'number') throw new Error(`${args[0]} answers synchronously`);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
}
