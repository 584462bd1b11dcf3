// npm run demo: show and check the bundled example (examples/half_plus_three) with the built CLI.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const cli = path.join(root, 'dist', 'cli.js');
const example = path.join(root, 'examples', 'half_plus_three');
const run = (args) => {
  console.log(`\n$ savedmodel-lens ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  return r.status ?? 1;
};
const rc = run(['show', example]) || run(['check', example]);
process.exit(rc);
