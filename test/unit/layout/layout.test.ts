// The folder tree is the architecture (docs/architecture.md); these tests keep it true: few loose
// files in the core, no import cycles, imports into a core folder go through its index.ts, and no
// layer imports one above it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const core = path.join(root, 'server', 'src', 'core');

interface Import { from: string; to: string; typeOnly: boolean; line: number }

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const sources = [...tsFiles(path.join(root, 'server', 'src')), ...tsFiles(path.join(root, 'client', 'src'))];

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = path.resolve(path.dirname(file), m[2]);
    const resolved = [`${target}.ts`, path.join(target, 'index.ts'), target].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (!resolved) continue;
    const line = text.slice(0, m.index).split('\n').length + 1;
    found.push({ from: file, to: resolved, typeOnly: Boolean(m[1]), line });
  }
  return found;
}

const imports = sources.flatMap(importsOf);
const rel = (p: string): string => path.relative(root, p);

/** The core folder a file belongs to ('' for the loose files), or undefined outside the core. */
function folderOf(file: string): string | undefined {
  if (!file.startsWith(core + path.sep)) return undefined;
  const parts = path.relative(core, file).split(path.sep);
  return parts.length > 1 ? parts[0] : '';
}

test('at most ten source files stay loose in server/src/core', () => {
  const loose = fs.readdirSync(core).filter((f) => f.endsWith('.ts'));
  assert.ok(loose.length <= 10, `loose files: ${loose.join(', ')}`);
});

test('no import cycles in server/src and client/src, type-only imports included', () => {
  const graph = new Map<string, string[]>();
  for (const i of imports) graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === 'open') cycles.push(stack.slice(stack.indexOf(d)).concat(d).map(rel).join(' -> '));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const f of sources) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

// rules/index.ts is the catalogue of rules, not a public face: check/, the CLI and the language
// server use the rule helpers by file.
const NO_FACE = new Set(['rules']);

test('code outside a core folder with an index.ts imports the folder through it', () => {
  const leaks = imports.filter((i) => {
    const folder = folderOf(i.to);
    if (!folder || NO_FACE.has(folder) || folderOf(i.from) === folder) return false;
    const index = path.join(core, folder, 'index.ts');
    return fs.existsSync(index) && i.to !== index;
  });
  assert.deepEqual(leaks.map((i) => `${rel(i.from)}:${i.line} imports ${rel(i.to)}`), []);
});

test('each layer imports only the layers below it', () => {
  // What each folder may import besides itself and the loose helpers.
  const below: Record<string, string[]> = {
    protobuf: [],
    textformat: ['protobuf'],
    // The printer records the parse tree of the text it writes (textformat's store).
    textprint: ['protobuf', 'textformat'],
    checkpoint: ['protobuf'],
    savedmodel: ['protobuf', 'textformat', 'checkpoint'],
  };
  const wrong = imports.filter((i) => {
    const from = folderOf(i.from);
    const to = folderOf(i.to);
    if (from === undefined || !(from in below) || to === undefined || to === '' || to === from) return false;
    return !below[from].includes(to);
  });
  assert.deepEqual(wrong.map((i) => `${rel(i.from)}:${i.line} imports ${rel(i.to)}`), []);
});

test('nothing under server/src but the language server wiring imports vscode', () => {
  const lsp = path.join(root, 'server', 'src', 'lsp');
  const offenders = sources.filter((f) => f.includes(`${path.sep}server${path.sep}src${path.sep}`) && !f.startsWith(lsp))
    .filter((f) => /from\s+['"]vscode['"]/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map(rel), []);
});
