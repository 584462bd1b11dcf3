// The typed view of a binary SavedModel. Decoding reads the message structure once, decodes the
// small parts (tags, signatures, meta info) whole and keeps the graph as node tables over the
// file's bytes; the object graph and collections are decoded when first asked for.
import { loadSchema, MessageInfo, FieldInfo, Schema } from '../protobuf';
import { WireReader, RawField } from '../protobuf';
import { decodePlain } from '../protobuf';
import { PlainMessage, str, msg, entries, list, num, msgList } from '../protobuf';
import type { MessageSpans } from '../protobuf';
import { NodeTable, NodeFields, nodeFields } from './nodeTable';
import { ElementPath } from '../elementPath';

export type TensorName = string;

/** dims use -1 for an unknown size; undefined dims = unknown rank. */
export interface Shape {
  readonly dims: readonly number[] | undefined;
}

export interface TensorSpec {
  readonly key: string;
  /** `node:index` for dense tensors; undefined for composite/sparse encodings. */
  readonly name: TensorName | undefined;
  readonly dtype: string;
  readonly shape: Shape;
  readonly encoding: 'name' | 'coo_sparse' | 'composite_tensor' | 'none';
  readonly path: ElementPath;
}

export interface Signature {
  readonly key: string;
  readonly method: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly path: ElementPath;
}

export interface FunctionInfo {
  readonly name: string;
  readonly nodes: NodeTable;
  /** Output name → `node:out:index` inside the function. */
  readonly ret: Readonly<Record<string, string>>;
  readonly inputArgs: readonly string[];
  readonly path: ElementPath;
}

export interface AssetFile {
  readonly tensorName: TensorName;
  readonly filename: string;
}

export class MetaGraph {
  readonly tags: string[] = [];
  readonly signatures: Signature[] = [];
  readonly graph: NodeTable;
  readonly functions = new Map<string, FunctionInfo>();
  readonly assetFiles: AssetFile[] = [];
  metaInfo: PlainMessage = {};
  hasSaver = false;
  private collectionSpans: Array<[number, number]> = [];
  private objectGraphSpan: [number, number] | undefined;
  private objectGraphCache: PlainMessage | undefined;
  private collectionsCache: Record<string, PlainMessage> | undefined;

  constructor(readonly index: number, private readonly doc: SavedModelDoc, nodeDef: NodeFields) {
    this.graph = new NodeTable(doc.bytes, nodeDef);
  }

  get path(): ElementPath {
    return [{ field: 'meta_graphs', index: this.index }];
  }

  get tensorflowVersion(): string {
    return str(this.metaInfo.tensorflow_version);
  }

  /** TF2 models carry a SavedObjectGraph; TF1 ones rely on collections. */
  get objectGraph(): PlainMessage | undefined {
    if (!this.objectGraphSpan) return undefined;
    this.objectGraphCache ??= decodePlain(this.doc.bytes, this.objectGraphSpan[0], this.objectGraphSpan[1], this.doc.schema.message('tensorflow.SavedObjectGraph'));
    return this.objectGraphCache;
  }

  get collections(): Record<string, PlainMessage> {
    if (!this.collectionsCache) {
      const type = this.doc.schema.message('tensorflow.MetaGraphDef.CollectionDefEntry');
      const out: Record<string, PlainMessage> = {};
      for (const [s, e] of this.collectionSpans) {
        const entry = decodePlain(this.doc.bytes, s, e, type);
        out[str(entry.key)] = msg(entry.value);
      }
      this.collectionsCache = out;
    }
    return this.collectionsCache;
  }

  addCollection(start: number, end: number): void {
    this.collectionSpans.push([start, end]);
  }

  setObjectGraph(start: number, end: number): void {
    this.objectGraphSpan = [start, end];
  }

  /** Serving-relevant signatures: keys starting with `__` are internal (e.g. __saved_model_init_op). */
  get clientSignatures(): Signature[] {
    return this.signatures.filter((s) => !s.key.startsWith('__'));
  }
}

