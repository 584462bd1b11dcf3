// The classify/regress request body ({"examples": [...], "context": {...}}) as TensorFlow Serving
// reads it: `5` is an int64 feature and `5.0` a float one, strings and {"b64"} are bytes, context
// features go into every example. Then through tf-half_plus_two's classify signature, where
// the answer is a·x + b, and where `1` instead of `1.0` gets TensorFlow's type error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { examplesRequest } from '../../../../server/src/core/smoke/example/examplesRequest';
import { decodeExample } from '../../../../server/src/core/smoke/example/exampleProto';
import { parseTaggedJson } from '../../../../server/src/core/smoke/example/taggedJson';
import { CORPUS_DIR, corpusMissing } from '../../../helpers/corpus';
import { checkpointFloat, numbers, runBuiltin, succeeded } from '../runHelpers';

function parsed(text: string): Array<Record<string, unknown>> {
  const r = examplesRequest(text);
  if (!r?.ok) assert.fail(r ? r.error : 'not a classify/regress body');
  return r.value.examples.map((e) => Object.fromEntries([...decodeExample(e)].map(([k, f]) => [k, f.kind === 'bytes' ? { kind: f.kind, values: f.values.map((b) => new TextDecoder().decode(b)) } : f])));
}

test('features are typed by how they are written; context goes into every example; the example\'s own wins', () => {
  const ex = parsed('{"signature_name": "classify_x_to_y", "context": {"city": "Chicago", "x": 0.5}, "examples": [{"x": 1.0, "n": 5, "tags": ["a", {"b64": "Yg=="}]}, {"x": [2, 3.5e0]}]}');
  assert.deepEqual(ex[0], { city: { kind: 'bytes', values: ['Chicago'] }, x: { kind: 'float', values: [1] }, n: { kind: 'int64', values: [5] }, tags: { kind: 'bytes', values: ['a', 'b'] } });
  assert.deepEqual(ex[1], { city: { kind: 'bytes', values: ['Chicago'] }, x: { kind: 'float', values: [2, 3.5] } });
  assert.equal(examplesRequest('{"instances": [1]}'), undefined);
});

test('bodies the service refuses say why, naming the feature and the example', () => {
  const error = (t: string): string => {
    const r = examplesRequest(t);
    assert.ok(r && !r.ok, t);
    return r.error;
  };
  assert.match(error('{"examples": [{"x": []}]}'), /feature 'x' of example 0: an empty list has no type/);
  assert.match(error('{"examples": [{"x": 1}, {"x": [1, "a"]}]}'), /feature 'x' of example 1: a list mixes strings and numbers/);
  assert.match(error('{"examples": [{"x": [[1]]}]}'), /in a flat list/);
  assert.match(error('{"examples": [], "x": 1}'), /unknown key\(s\) in the request: x/);
  assert.match(error('{"examples": []}'), /non-empty list/);
});

test('the tagged JSON reader keeps literals apart and refuses what JSON refuses', () => {
  assert.deepEqual(parseTaggedJson('[1, 1.0, 1e0, -0]'), [{ number: 1, integer: true }, { number: 1, integer: false }, { number: 1, integer: false }, { number: -0, integer: true }]);
  for (const bad of ['{"a": 01}', '[1,]', '{"a" 1}', '"\\x"', '[1] 2']) assert.throws(() => parseTaggedJson(bad), /at character/, bad);
});

test('tf-half_plus_two classify_x_to_y answers a classify body; `1` for a float feature is TensorFlow\'s type error', { skip: corpusMissing() }, async () => {
  const dir = path.join(CORPUS_DIR, 'tf-half_plus_two');
  const [a, b] = ['a', 'b'].map((k) => checkpointFloat(dir, k));
  const r = succeeded(await runBuiltin(dir, '{"signature_name": "classify_x_to_y", "examples": [{"x": 1.0}, {"x": 4.0}]}', { signature: 'classify_x_to_y' }));
  assert.deepEqual(numbers(r, 'scores'), [a + b, 4 * a + b]);
  const wrong = await runBuiltin(dir, '{"examples": [{"x": 1}]}', { signature: 'classify_x_to_y' });
  assert.ok(!wrong.ok && wrong.kind === 'bad-request', JSON.stringify(wrong));
  assert.match(wrong.message, /Key: x, Index: 0\. {2}Data types don't match\. Data type: int64 but expected type: float/);
});
