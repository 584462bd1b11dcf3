// Regenerate server/src/core/graphcheck/coreOpDefs.json: every OpDef TensorFlow itself wrote into
// the stripped_op_list of a ../shared/corpus model (the newest TensorFlow's definition of each).
// TF2 exports declare only their main graph's ops, not those inside functions; shrink flattens the
// functions and adds Cast, Mul and AddV2, and its copy still declares each op as TensorFlow does.
// Run: npx tsx scripts/genCoreOpDefs.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../server/src/core/savedmodel';
import { decodePlain, fieldsOf } from '../server/src/core/protobuf';

const NOT_NAME = new Set(['input_arg', 'output_arg', 'attr', 'summary', 'description', 'deprecation']);

export const CORE_OP_DEFS_FILE = path.resolve(__dirname, '..', 'server', 'src', 'core', 'graphcheck', 'coreOpDefs.json');

// The ops shrink adds (Cast, Mul, AddV2, Const, Placeholder) must be among them.
export const REQUIRED_OPS = ['AddV2', 'Cast', 'Const', 'Identity', 'Mul', 'NoOp', 'Placeholder'];

// Newest TensorFlow first: an op's definition is taken from the first model declaring it; the
// other corpus models follow in name order.
export const SOURCES = [
  'tf-bert1_graph_only', 'serving-half_plus_two_tf2_cpu', 'tf-non_chunked_model', 'tfx-taxi_estimator_serving', 'text-segmenter_hub_module',
  'tfx-taxi_keras_serving', 'serving-half_plus_two_cpu',
];

function corpusDir(): string {
  const shared = process.env.SAVEDMODEL_LENS_SHARED ?? path.resolve(__dirname, '..', '..', 'shared');
  return path.join(shared, 'corpus');
}

/** Every OpDef of every meta graph of a model, in file order. */
function opDefsOf(dir: string): Array<[string, Uint8Array]> {
  const r = loadModel(dir);
  if (!r.ok) throw new Error(`${dir}: ${r.reason}`);
  const doc = r.model.doc;
  const s = doc.schema;
  const out: Array<[string, Uint8Array]> = [];
  const number = (type: string, field: string): number | undefined => s.message(type).byName.get(field)?.number;
  const children = (span: [number, number], type: string, field: string): Array<[number, number]> => {
    const spans: Array<[number, number]> = [];
    // fieldsOf reuses one field record: copy its span before the next.
    for (const f of fieldsOf(doc.bytes, span[0], span[1])) if (f.number === number(type, field) && f.wireType === 2) spans.push([f.start, f.end]);
    return spans;
  };
  for (const mg of children([0, doc.bytes.length], 'tensorflow.SavedModel', 'meta_graphs')) {
    for (const info of children(mg, 'tensorflow.MetaGraphDef', 'meta_info_def')) {
      for (const l of children(info, 'tensorflow.MetaGraphDef.MetaInfoDef', 'stripped_op_list')) {
        for (const o of children(l, 'tensorflow.OpList', 'op')) {
          const name = String(decodePlain(doc.bytes, o[0], o[1], s.message('tensorflow.OpDef'), { skip: NOT_NAME }).name);
          out.push([name, doc.bytes.slice(o[0], o[1])]);
        }
      }
    }
  }
  return out;
}

/** Each op's OpDef as TensorFlow encoded it (base64), so defaults of every kind survive exactly. */
export interface CoreOpDef {
  readonly name: string;
  readonly opDef: string;
}

export function coreOpDefs(): CoreOpDef[] {
  const found = new Map<string, Uint8Array>();
  const rest = fs.readdirSync(corpusDir(), { withFileTypes: true }).filter((e) => e.isDirectory() && !SOURCES.includes(e.name)).map((e) => e.name).sort();
  for (const name of [...SOURCES, ...rest]) {
    let defs: Array<[string, Uint8Array]>;
    try {
      defs = opDefsOf(path.join(corpusDir(), name));
    } catch {
      continue;
    }
    for (const [op, bytes] of defs) if (!found.has(op)) found.set(op, bytes);
  }
  const missing = REQUIRED_OPS.filter((op) => !found.has(op));
  if (missing.length) throw new Error(`no corpus model declares ${missing.join(', ')}`);
  return [...found.keys()].sort().map((op) => ({ name: op, opDef: Buffer.from(found.get(op) as Uint8Array).toString('base64') }));
}

export function coreOpDefsSource(defs: readonly CoreOpDef[]): string {
  return `[\n${defs.map((d) => `  ${JSON.stringify(d)}`).join(',\n')}\n]\n`;
}

if (require.main === module) {
  const defs = coreOpDefs();
  fs.writeFileSync(CORE_OP_DEFS_FILE, coreOpDefsSource(defs));
  process.stdout.write(`wrote ${defs.length} OpDefs to ${path.relative(process.cwd(), CORE_OP_DEFS_FILE)}\n`);
}
