// Runs the same extension-host suite with @vscode/test-electron, which downloads VS Code: for
// machines that can reach update.code.visualstudio.com (not these). Build first: npm run build,
// then bundle the suite (node --import tsx test/harness/runExthostTests.ts does both and more, or
// call buildSuite()). Usage: node --import tsx test/exthost/runWithElectron.ts
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