export interface SavedModelDoc {
  readonly bytes: Uint8Array;
  readonly schema: Schema;
  schemaVersion: number;
  readonly metaGraphs: MetaGraph[];
}

const F = { node: 0, library: 0, function: 0 };

/** The NodeDef spans the wire walk recorded (nodeSpanRequest), and how far the decoder has used them. */
class RecordedNodes {
  private next = 0;
  constructor(private readonly spans: MessageSpans | undefined) {}

  /** Add the NodeDef at [start, end) to table, from its record when the walk made one. */
  add(table: NodeTable, start: number, end: number): void {
    const k = this.spans ? this.spans.find(start, this.next) : -1;
    if (k < 0) return table.add(start, end);
    table.addRecorded(this.spans as MessageSpans, k);
    this.next = k + 1;
  }
}

/**
 * Decode a binary SavedModel. Throws WireError on malformed bytes. With the spans of a wire walk
 * made with nodeSpanRequest, nodes are not read again.
 */
export function decodeSavedModel(bytes: Uint8Array, nodeSpans?: MessageSpans): SavedModelDoc {
  const schema = loadSchema();
  const doc: SavedModelDoc = { bytes, schema, schemaVersion: 0, metaGraphs: [] };
  const recorded = new RecordedNodes(nodeSpans);
  const nodeDef = nodeFields(schema.message('tensorflow.NodeDef'));
  const top = schema.message('tensorflow.SavedModel');
  forFields(bytes, 0, bytes.length, (f) => {
    const info = top.byNumber.get(f.number);
    if (info?.name === 'saved_model_schema_version' && f.wireType === 0) doc.schemaVersion = new WireReader(bytes, f.start, f.end).varint();
    else if (info?.name === 'meta_graphs' && f.wireType === 2) {
      const mg = new MetaGraph(doc.metaGraphs.length, doc, nodeDef);
      readMetaGraph(doc, mg, f.start, f.end, recorded);
      doc.metaGraphs.push(mg);
    }
  });
  return doc;
}

function forFields(buf: Uint8Array, start: number, end: number, fn: (f: RawField) => void): void {
  const r = new WireReader(buf, start, end);
  const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
  while (!r.atEnd()) {
    r.next(f);
    fn(f);
  }
}

function fieldName(type: MessageInfo, f: RawField): string | undefined {
  const info = type.byNumber.get(f.number);
  return info && info.wireType === f.wireType ? info.name : undefined;
}

