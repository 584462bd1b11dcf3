// The wire walk records where each NodeDef and its name and op lie, so the decoder builds node
// tables without a second pass. Decoding with those spans must give the same tables as without.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSchema } from '../../../server/src/core/protobuf/schema';
import { validateWire } from '../../../server/src/core/protobuf/validateWire';
import { lenField, utf8 } from '../../helpers/wireBytes';
import { decodeSavedModel, SavedModelDoc } from '../../../server/src/core/savedmodel/savedModel';
import { nodeFields, nodeSpanRequest } from '../../../server/src/core/savedmodel/nodeTable';
import { encodeSavedModel, metaGraph, nodeDef, placeholder, savedModel } from '../../../server/src/core/savedmodel/modelBuilder';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';

const schema = loadSchema();
const request = nodeSpanRequest(nodeFields(schema.message('tensorflow.NodeDef')));

function walk(bytes: Uint8Array): ReturnType<typeof validateWire> {
  return validateWire(bytes, schema.message('tensorflow.SavedModel'), { spans: request });
}

/** Every node table of a decoded model as plain rows: where each node is, its name and op. */
function tables(doc: SavedModelDoc): unknown[] {
  return doc.metaGraphs.flatMap((mg) => [mg.graph, ...[...mg.functions.values()].map((f) => f.nodes)].map((t) =>
    t.names.map((name, i) => [name, t.ops[i], t.span(i).start, t.span(i).end])));
}

test('the walk records each NodeDef with its name and op, in file order', () => {
  const bytes = encodeSavedModel(savedModel([metaGraph({
    tags: ['serve'], signatures: {},
    nodes: [placeholder('x', 'DT_FLOAT', [-1, 2]), nodeDef('y', 'Identity', ['x']), nodeDef('', 'NoOp')],
  })]));
  const spans = walk(bytes).spans;
  assert.ok(spans);
  assert.equal(spans.count, 3);
  const text = (s: number, e: number): string => Buffer.from(bytes.subarray(s, e)).toString();
  const rows = [0, 1, 2].map((k) => spans.data.subarray(k * spans.stride, (k + 1) * spans.stride));
  assert.deepEqual(rows.map((r) => [text(r[2], r[3]), text(r[4], r[5])]), [['x', 'Placeholder'], ['y', 'Identity'], ['', 'NoOp']]);
  assert.ok(rows[0][1] <= rows[1][0] && rows[1][1] <= rows[2][0]);
});

test('a repeated name field: the last one counts, as the parser keeps it', () => {
  const node = Buffer.concat([lenField(1, utf8('first')), lenField(2, utf8('Const')), lenField(1, utf8('second'))]);
  // SavedModel.meta_graphs (2) → MetaGraphDef.graph_def (2) → GraphDef.node (1).
  const bytes = lenField(2, lenField(2, lenField(1, node)));
  const walked = walk(bytes);
  assert.ok(walked.ok, walked.error?.message);
  const doc = decodeSavedModel(bytes, walked.spans);
  assert.deepEqual([doc.metaGraphs[0].graph.names, doc.metaGraphs[0].graph.ops], [['second'], ['Const']]);
  assert.deepEqual(tables(doc), tables(decodeSavedModel(bytes)));
});

test('a file the walk refuses gives no spans', () => {
  const bytes = encodeSavedModel(savedModel([metaGraph({ tags: ['serve'], signatures: {}, nodes: [nodeDef('y', 'Identity')] })]));
  const cut = bytes.subarray(0, bytes.length - 3);
  const walked = walk(cut);
  assert.equal(walked.ok, false);
  assert.equal(walked.spans, undefined);
});

test('every corpus model: node tables from the spans equal those read node by node', { skip: corpusMissing() }, () => {
  let checked = 0;
  for (const name of fs.readdirSync(CORPUS_DIR)) {
    const file = path.join(CORPUS_DIR, name, 'saved_model.pb');
    if (!fs.existsSync(file)) continue;
    const bytes = fs.readFileSync(file);
    const walked = walk(bytes);
    if (!walked.ok) continue;
    assert.deepEqual(tables(decodeSavedModel(bytes, walked.spans)), tables(decodeSavedModel(bytes)), name);
    checked++;
  }
  assert.ok(checked > 0, 'no corpus model was walked');
});
