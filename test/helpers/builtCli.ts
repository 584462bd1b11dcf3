// The built CLI (dist/cli.js) run as a user runs it, for the tests of exit codes and output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface CliRun { status: number | null; stdout: string; stderr: string }

export function cli(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Builds dist/ when a test runs before any build. */
export function ensureBuilt(): void {
  if (fs.existsSync(CLI)) return;
  const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
}
