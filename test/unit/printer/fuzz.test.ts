// Mutated corpus files (truncations, bit flips, corrupted lengths): the printer and protoc either
// both reject, or both accept with identical text. The printer may only throw WireError, and must
// finish quickly on every input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ByteWriter } from '../../../server/src/core/byteWriter';
import { protoDir, protoFiles } from '../../../server/src/core/schema';
import { WireReader, type RawField } from '../../../server/src/core/wire';
import { corpusMissing, corpusModels } from '../../helpers/corpus';
import { protocMissing } from '../../helpers/protoc';
import { ours, type Outcome } from './oracle';
import { rng } from './build';

const skip = corpusMissing() ?? protocMissing();
const CASES_PER_KIND = 700;
const PARALLEL = 4;
const MAX_SOURCE_BYTES = 40_000;

interface Mutant {
  label: string;
  bytes: Uint8Array;
}

/** Offsets of every length prefix, found by walking fields that parse as nested messages. */
function lengthPrefixes(buf: Uint8Array): Array<{ at: number; size: number; value: number }> {
  const out: Array<{ at: number; size: number; value: number }> = [];
  const walk = (start: number, end: number, depth: number): boolean => {
    const r = new WireReader(buf, start, end);
    const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
    const found: typeof out = [];
    try {
      while (!r.atEnd()) {
        r.next(f);
        if (f.wireType !== 2) continue;
        const tagLen = new WireReader(buf, f.tagStart, end);
        tagLen.varint();
        found.push({ at: tagLen.pos, size: f.start - tagLen.pos, value: f.end - f.start });
        if (depth < 30 && f.end > f.start) walk(f.start, f.end, depth + 1);
      }
    } catch {
      return false;
    }
    out.push(...found);
    return true;
  };
  walk(0, buf.length, 0);
  return out;
}

function mutants(sources: Array<[string, Uint8Array]>): Mutant[] {
  const random = rng(20240601);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const out: Mutant[] = [];
  for (let i = 0; i < CASES_PER_KIND; i++) {
    const [name, src] = pick(sources);
    const cut = Math.floor(random() * src.length);
    out.push({ label: `${name} truncated at ${cut}`, bytes: src.subarray(0, cut) });
  }
  for (let i = 0; i < CASES_PER_KIND; i++) {
    const [name, src] = pick(sources);
    const bytes = src.slice();
    const flips: number[] = [];
    for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
      const bit = Math.floor(random() * bytes.length * 8);
      bytes[bit >> 3] ^= 1 << (bit & 7);
      flips.push(bit);
    }
    out.push({ label: `${name} bits ${flips.join(',')} flipped`, bytes });
  }
  const prefixes = new Map(sources.map(([name, src]) => [name, lengthPrefixes(src)]));
  for (let i = 0; i < CASES_PER_KIND; i++) {
    const [name, src] = pick(sources);
    const p = pick(prefixes.get(name) ?? []);
    const delta = pick([-3, -2, -1, 1, 2, 3, 64, -64, 1000, -1000]);
    const value = Math.max(0, p.value + delta);
    const w = new ByteWriter(src.length + 16);
    w.raw(src.subarray(0, p.at));
    w.varint(value);
    w.raw(src.subarray(p.at + p.size));
    out.push({ label: `${name} length at ${p.at} ${p.value} -> ${value}`, bytes: w.bytes().slice() });
  }
  return out;
}

/**
 * protoc --decode on every input, run from a shell with xargs: forking this (large) node process
 * once per case costs more than protoc itself. A descriptor set spares parsing the .proto files.
 */
function protocAll(dir: string, inputs: Uint8Array[], type: string): Array<{ ok: boolean; stdout: Buffer }> {
  const ds = path.join(dir, 'schema.desc');
  const made = spawnSync('protoc', [`-I${protoDir()}`, '--include_imports', `--descriptor_set_out=${ds}`, ...protoFiles()], { cwd: protoDir() });
  assert.equal(made.status, 0, made.stderr?.toString());
  inputs.forEach((bytes, i) => fs.writeFileSync(path.join(dir, `${i}.pb`), bytes));
  const protoc = `protoc --descriptor_set_in=${ds} --decode=${type} ${protoFiles().join(' ')}`;
  const script = `ls | grep '\\.pb$' | xargs -P ${PARALLEL} -n 50 sh -c 'for f; do ${protoc} < "$f" > "$f.txt" 2>/dev/null; echo $? > "$f.rc"; done' sh`;
  const run = spawnSync('sh', ['-c', script], { cwd: dir });
  assert.equal(run.status, 0, run.stderr?.toString());
  return inputs.map((_, i) => {
    const base = path.join(dir, `${i}.pb`);
    return { ok: fs.readFileSync(`${base}.rc`, 'utf8').trim() === '0', stdout: fs.readFileSync(`${base}.txt`) };
  });
}

function timedOurs(bytes: Uint8Array, type: string): Outcome {
  const t0 = performance.now();
  const outcome = ours(bytes, type);
  const ms = performance.now() - t0;
  assert.ok(ms < 2000, `printer took ${ms.toFixed(0)} ms`);
  return outcome;
}

test('mutated corpus files: printer and protoc agree on every case', { skip, timeout: 120_000 }, () => {
  const sources: Array<[string, Uint8Array]> = corpusModels()
    .filter(([, p]) => fs.statSync(p).size <= MAX_SOURCE_BYTES)
    .map(([name, p]) => [name, new Uint8Array(fs.readFileSync(p))]);
  assert.ok(sources.length >= 5, 'too few small corpus models');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'printer-fuzz-'));
  try {
    const cases = mutants(sources);
    const expected = protocAll(dir, cases.map((m) => m.bytes), 'tensorflow.SavedModel');
    const disagreements: string[] = [];
    cases.forEach((m, i) => {
      const got = timedOurs(m.bytes, 'tensorflow.SavedModel');
      const exp = expected[i];
      if (exp.ok !== got.ok) disagreements.push(`${m.label}: protoc ${exp.ok ? 'accepts' : 'rejects'}, printer ${got.ok ? 'accepts' : `throws ${got.error.message}`}`);
      else if (got.ok && got.text !== exp.stdout.toString('latin1')) disagreements.push(`${m.label}: texts differ`);
    });
    assert.deepEqual(disagreements.slice(0, 10), [], `${disagreements.length} of ${cases.length} cases disagree`);
    // Both outcomes must be well represented, or the test proves little.
    const accepted = expected.filter((e) => e.ok).length;
    assert.ok(accepted > cases.length / 10 && accepted < cases.length * 0.9, `${accepted} of ${cases.length} accepted`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
