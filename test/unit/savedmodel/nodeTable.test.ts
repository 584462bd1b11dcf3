// NodeTable.hasAttr: which attrs a node sets, from the entries' keys alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSavedModel } from '../../../server/src/core/savedmodel/savedModel';
import { lenField, utf8 } from '../../helpers/wireBytes';
import { constNode, encodeSavedModel, metaGraph, nodeDef, savedModel } from '../../../server/src/core/savedmodel/modelBuilder';

test('hasAttr sees a key after a big tensor value, and only whole keys', () => {
  const weights = constNode('w', 'DT_FLOAT', [256, 256], new Uint8Array(256 * 256 * 4));
  (weights.attr as Record<string, unknown>)._class = { list: { s: [new TextEncoder().encode('loc:@v')] } };
  const bytes = encodeSavedModel(savedModel([metaGraph({ tags: ['serve'], signatures: {}, nodes: [weights, nodeDef('y', 'Identity', ['w'])] })]));
  const g = decodeSavedModel(bytes).metaGraphs[0].graph;
  assert.equal(g.hasAttr(0, '_class'), true);
  assert.equal(g.hasAttr(0, 'value'), true);
  assert.equal(g.hasAttr(0, '_clas'), false);
  assert.equal(g.hasAttr(1, '_class'), false);
});

test('hasAttr reads a map entry whose value comes before its key', () => {
  // NodeDef.attr (5) entry: value (2) first, then key (1).
  const entry = Buffer.concat([lenField(2, lenField(8, utf8('loc:@x'))), lenField(1, utf8('_class'))]);
  const node = Buffer.concat([lenField(1, utf8('n')), lenField(2, utf8('NoOp')), lenField(5, entry)]);
  const bytes = lenField(2, lenField(2, lenField(1, node)));
  const g = decodeSavedModel(bytes).metaGraphs[0].graph;
  assert.equal(g.hasAttr(0, '_class'), true);
});

test('forEachInput names the node of each input, data, control and function-body ones, and -1 for a missing one', () => {
  const nodes = [
    nodeDef('a', 'Placeholder'),
    nodeDef('split', 'Split', ['a']),
    nodeDef('y', 'AddN', ['split:1', '^a', 'split', 'missing', 'split:output:0', 'missing:1']),
  ];
  const bytes = encodeSavedModel(savedModel([metaGraph({ tags: ['serve'], signatures: {}, nodes })]));
  const g = decodeSavedModel(bytes).metaGraphs[0].graph;
  const seen: number[] = [];
  g.forEachInput(2, (j) => seen.push(j));
  assert.deepEqual(seen, [1, 0, 1, -1, 1, -1]);
  const spans: string[] = [];
  g.forEachInputSpan(2, (s, e) => spans.push(Buffer.from(bytes.subarray(s, e)).toString()));
  assert.deepEqual(spans, g.inputs(2));
  assert.equal(g.indexOf('split'), 1);
  assert.equal(g.indexOf('spli'), -1);
});

test('names are decoded when asked for: one by name(i), all by names, UTF-8 included', () => {
  const nodes = [nodeDef('größe', 'Placeholder'), nodeDef('узел/😀', 'Identity', ['größe']), nodeDef('', 'NoOp')];
  const g = decodeSavedModel(encodeSavedModel(savedModel([metaGraph({ tags: ['serve'], signatures: {}, nodes })]))).metaGraphs[0].graph;
  assert.deepEqual([0, 1, 2].map((i) => g.name(i)), ['größe', 'узел/😀', '']);
  assert.deepEqual(g.names, ['größe', 'узел/😀', '']);
  assert.equal(g.name(1), 'узел/😀');
  assert.equal(g.indexOf('узел/😀'), 1);
  const seen: number[] = [];
  g.forEachInput(1, (j) => seen.push(j));
  assert.deepEqual(seen, [0]);
});
