// One fuzz case through the language server, as the editor drives it: a binary model's decoded
// view (decodedText, then the view opened and its diagnostics), a .pbtxt opened as a document, the
// tree and the check command. Every request must be answered within 10 s and never with a
// JSON-RPC error (a handler that threw), and the server must stay alive.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkRequest, decodedTextRequest, modelTreeRequest } from '../../../server/src/protocol';
import { LspClient } from '../lsp/lspClient';
import { decodedUri, fileUri } from '../lsp/models';
import { HANG_MS, Problem } from './fuzzCase';
import { WrittenCase, describeCase } from './fuzzCases';

class Timeout extends Error {}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Timeout()), ms); })]).finally(() => clearTimeout(timer));
}

export async function lspCase(client: LspClient, c: WrittenCase): Promise<Problem[]> {
  const problems: Problem[] = [];
  const what = `${describeCase(c)} (language server)`;
  const ask = async <T>(name: string, p: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await within(p(), HANG_MS);
    } catch (e) {
      if (e instanceof Timeout) problems.push({ kind: 'hang', message: `${what}: ${name} not answered within ${HANG_MS} ms` });
      else problems.push({ kind: 'escape', message: `${what}: ${name} failed: ${(e as Error).message.slice(0, 300)}` });
      return undefined;
    }
  };
  const modelFile = path.join(c.dir, c.target === 'pbtxt' || (!fs.existsSync(path.join(c.dir, 'saved_model.pb'))) ? 'saved_model.pbtxt' : 'saved_model.pb');
  const uri = fileUri(modelFile);
  if (c.target === 'pbtxt') {
    const text = Buffer.from(c.bytes).toString('utf8');
    await client.open(uri, text);
    await ask('diagnostics of the .pbtxt', () => client.diagnostics(uri, 1, HANG_MS * 2));
    await client.close(uri);
  } else if (c.target === 'pb') {
    const decoded = await ask('decodedText', () => client.connection.sendRequest(decodedTextRequest, { uri }));
    if (decoded && 'text' in decoded) {
      const view = decodedUri(modelFile);
      await client.open(view, decoded.text);
      await ask('diagnostics of the decoded view', () => client.diagnostics(view, 1, HANG_MS * 2));
      await client.close(view);
    }
  }
  await ask('modelTree', () => client.connection.sendRequest(modelTreeRequest, { uri }));
  await ask('check', () => client.connection.sendRequest(checkRequest, { uri }));
  return problems;
}