function readMetaGraph(doc: SavedModelDoc, mg: MetaGraph, start: number, end: number, recorded: RecordedNodes): void {
  const { schema, bytes } = doc;
  const type = schema.message('tensorflow.MetaGraphDef');
  forFields(bytes, start, end, (f) => {
    switch (fieldName(type, f)) {
      case 'meta_info_def':
        mg.metaInfo = decodePlain(bytes, f.start, f.end, schema.message('tensorflow.MetaGraphDef.MetaInfoDef'), { skip: new Set(['stripped_op_list']) });
        mg.tags.push(...list(mg.metaInfo.tags).map((t) => String(t)));
        break;
      case 'graph_def': readGraph(doc, mg, f.start, f.end, recorded); break;
      case 'saver_def': mg.hasSaver = true; break;
      case 'collection_def': mg.addCollection(f.start, f.end); break;
      case 'signature_def': mg.signatures.push(readSignature(schema, bytes, f, mg.index)); break;
      case 'asset_file_def': {
        const a = decodePlain(bytes, f.start, f.end, schema.message('tensorflow.AssetFileDef'));
        mg.assetFiles.push({ tensorName: str(msg(a.tensor_info).name), filename: str(a.filename) });
        break;
      }
      case 'object_graph_def': mg.setObjectGraph(f.start, f.end); break;
    }
  });
  mg.signatures.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function readGraph(doc: SavedModelDoc, mg: MetaGraph, start: number, end: number, recorded: RecordedNodes): void {
  const graphType = doc.schema.message('tensorflow.GraphDef');
  if (!F.node) {
    F.node = (graphType.byName.get('node') as FieldInfo).number;
    F.library = (graphType.byName.get('library') as FieldInfo).number;
    F.function = (doc.schema.message('tensorflow.FunctionDefLibrary').byName.get('function') as FieldInfo).number;
  }
  forFields(doc.bytes, start, end, (f) => {
    if (f.wireType !== 2) return;
    if (f.number === F.node) recorded.add(mg.graph, f.start, f.end);
    else if (f.number === F.library) {
      forFields(doc.bytes, f.start, f.end, (g) => {
        if (g.number === F.function && g.wireType === 2) {
          const fn = readFunction(doc, g.start, g.end, mg.functions.size, mg.index, recorded);
          mg.functions.set(fn.name, fn);
        }
      });
    }
  });
}

function readFunction(doc: SavedModelDoc, start: number, end: number, index: number, mgIndex: number, recorded: RecordedNodes): FunctionInfo {
  const { schema, bytes } = doc;
  const type = schema.message('tensorflow.FunctionDef');
  const nodes = new NodeTable(bytes, nodeFields(schema.message('tensorflow.NodeDef')));
  let name = '';
  const inputArgs: string[] = [];
  const ret: Record<string, string> = {};
  const retEntry = schema.message('tensorflow.FunctionDef.RetEntry');
  forFields(bytes, start, end, (f) => {
    switch (fieldName(type, f)) {
      case 'signature': {
        const sig = decodePlain(bytes, f.start, f.end, schema.message('tensorflow.OpDef'), { skip: new Set(['attr', 'output_arg', 'control_output']) });
        name = str(sig.name);
        for (const a of msgList(sig.input_arg)) inputArgs.push(str(a.name));
        break;
      }
      case 'node_def': recorded.add(nodes, f.start, f.end); break;
      case 'ret': {
        const e = decodePlain(bytes, f.start, f.end, retEntry);
        ret[str(e.key)] = str(e.value);
        break;
      }
    }
  });
  const path: ElementPath = [{ field: 'meta_graphs', index: mgIndex }, { field: 'graph_def' }, { field: 'library' }, { field: 'function', index }];
  return { name, nodes, ret, inputArgs, path };
}

function readSignature(schema: Schema, bytes: Uint8Array, f: RawField, mgIndex: number): Signature {
  const entry = decodePlain(bytes, f.start, f.end, schema.message('tensorflow.MetaGraphDef.SignatureDefEntry'));
  const key = str(entry.key);
  const def = msg(entry.value);
  const path: ElementPath = [{ field: 'meta_graphs', index: mgIndex }, { field: 'signature_def', key }];
  const specs = (field: 'inputs' | 'outputs'): TensorSpec[] =>
    entries(def[field])
      .map(([k, v]) => tensorSpec(k, v, [...path, { field, key: k }]))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { key, method: str(def.method_name), inputs: specs('inputs'), outputs: specs('outputs'), path };
}

export function tensorSpec(key: string, info: PlainMessage, path: ElementPath): TensorSpec {
  const encoding = info.name !== undefined ? 'name' : info.coo_sparse ? 'coo_sparse' : info.composite_tensor ? 'composite_tensor' : 'none';
  const dtype = typeof info.dtype === 'string' ? info.dtype : `DT_${String(info.dtype ?? 'INVALID')}`;
  return { key, name: info.name !== undefined ? str(info.name) : undefined, dtype, shape: shapeOf(info.tensor_shape), encoding, path };
}

export function shapeOf(v: PlainMessage[string]): Shape {
  const s = msg(v);
  if (v === undefined || s.unknown_rank === true) return { dims: undefined };
  return { dims: msgList(s.dim).map((d) => num(d.size)) };
}

export function formatShape(shape: Shape): string {
  if (!shape.dims) return '<unknown rank>';
  return `(${shape.dims.map((d) => (d < 0 ? '-1' : String(d))).join(', ')}${shape.dims.length === 1 ? ',' : ''})`;
}

export function nodeNameOf(tensor: TensorName): string {
  const t = tensor.startsWith('^') ? tensor.slice(1) : tensor;
  const colon = t.indexOf(':');
  return colon < 0 ? t : t.slice(0, colon);
}

