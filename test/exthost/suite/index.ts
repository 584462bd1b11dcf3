// Entry point of the extension-host suite (the `extensionTestsPath` contract shared by
// @vscode/test-electron and our code-server harness): run() resolves when all tests pass.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type MochaType from 'mocha';

type MochaConstructor = typeof MochaType;

/** mocha@11 from the harness's tools folder when given, else from the project's node_modules. */
function loadMocha(): MochaConstructor {
  const toolsDir = process.env.SAVEDMODEL_LENS_TOOLS_DIR;
  const from = toolsDir ? path.join(toolsDir, 'package.json') : __filename;
  return createRequire(from)('mocha') as MochaConstructor;
}

function writeResults(passed: number, failed: number): void {
  const file = process.env.SAVEDMODEL_LENS_TEST_RESULTS;
  if (file) fs.writeFileSync(file, `${JSON.stringify({ passed, failed })}\n`);
}

export function run(): Promise<void> {
  const Mocha = loadMocha();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000 });
  const grep = process.env.SAVEDMODEL_LENS_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passed = runner.stats?.passes ?? 0;
      writeResults(passed, failures);
      console.log(`${passed} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
