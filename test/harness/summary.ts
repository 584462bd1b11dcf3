// Pass/fail counts that each runner writes, so run-editor-tests.sh can print one total.
import * as fs from 'node:fs';

export interface SuiteSummary {
  passed: number;
  failed: number;
}

/** Counts written by the extension-host suite; a suite that never reported counts as one failure. */
export function readSuiteResults(file: string, exitCode: number): SuiteSummary {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SuiteSummary>;
    if (typeof r.passed === 'number' && typeof r.failed === 'number') {
      return { passed: r.passed, failed: exitCode !== 0 && r.failed === 0 ? 1 : r.failed };
    }
  } catch {
    // no results file: the suite did not load or the extension host died
  }
  return { passed: 0, failed: 1 };
}

export function writeSummary(file: string, summary: SuiteSummary): void {
  fs.writeFileSync(file, `${JSON.stringify(summary)}\n`);
}
