/// <reference types="mocha" />
// SavedModel: Run GPU Prediction Smoke Test, with its choices given instead of pickers: the
// built-in runtime on the CPU backend (no GPU here), against what the model computes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SmokeResult } from '../../../server/src/protocol';
import { closeAllEditors, fixture, lensApi } from '../helpers';

describe('smoke test command', () => {
  before(async () => {
    await lensApi();
    await closeAllEditors();
  });

  it('runs the serving signature and answers in the service format (y = 0.5·x + 2)', async () => {
    const model = fixture('model_binary/saved_model.pb');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sml-smoke-')), 'request.json');
    fs.writeFileSync(file, JSON.stringify({ instances: [[1], [4], [-2]] }));
    const result = await vscode.commands.executeCommand<SmokeResult>('savedmodelLens.smokeTest', model, {
      signature: 'serving_default', runtime: 'builtin', device: 'cpu', instancesFile: file, runs: 3,
    });
    assert.ok(result, 'the command returned nothing');
    assert.equal(result.status, 'ok', result.markdown);
    assert.deepEqual(JSON.parse(result.response), { predictions: [[2.5], [4], [1]] });
    assert.match(result.markdown, /latency/i);
  });

  it('synthesizes a request from the signature when none is given', async () => {
    const result = await vscode.commands.executeCommand<SmokeResult>('savedmodelLens.smokeTest', fixture('model_binary/saved_model.pb'), {
      signature: 'serving_default', runtime: 'builtin', device: 'cpu', batch: 2, runs: 3,
    });
    assert.ok(result);
    assert.equal(result.status, 'ok', result.markdown);
    const response = JSON.parse(result.response) as { predictions: number[][] };
    assert.equal(response.predictions.length, 2);
    assert.ok(response.predictions.flat().every(Number.isFinite));
  });

  it('a request file with a wrong input name gets the service\'s kind of error, not a crash', async () => {
    const model = fixture('model_binary/saved_model.pb');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sml-smoke-')), 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ instances: [{ nope: [1] }] }));
    const result = await vscode.commands.executeCommand<SmokeResult>('savedmodelLens.smokeTest', model, {
      signature: 'serving_default', runtime: 'builtin', device: 'cpu', instancesFile: file,
    });
    assert.ok(result);
    assert.equal(result.status, 'failed');
    assert.match(result.response, /"error"/);
    assert.match(result.response, /nope/);
  });
});
