// Hovers over the real protocol: a signature input's bytes per example, a Const node's bytes, the
// directory's size on the first line; on a .pbtxt, on the decoded view of a .pb, on a corpus model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { useServer, positionAtText } from './lspClient';
import { decodedUri, directoryBytes, fileUri, richModel, writeBinaryModelDir, writeTextModelDir } from './models';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { formatBytes } from '../../../server/src/core/units';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';

const server = useServer();

function markdown(h: Hover | null): string {
  assert.ok(h, 'a hover');
  const c = h.contents as MarkupContent;
  assert.equal(c.kind, 'markdown');
  return c.value;
}

/** The same model as .pbtxt and as the decoded view of its .pb. */
async function openBoth(): Promise<Array<{ uri: string; text: string; dir: string }>> {
  const textDir = server.tempDir('hover-text');
  const binDir = server.tempDir('hover-bin');
  const t = writeTextModelDir(textDir, richModel());
  const pb = writeBinaryModelDir(binDir, richModel());
  const views = [
    { uri: fileUri(t.file), text: t.text, dir: textDir },
    { uri: decodedUri(pb), text: printText(fs.readFileSync(pb)), dir: binDir },
  ];
  for (const v of views) await server.client.open(v.uri, v.text);
  return views;
}

test('hover on a signature input gives dtype, shape and bytes per example', async () => {
  for (const v of await openBoth()) {
    const md = markdown(await server.client.hover(v.uri, positionAtText(v.text, 'key: "x"', 6)));
    // float32 (-1, 3): 3 elements of 4 bytes per example.
    assert.match(md, /float32/);
    assert.match(md, /\(-1, 3\)/);
    assert.ok(md.includes(`${formatBytes(3 * 4)} per example`), md);
    assert.ok(md.includes(`${3 * 4} bytes`), md);
  }
});

test('hover on a Const node gives its op, dtype and the bytes of its value', async () => {
  for (const v of await openBoth()) {
    const md = markdown(await server.client.hover(v.uri, positionAtText(v.text, 'name: "w"', 7)));
    assert.match(md, /Const/);
    assert.match(md, /float32/);
    // 3 × 2 float32 values.
    assert.ok(md.includes('6 elements'), md);
    assert.ok(md.includes(formatBytes(6 * 4)), md);
  }
});

test('hover on the first line gives the directory size against the limits', async () => {
  for (const v of await openBoth()) {
    const md = markdown(await server.client.hover(v.uri, { line: 0, character: 3 }));
    assert.ok(md.includes(formatBytes(directoryBytes(v.dir))), `${md}\n(expected ${directoryBytes(v.dir)} bytes)`);
    assert.match(md, /500 MB/);
    assert.match(md, /10 GB/);
  }
});

test('hover on tensor_content gives its element count', async () => {
  for (const v of await openBoth()) {
    const md = markdown(await server.client.hover(v.uri, positionAtText(v.text, 'tensor_content', 3)));
    assert.ok(md.includes('6 elements'), md);
  }
});

test('hover on a corpus .pbtxt: the directory size on line 0, an input tensor below', { skip: corpusMissing() }, async () => {
  const dir = path.join(CORPUS_DIR, 'tf-half_plus_two_pbtxt');
  const file = path.join(dir, 'saved_model.pbtxt');
  const text = fs.readFileSync(file, 'utf8');
  const uri = fileUri(file);
  await server.client.open(uri, text);
  const md = markdown(await server.client.hover(uri, { line: 0, character: 0 }));
  assert.ok(md.includes(formatBytes(directoryBytes(dir))), md);
  // classify_x2_to_y3's input is x2:0, float32 (-1, 1): 4 bytes per example.
  const input = markdown(await server.client.hover(uri, positionAtText(text, 'key: "inputs"', 6)));
  assert.match(input, /x2:0/);
  assert.ok(input.includes(`${formatBytes(4)} per example`), input);
  await server.client.close(uri);
});
