// package.json's `contributes` against the code: command ids and titles, the settings and their
// defaults, the rule ids, activation, the custom editor, and the engine the language client needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../../client/src/commandIds';
import { DEFAULT_SETTINGS, DECODED_SCHEME } from '../../../server/src/protocol';
import { RULES } from '../../../server/src/core/rules/index';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Manifest {
  main: string;
  icon: string;
  engines: { vscode: string };
  activationEvents: string[];
  scripts: Record<string, string>;
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    configuration: { properties: Record<string, { default: unknown; properties?: Record<string, { enum: string[] }> }> };
    customEditors: Array<{ viewType: string; selector: Array<{ filenamePattern: string }>; priority: string }>;
    views: Record<string, Array<{ id: string }>>;
    viewsContainers: { activitybar: Array<{ id: string }> };
    menus: Record<string, Array<{ command?: string; when?: string }>>;
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const contributed = manifest.contributes.commands;

test('every command id in the code is contributed, and every contributed one is in the code', () => {
  assert.deepEqual(contributed.map((c) => c.command).sort(), Object.values(COMMANDS).sort());
});

test('the model commands show in the palette as "SavedModel: ..."', () => {
  const hidden = new Set((manifest.contributes.menus.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
  const model = contributed.filter((c) => c.command !== COMMANDS.showOutput && !hidden.has(c.command));
  assert.deepEqual(model.map((c) => `${c.category}: ${c.title}`).sort(), [
    'SavedModel: Check for Deployment', 'SavedModel: Export Serving Copy', 'SavedModel: Export Smaller Serving Copy…', 'SavedModel: Export as Binary',
    'SavedModel: Export as Text', 'SavedModel: Refresh Models', 'SavedModel: Run GPU Prediction Smoke Test',
    'SavedModel: Show Full Decoded Text', 'SavedModel: Show Summary',
  ]);
  assert.deepEqual([...hidden], [COMMANDS.reveal]);
});

// Settings only the client reads (the server never sees them).
const CLIENT_ONLY_SETTINGS = ['pythonPath'];

test('the settings are LensSettings (plus the client-only ones), with the same defaults', () => {
  const props = manifest.contributes.configuration.properties;
  const keys = Object.keys(props).map((k) => k.replace(/^savedmodelLens\./, '')).filter((k) => !CLIENT_ONLY_SETTINGS.includes(k)).sort();
  assert.deepEqual(keys, Object.keys(DEFAULT_SETTINGS).sort());
  for (const [k, v] of Object.entries(DEFAULT_SETTINGS)) assert.deepEqual(props[`savedmodelLens.${k}`].default, v, k);
});

test('savedmodelLens.rules names every rule, each with the four severities', () => {
  const rules = manifest.contributes.configuration.properties['savedmodelLens.rules'].properties ?? {};
  assert.deepEqual(Object.keys(rules).sort(), RULES.map((r) => r.id).sort());
  for (const [id, p] of Object.entries(rules)) assert.deepEqual(p.enum, ['off', 'info', 'warning', 'error'], id);
});

test('activation is on the files, the decoded views, the view and the custom editor only', () => {
  const [editor] = manifest.contributes.customEditors;
  assert.deepEqual(manifest.activationEvents.sort(), [
    `onCustomEditor:${editor.viewType}`, `onFileSystem:${DECODED_SCHEME}`, 'onLanguage:pbtxt',
    `onView:${manifest.contributes.views.savedmodelLens[0].id}`, 'workspaceContains:**/saved_model.pb*',
  ].sort());
  assert.deepEqual(editor.selector, [{ filenamePattern: 'saved_model.pb' }]);
  assert.equal(editor.priority, 'default');
});

test('the view lives in the extension\'s activity-bar container', () => {
  assert.deepEqual(Object.keys(manifest.contributes.views), manifest.contributes.viewsContainers.activitybar.map((c) => c.id));
});

test('the engine is at least what vscode-languageclient needs', () => {
  const client = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'vscode-languageclient', 'package.json'), 'utf8')) as { engines: { vscode: string } };
  const minor = (range: string): number => Number(/\^?1\.(\d+)/.exec(range)?.[1]);
  assert.ok(minor(manifest.engines.vscode) >= minor(client.engines.vscode), `${manifest.engines.vscode} < ${client.engines.vscode}`);
});

test('the packaged files: the icon, the bundle entry, and no node_modules', () => {
  assert.ok(fs.existsSync(path.join(ROOT, manifest.icon)));
  assert.equal(manifest.main, './dist/client.js');
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
  assert.equal(ignore.find((l) => l && !l.startsWith('#')), '**', '.vscodeignore must exclude everything first');
  assert.ok(!ignore.some((l) => l.startsWith('!node_modules')), 'node_modules must not ship');
  assert.equal(manifest.scripts.package, 'node scripts/package.mjs');
  const packager = fs.readFileSync(path.join(ROOT, 'scripts', 'package.mjs'), 'utf8');
  assert.match(packager, /'package', '--no-dependencies'/, 'vsce packs without node_modules');
  assert.ok(ignore.includes('!dist/webgpu/**'), 'a platform package ships its WebGPU module');
});
