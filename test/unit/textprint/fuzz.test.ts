// Mutated corpus files (truncations, bit flips, corrupted lengths): the printer and protoc either
// both reject, or both accept with identical text. The printer may only throw WireError (ours()
// lets anything else fail the test); a hang would stall this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ByteWriter } from '../../../server/src/core/protobuf/byteWriter';
import { protoDir } from '../../../server/src/core/protobuf/schema';
import { corpusMissing, corpusModels } from '../../helpers/corpus';
import { protocDecode, protocMissing } from '../../helpers/protoc';
import { ours } from './oracle';
import { mulberry32 } from '../../../server/src/core/prng';
import { lengthPrefixes } from '../fuzz/mutate';

const skip = corpusMissing() ?? protocMissing();
// Truncations are nearly always rejected (the root's meta_graphs field spans the file) and each
// rejection costs a protoc run; bit flips are mostly accepted and checked in batches.
const TRUNCATIONS = 300;
const BIT_FLIPS = 1000;
const LENGTH_CHANGES = 700;
const PARALLEL = 4;
const BATCH = 100;
const MAX_SOURCE_BYTES = 40_000;

interface Mutant {
  label: string;
  bytes: Uint8Array;
}

function mutants(sources: Array<[string, Uint8Array]>): Mutant[] {
  const random = mulberry32(20240601);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const out: Mutant[] = [];
  for (let i = 0; i < TRUNCATIONS; i++) {
    const [name, src] = pick(sources);
    const cut = Math.floor(random() * src.length);
    out.push({ label: `${name} truncated at ${cut}`, bytes: src.subarray(0, cut) });
  }
  for (let i = 0; i < BIT_FLIPS; i++) {
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
  for (let i = 0; i < LENGTH_CHANGES; i++) {
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
 * protoc --decode of each file in dir named *.EXT, run from a shell with xargs: forking this
 * (large) node process once per case costs more than protoc itself. Writes NAME.txt and NAME.rc.
 */
function protocFiles(dir: string, ext: string, type: string): void {
  const protoc = `protoc --descriptor_set_in=schema.desc --decode=${type} wrapper.proto`;
  const script = `ls | grep '\\.${ext}$' | xargs -P ${PARALLEL} -n 50 sh -c 'for f; do ${protoc} < "$f" > "$f.txt" 2>/dev/null; echo $? > "$f.rc"; done' sh`;
  const run = spawnSync('sh', ['-c', script], { cwd: dir });
  assert.equal(run.status, 0, run.stderr?.toString());
}

function protocResult(file: string): { ok: boolean; text: string } {
  return { ok: fs.readFileSync(`${file}.rc`, 'utf8').trim() === '0', text: fs.readFileSync(`${file}.txt`, 'latin1') };
}

/** A descriptor set with our schema plus a message holding many SavedModels, one per case. */
function writeSchema(dir: string): void {
  fs.writeFileSync(path.join(dir, 'wrapper.proto'),
    'syntax = "proto3";\nimport "tensorflow/core/protobuf/saved_model.proto";\nmessage FuzzBatch { repeated tensorflow.SavedModel m = 1; }\n');
  const made = spawnSync('protoc', [`-I${dir}`, `-I${protoDir()}`, '--include_imports', '--descriptor_set_out=schema.desc', 'wrapper.proto'], { cwd: dir });
  assert.equal(made.status, 0, made.stderr?.toString());
}

/** What protoc prints for a FuzzBatch holding messages with these texts. */
function batchText(texts: string[]): string {
  return texts.map((t) => `m {\n${t.replace(/^/gm, '  ').replace(/ {2}$/, '')}}\n`).join('');
}

test('mutated corpus files: printer and protoc agree on every case', { skip, timeout: 300_000 }, (t) => {
  const sources: Array<[string, Uint8Array]> = corpusModels()
    .filter(([, p]) => fs.statSync(p).size <= MAX_SOURCE_BYTES)
    .map(([name, p]) => [name, new Uint8Array(fs.readFileSync(p))]);
  assert.ok(sources.length >= 5, 'too few small corpus models');
  const cases = mutants(sources);
  const outcomes = cases.map((m) => ours(m.bytes, 'tensorflow.SavedModel'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'printer-fuzz-'));
  try {
    writeSchema(dir);
    // Cases the printer rejects: protoc must reject each one. Cases it accepts go to protoc in
    // batches, one level deeper (the same parse rules apply there); a batch that disagrees is
    // re-checked case by case to name the culprit.
    const rejected = cases.map((_, i) => i).filter((i) => !outcomes[i].ok);
    const accepted = cases.map((_, i) => i).filter((i) => outcomes[i].ok);
    t.diagnostic(`${cases.length} cases: ${accepted.length} accepted, ${rejected.length} rejected`);
    for (const i of rejected) fs.writeFileSync(path.join(dir, `${i}.pb`), cases[i].bytes);
    const batches: number[][] = [];
    for (let k = 0; k < accepted.length; k += BATCH) batches.push(accepted.slice(k, k + BATCH));
    batches.forEach((batch, b) => {
      const w = new ByteWriter(1 << 20);
      for (const i of batch) { w.tag(1, 2); w.lengthDelimited(cases[i].bytes); }
      fs.writeFileSync(path.join(dir, `${b}.batch`), w.bytes());
    });
    protocFiles(dir, 'pb', 'tensorflow.SavedModel');
    protocFiles(dir, 'batch', 'FuzzBatch');
    const disagreements: string[] = [];
    for (const i of rejected) {
      if (protocResult(path.join(dir, `${i}.pb`)).ok) {
        disagreements.push(`${cases[i].label}: protoc accepts, printer throws ${outcomes[i].ok ? '' : outcomes[i].error.message}`);
      }
    }
    batches.forEach((batch, b) => {
      const texts = batch.map((i) => { const o = outcomes[i]; return o.ok ? o.text : ''; });
      const r = protocResult(path.join(dir, `${b}.batch`));
      if (r.ok && r.text === batchText(texts)) return;
      const before = disagreements.length;
      for (const i of batch) {
        const single = protocDecode(cases[i].bytes);
        const o = outcomes[i];
        if (!single.ok) disagreements.push(`${cases[i].label}: protoc rejects, printer accepts`);
        else if (o.ok && single.stdout.toString('latin1') !== o.text) disagreements.push(`${cases[i].label}: texts differ`);
      }
      if (disagreements.length === before) disagreements.push(`batch ${b} differs from protoc although each of its cases agrees (test bug)`);
    });
    assert.deepEqual(disagreements.slice(0, 10), [], `${disagreements.length} of ${cases.length} cases disagree`);
    // Both outcomes must be well represented, or the test proves little.
    assert.ok(accepted.length > cases.length / 10 && rejected.length > cases.length / 10, `${accepted.length} of ${cases.length} accepted`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
