// Runs the extension-host test suite (the @vscode/test-electron `run()` contract, mocha 11) inside
// code-server's extension host: the project is loaded as the development extension and the suite
// as extensionTestsPath through the URL payload; the browser page only hosts the workbench.
// Usage: node --import tsx test/harness/runExthostTests.ts [--timeout-ms N]   (exit 0 pass, 1 fail)
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { startCodeServer } from './codeServer';
import { launchChromium } from './playwright';
import { FIXTURE_WORKSPACE, PROJECT_ROOT, TEST_OUTPUT, TOOLS_DIR } from './paths';
import { SuiteSummary, readSuiteResults, writeSummary } from './summary';
import { runScript } from './scriptMain';

const SUITE_SRC = path.join(PROJECT_ROOT, 'test', 'exthost', 'suite');
const SUITE_OUT = path.join(PROJECT_ROOT, 'out', 'exthost', 'suite');
// Workbench chatter that says nothing about the tests (the gallery is unreachable offline).
const NOISE = /open-vsx\.org|^Canceled|^\s*(\[AgentHost|\[ChatModelSelection|\[AccountPolicyGate|Resolving connection|Resolved connection|Creating a socket|\[reconnection-grace|\[Service Worker|Updating additional)/;

/** Bundles each test/exthost/suite/*.ts into out/exthost/suite/*.js (vscode and mocha stay external). */
export async function buildSuite(): Promise<void> {
  const entries = fs.readdirSync(SUITE_SRC).filter((f) => f.endsWith('.ts')).map((f) => path.join(SUITE_SRC, f));
  fs.rmSync(SUITE_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries, outdir: SUITE_OUT, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'mocha'], sourcemap: 'inline', logLevel: 'warning',
  });
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const timeoutMs = argValue('--timeout-ms', Number(process.env.EXTHOST_TEST_TIMEOUT_MS ?? 120_000));
  if (!fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'client.js'))) throw new Error('dist/client.js is missing: run npm run build');
  await buildSuite();
  const server = await startCodeServer({ smokeTestDriver: true, label: 'exthost' });
  const resultsFile = path.join(server.runDir, 'results.json');
  const logFile = path.join(server.runDir, 'automation.log');
  const browser = await launchChromium();
  let exitCode = 1;
  try {
    const done = new Promise<number>((resolve) => {
      void browser.page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
        const line = util.format(...(args ?? [])); // mocha prints printf-style ('%s')
        fs.appendFileSync(logFile, `[${type}] ${line}\n`);
        if (!NOISE.test(line)) (type === 'error' ? console.error : console.log)(line);
      });
      void browser.page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const remote = (p: string): string => `vscode-remote://${server.authority}${p}`;
    const env = { SAVEDMODEL_LENS_TOOLS_DIR: TOOLS_DIR, SAVEDMODEL_LENS_TEST_RESULTS: resultsFile, ...(process.env.SAVEDMODEL_LENS_TEST_GREP ? { SAVEDMODEL_LENS_TEST_GREP: process.env.SAVEDMODEL_LENS_TEST_GREP } : {}) };
    const payload = [
      ['extensionDevelopmentPath', remote(PROJECT_ROOT)],
      ['extensionTestsPath', remote(path.join(SUITE_OUT, 'index.js'))],
      ['extensionEnvironment', JSON.stringify(env)],
    ];
    await browser.page.goto(`${server.url}/?folder=${encodeURIComponent(FIXTURE_WORKSPACE)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeout = new Promise<number>((resolve) => setTimeout(() => {
      console.error(`TIMEOUT: no result from the extension host after ${timeoutMs} ms`);
      resolve(1);
    }, timeoutMs).unref());
    exitCode = await Promise.race([done, timeout]) === 0 ? 0 : 1;
  } finally {
    await browser.close();
    await server.stop();
  }
  const summary: SuiteSummary = readSuiteResults(resultsFile, exitCode);
  writeSummary(path.join(TEST_OUTPUT, 'exthost-summary.json'), summary);
  console.log(`extension-host tests: ${summary.passed} passed, ${summary.failed} failed (${Date.now() - t0} ms, logs in ${server.runDir})`);
  return summary.failed === 0 && exitCode === 0 ? 0 : 1;
}

if (require.main === module) runScript(main);
