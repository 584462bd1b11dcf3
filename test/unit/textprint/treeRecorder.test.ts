// The parse tree the printer records as it writes (treeRecorder.ts) is the tree parseText gives for
// the same text: every occurrence's field and ranges, every value's kind, range and decoded value,
// on every corpus model, whole and with bytes elided as the editor's decoded view elides them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { printText, printTextWithTree, PrintOptions } from '../../../server/src/core/textprint/textPrinter';
import { parseText } from '../../../server/src/core/textformat/textParser';
import type { TextMessage, TextValue } from '../../../server/src/core/textformat/textTree';
import { corpusMissing, corpusModels } from '../../helpers/corpus';
import { ByteWriter } from '../../../server/src/core/protobuf/byteWriter';
import { attrType, encodeSavedModel, metaGraph, nodeDef, placeholder, savedModel, tensorInfo } from '../../../server/src/core/savedmodel/modelBuilder';

/** Compares two trees field by field; returns how many occurrences it compared. */
function sameMessage(recorded: TextMessage, parsed: TextMessage, where: string): number {
  assert.equal(recorded.type, parsed.type, `${where}: type`);
  assert.equal(recorded.start, parsed.start, `${where}: start`);
  assert.equal(recorded.end, parsed.end, `${where}: end`);
  assert.equal(recorded.any, parsed.any, `${where}: an Any expansion`);
  const rf = recorded.fields;
  const pf = parsed.fields;
  assert.equal(rf.length, pf.length, `${where}: number of fields`);
  let count = 0;
  for (let i = 0; i < rf.length; i++) {
    const at = `${where}.${pf[i].info.name}@${pf[i].nameStart}`;
    assert.equal(rf[i].info, pf[i].info, `${at}: field`);
    assert.equal(rf[i].nameStart, pf[i].nameStart, `${at}: name start`);
    assert.equal(rf[i].nameEnd, pf[i].nameEnd, `${at}: name end`);
    assert.equal(rf[i].end, pf[i].end, `${at}: end`);
    assert.equal(rf[i].values.length, pf[i].values.length, `${at}: number of values`);
    rf[i].values.forEach((v, k) => { count += sameValue(v, pf[i].values[k], at); });
    count++;
  }
  return count;
}

function sameValue(recorded: TextValue, parsed: TextValue, where: string): number {
  assert.equal(recorded.kind, parsed.kind, `${where}: kind`);
  if (recorded.kind === 'message' && parsed.kind === 'message') return sameMessage(recorded, parsed, where);
  assert.equal(recorded.start, parsed.start, `${where}: value start`);
  assert.equal(recorded.end, parsed.end, `${where}: value end`);
  if (recorded.kind === 'scalar' && parsed.kind === 'scalar') assert.deepEqual(recorded.value, parsed.value, `${where}: value`);
  return 0;
}

const VIEWS: PrintOptions[] = [{}, { elideBytesOver: 64 }, { elideBytesOver: 64, elideRepeatedOver: 100 }];

for (const opts of VIEWS) {
  test(`the recorded tree is the parsed tree on every corpus model (${JSON.stringify(opts)})`, { skip: corpusMissing() }, () => {
    let models = 0;
    let occurrences = 0;
    for (const [name, file] of corpusModels('.pb')) {
      const pb = fs.readFileSync(file);
      const printed = printTextWithTree(pb, 'tensorflow.SavedModel', opts);
      assert.equal(printed.bytes.toString('latin1'), printText(pb, 'tensorflow.SavedModel', opts), `${name}: the same text as printText`);
      const parsed = parseText(printed.bytes);
      assert.deepEqual(parsed.errors, [], `${name}: the printed text parses`);
      assert.ok(printed.root, `${name}: a tree was recorded (no unknown fields)`);
      occurrences += sameMessage(printed.root, parsed.root, name);
      models++;
    }
    assert.ok(models >= 10, `only ${models} corpus models`);
    assert.ok(occurrences > 10_000, `only ${occurrences} occurrences compared`);
  });
}

test('a text with unknown fields records no tree: the parser reports them, so it is parsed instead', () => {
  const model = encodeSavedModel(savedModel([metaGraph({
    tags: ['serve'], nodes: [placeholder('x', 'DT_FLOAT', [-1, 2])],
    signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, 2]) }, outputs: {} } },
  })]));
  const w = new ByteWriter();
  w.tag(99, 0);
  w.varint(7);
  const withUnknown = Buffer.concat([model, w.bytes()]);
  const printed = printTextWithTree(withUnknown);
  assert.equal(printed.root, undefined);
  assert.equal(printed.bytes.toString('latin1'), printText(withUnknown));
  assert.match(printed.bytes.toString('latin1'), /^99: 7$/m);
  assert.ok(printTextWithTree(model).root, 'the same model without the unknown field has its tree');
});

/** A graph of `count` nodes: x, then a chain of Identity nodes. */
function chain(count: number): Uint8Array {
  const nodes = [placeholder('x', 'DT_FLOAT', [-1, 2])];
  for (let i = 1; i < count; i++) nodes.push(nodeDef(`n${i}`, 'Identity', [i === 1 ? 'x' : `n${i - 1}`], { T: attrType('DT_FLOAT') }));
  return encodeSavedModel(savedModel([metaGraph({
    tags: ['serve'], nodes,
    signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, 2]) }, outputs: {} } },
  })]));
}

test('elideRepeatedOver prints the first nodes, then one comment line saying how many more there are', () => {
  const elided = printText(chain(50), 'tensorflow.SavedModel', { elideRepeatedOver: 10 });
  const comment = /^ +# node: 40 more of 50 elided\n/m;
  assert.match(elided, comment);
  // Without the comment, the text is that of the same graph cut to its first 10 nodes.
  assert.equal(elided.replace(comment, ''), printText(chain(10)));
  assert.equal(printText(chain(10), 'tensorflow.SavedModel', { elideRepeatedOver: 10 }), printText(chain(10)), 'not over: all printed');
  const printed = printTextWithTree(chain(50), 'tensorflow.SavedModel', { elideRepeatedOver: 10 });
  assert.ok(printed.root);
  sameMessage(printed.root, parseText(printed.bytes).root, 'chain');
});
