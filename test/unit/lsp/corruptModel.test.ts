// A damaged saved_model.pb in the editor: the decoded view's text and its one diagnostic are the line the CLI
// gives (offset and element path included), and the model tree says "corrupt" instead of showing
// half a model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { decodedTextRequest, modelTreeRequest } from '../../../server/src/protocol';
import { useServer } from './lspClient';
import { decodedUri, fileUri, richModel, writeBinaryModelDir } from './models';
import { loadModel } from '../../../server/src/core/savedmodel/loadModel';

const server = useServer();

/** A binary model cut short inside its graph: protoc refuses it, and so must we. */
function corruptModel(): string {
  const pb = writeBinaryModelDir(server.tempDir('corrupt'), richModel());
  const bytes = fs.readFileSync(pb);
  fs.writeFileSync(pb, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  return pb;
}

test('the decoded view of a damaged .pb: one not-a-savedmodel diagnostic with the CLI\'s line; the tree says corrupt', async () => {
  const pb = corruptModel();
  const loaded = loadModel(pb);
  assert.equal(loaded.ok, false);
  const line = loaded.ok ? '' : loaded.reason;
  assert.match(line, /: not a valid tensorflow\.SavedModel \(.* at byte \d+, in meta_graphs\[0\]/);

  // The decoded view's text is that line too (the client shows it as a comment).
  const decoded = await server.client.connection.sendRequest(decodedTextRequest, { uri: fileUri(pb) });
  assert.deepEqual(decoded, { error: line });

  const uri = decodedUri(pb);
  await server.client.open(uri, `# ${line}\n`);
  const diags = await server.client.diagnostics(uri, 1);
  assert.equal(diags.length, 1, JSON.stringify(diags, null, 1));
  const d = diags[0];
  assert.equal(d.code, 'not-a-savedmodel');
  assert.equal(d.severity, DiagnosticSeverity.Error);
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  assert.ok(message.startsWith(line.replace(pb, 'saved_model.pb')), message);

  const r = await server.client.connection.sendRequest(modelTreeRequest, { uri: fileUri(pb) });
  assert.ok('root' in r, JSON.stringify(r));
  assert.equal(r.root.description, 'corrupt');
  assert.deepEqual(r.root.children, []);
  assert.equal(r.root.tooltip, line);
  await server.client.close(uri);
});
