// Which text documents get SavedModel diagnostics (the treatAllPbtxtAsSavedModel setting).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSavedModelDocument } from '../../../server/src/lsp/documentAnalysis';

const labelMap = 'item {\n  name: "/m/01g317"\n  id: 1\n}\n';

test('saved_model.pbtxt and decoded views always are', () => {
  assert.ok(isSavedModelDocument('file:///m/saved_model.pbtxt', labelMap, false));
  assert.ok(isSavedModelDocument('savedmodel-pb:///m/saved_model.pb', '', false));
});

test('another .pbtxt is one when it declares it, by its fields or a proto-message header', () => {
  assert.ok(isSavedModelDocument('file:///m/export.pbtxt', '# exported\nsaved_model_schema_version: 1\nmeta_graphs {\n}\n', false));
  assert.ok(isSavedModelDocument('file:///m/x.textproto', 'meta_graphs {\n}\n', false));
  assert.ok(isSavedModelDocument('file:///m/x.textproto', '# proto-file: saved_model.proto\n# proto-message: tensorflow.SavedModel\n', false));
  assert.ok(!isSavedModelDocument('file:///m/label_map.pbtxt', labelMap, false));
  assert.ok(!isSavedModelDocument('file:///m/pipeline.config.pbtxt', 'model {\n  ssd {\n  }\n}\n', false));
});

test('with the setting on, every pbtxt is', () => {
  assert.ok(isSavedModelDocument('file:///m/label_map.pbtxt', labelMap, true));
});
