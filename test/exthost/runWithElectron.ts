// Runs the extension-host suite in desktop VS Code through @vscode/test-electron, which downloads
// VS Code at run time: for machines that reach update.code.visualstudio.com (not the offline
// build machines, which use test/harness/runExthostTests.ts and code-server instead).
// Needs: npm run build (dist/) and test/harness/install.sh (mocha@11 in the tools cache).
// Usage: node --import tsx test/exthost/runWithElectron.ts
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from '../harness/runExthostTests';
import { FIXTURE_WORKSPACE, PROJECT_ROOT, TOOLS_DIR } from '../harness/paths';

async function main(): Promise<void> {
  await buildSuite();
  await runTests({
    version: process.env.VSCODE_TEST_VERSION ?? 'stable',
    extensionDevelopmentPath: PROJECT_ROOT,
    extensionTestsPath: path.join(PROJECT_ROOT, 'out', 'exthost', 'suite', 'index.js'),
    launchArgs: [FIXTURE_WORKSPACE, '--disable-extensions', '--disable-workspace-trust'],
    // mocha comes from the harness's tools folder (test/harness/install.sh) unless the env says otherwise.
    extensionTestsEnv: { SAVEDMODEL_LENS_TOOLS_DIR: process.env.SAVEDMODEL_LENS_TOOLS_DIR ?? TOOLS_DIR },
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
