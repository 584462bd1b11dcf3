// Regenerate server/src/core/rules/standardOps.json from ../shared/reference/tensorflow-core-ops.txt
// (TensorFlow's standard op names, one a line). The `custom-op` rule needs the list at run time,
// where ../shared is not around, so it ships as data in the bundle. Run: npx tsx scripts/genStandardOps.ts
import * as fs from 'node:fs';
import * as path from 'node:path';

export const STANDARD_OPS_FILE = path.resolve(__dirname, '..', 'server', 'src', 'core', 'rules', 'standardOps.json');

export function referenceOpsFile(): string {
  const shared = process.env.SAVEDMODEL_LENS_SHARED ?? path.resolve(__dirname, '..', '..', 'shared');
  return path.join(shared, 'reference', 'tensorflow-core-ops.txt');
}

/** The op names of the reference file: trimmed, blank lines dropped, sorted bytewise, unique. */
export function parseOpList(text: string): string[] {
  const names = new Set(text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0));
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The JSON array of op names, one a line, as it is committed. */
export function standardOpsSource(ops: readonly string[]): string {
  return `[\n${ops.map((op) => `  ${JSON.stringify(op)}`).join(',\n')}\n]\n`;
}

if (require.main === module) {
  const ops = parseOpList(fs.readFileSync(referenceOpsFile(), 'utf8'));
  fs.writeFileSync(STANDARD_OPS_FILE, standardOpsSource(ops));
  process.stdout.write(`wrote ${ops.length} op names to ${path.relative(process.cwd(), STANDARD_OPS_FILE)}\n`);
}
