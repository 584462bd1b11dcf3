// npm run fuzz [-- --cases N] [--seed S]: the corrupt-model fuzz at full size (10,000 cases by
// default), with the counts the issue's closing note asks for. Exit 1 when anything was found.
import { count, runFuzz, Tally } from './fuzzDriver';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer`);
  return v;
}

function summary(t: Tally, seconds: number): string {
  const lines = [
    `cases: ${t.cases} (${Object.entries(t.byTarget).map(([k, v]) => `${k} ${v}`).join(', ')}); language-server cases: ${t.lspCases}; smoke cases: ${t.smokeCases}`,
    `protoc on the binary mutants: refuses ${t.protocRefused}, accepts ${t.protocAccepted}`,
    `escapes: ${count(t, 'escape')}`,
    `hangs (over 10 s): ${count(t, 'hang')}; slowest command: ${Math.round(t.slowestMs)} ms`,
    `disagreements with protoc (protoc refuses, show/check/export-text call it fine): ${count(t, 'protoc-disagreement')}`,
    `false alarms (protoc decodes it, export-text refuses): ${count(t, 'protoc-false-alarm')}; export-text differing from protoc --decode: ${count(t, 'export-mismatch')}`,
    `exit codes other than 0/1/2: ${count(t, 'exit-code')}; output contract broken: ${count(t, 'contract')}`,
    `data shards: checksum misses ${count(t, 'checksum-miss')}, false alarms ${count(t, 'checksum-false-alarm')}`,
    `exit codes seen: ${Object.entries(t.exitCodes).sort().map(([k, v]) => `${k}: ${v}`).join('; ')}`,
    `time: ${seconds.toFixed(0)} s`,
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  const cases = arg('cases', 10_000);
  const seed = arg('seed', 12);
  const t0 = Date.now();
  const tally = await runFuzz({
    seed, cases, smokeEvery: arg('smoke-every', 50), lspEvery: arg('lsp-every', 10),
    onProgress: (done, t) => {
      if (done % 500 === 0) process.stderr.write(`  ${done}/${cases} cases, ${t.problems.length} problem(s), ${Math.round((Date.now() - t0) / 1000)} s\n`);
    },
  });
  process.stdout.write(`savedmodel-lens fuzz, seed ${seed}\n${summary(tally, (Date.now() - t0) / 1000)}\n`);
  const shown = tally.problems.slice(0, 40);
  for (const p of shown) process.stdout.write(`  [${p.kind}] ${p.message}\n`);
  if (tally.problems.length > shown.length) process.stdout.write(`  … and ${tally.problems.length - shown.length} more\n`);
  return tally.problems.length ? 1 : 0;
}

void main().then((code) => (process.exitCode = code));
