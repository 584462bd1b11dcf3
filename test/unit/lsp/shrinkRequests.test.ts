// The editor's Export Smaller Serving Copy over the real protocol: the estimates the quick pick
// shows, and the shrink itself (a proven copy, a markdown report; a non-empty folder is refused
// until the user confirms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useServer } from './lspClient';
import { fileUri, writeBinaryModelDir } from './models';
import { ShrinkResult, shrinkEstimatesRequest, shrinkRequest } from '../../../server/src/protocol';
import { convWithAdam } from '../shrink/fixtures';

const server = useServer();

test('estimates: without the unused slots, float16 and 8-bit smaller still; the limit named', async () => {
  const pb = writeBinaryModelDir(server.tempDir('shrink-est'), convWithAdam());
  const r = await server.client.connection.sendRequest(shrinkEstimatesRequest, { uri: fileUri(pb) });
  assert.ok(!('error' in r), JSON.stringify(r));
  if ('error' in r) return;
  const by = Object.fromEntries(r.estimates.map((e) => [e.weights, e.bytes]));
  assert.ok(by.keep < r.currentBytes / 2, `${by.keep} of ${r.currentBytes}`);
  assert.ok(by.float16 < by.keep && by.int8 < by.float16, JSON.stringify(by));
  assert.equal(r.limitBytes, 500_000_000);
  assert.match(r.limitName, /MLS1/);
});

test('shrink: a proven copy with the size and answer tables; a non-empty folder needs overwrite', async () => {
  const dir = server.tempDir('shrink-run');
  const pb = writeBinaryModelDir(path.join(dir, 'model'), convWithAdam());
  const output = path.join(dir, 'copy');
  const send = (overwrite: boolean): Promise<ShrinkResult> => server.client.connection.sendRequest(shrinkRequest, { uri: fileUri(pb), weights: 'int8', output, overwrite });
  const r = await send(false);
  assert.ok(r.ok, JSON.stringify(r));
  if (!r.ok) return;
  assert.equal(r.proven, true);
  assert.match(r.markdown, /^# Smaller serving copy: OK/);
  assert.match(r.markdown, /## Size\n\n\| part \| before \| after \|/);
  assert.match(r.markdown, /\| serving_default \| probabilities \| [^|]+ \| [^|]+ \| [^|]+ \| 4\/4 \| ok \|/);
  assert.deepEqual(fs.readdirSync(output), ['saved_model.pb']);
  const again = await send(false);
  assert.deepEqual(again, { ok: false, exists: true, message: `${output} exists and is not empty` });
  assert.equal((await send(true)).ok, true);
});
