// npm test: every test level. Unit and language-server tests (node's test runner over the real
// server process), then the editor tests in a real VS Code (code-server + Chromium), which install
// their tools on first use. `--unit` runs only the first level.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const find = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
  const p = path.join(dir, e.name);
  return e.isDirectory() ? find(p) : e.name.endsWith('.test.ts') ? [p] : [];
});
const files = find(path.join(root, 'test', 'unit')).sort();
const unit = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--import', 'tsx', ...files], { stdio: 'inherit', cwd: root });
let status = unit.status ?? 1;
if (!process.argv.includes('--unit')) {
  const editor = spawnSync('bash', [path.join(root, 'test', 'harness', 'run-editor-tests.sh'), '--no-build'], { stdio: 'inherit', cwd: root });
  status = status || (editor.status ?? 1);
}
process.exit(status);
