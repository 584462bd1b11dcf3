// Runs the UI tests (test/ui/*.ui.ts, node:test files that drive VS Code in Chromium through
// ./workbench) one file at a time, with a time limit, and writes pass/fail counts.
// Usage: node --import tsx test/harness/runUiTests.ts [--timeout-ms N] [files...]   (exit 0/1)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT, SCREENSHOTS, TEST_OUTPUT } from './paths';
import { SuiteSummary, writeSummary } from './summary';
import { runScript } from './scriptMain';

const UI_DIR = path.join(PROJECT_ROOT, 'test', 'ui');

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function uiFiles(): string[] {
  const given = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--timeout-ms');
  if (given.length > 0) return given.map((f) => path.resolve(f));
  return fs.readdirSync(UI_DIR).filter((f) => f.endsWith('.ui.ts')).sort().map((f) => path.join(UI_DIR, f));
}

/** The totals node's TAP reporter ends with ("# pass N", "# fail N"). */
function tapTotals(tap: string): SuiteSummary | undefined {
  const pass = /^# pass (\d+)$/m.exec(tap);
  const fail = /^# fail (\d+)$/m.exec(tap);
  return pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : undefined;
}

function runNodeTest(files: string[], tapFile: string, timeoutMs: number): Promise<number> {
  const args = ['--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${timeoutMs}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`, ...files];
  return new Promise((resolve) => {
    // detached: on timeout the whole group goes (node --test children, their code-servers, Chromium)
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: 'inherit', detached: true });
    const timer = setTimeout(() => {
      console.error(`TIMEOUT: UI tests still running after ${timeoutMs} ms`);
      try { process.kill(-(child.pid ?? 0), 'SIGKILL'); } catch { /* gone */ }
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const timeoutMs = argValue('--timeout-ms', Number(process.env.UI_TEST_TIMEOUT_MS ?? 300_000));
  const files = uiFiles();
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(TEST_OUTPUT, { recursive: true });
  const tapFile = path.join(TEST_OUTPUT, 'ui.tap');
  fs.rmSync(tapFile, { force: true });
  const code = await runNodeTest(files, tapFile, timeoutMs);
  const totals = fs.existsSync(tapFile) ? tapTotals(fs.readFileSync(tapFile, 'utf8')) : undefined;
  // A run that died before its totals, or failed with none counted, still counts as a failure.
  const summary: SuiteSummary = totals && !(code !== 0 && totals.failed === 0) ? totals : { passed: totals?.passed ?? 0, failed: 1 };
  writeSummary(path.join(TEST_OUTPUT, 'ui-summary.json'), summary);
  console.log(`UI tests: ${summary.passed} passed, ${summary.failed} failed (${Date.now() - t0} ms, screenshots in ${path.relative(PROJECT_ROOT, SCREENSHOTS)})`);
  return summary.failed === 0 && code === 0 ? 0 : 1;
}

if (require.main === module) runScript(main);
