// The fuzz loop of fuzz.test.ts, run in a worker thread so that a parser stuck in a loop fails the
// test (the worker is stopped) instead of blocking it. Posts a FuzzReport.
import assert from 'node:assert/strict';
import { parentPort, workerData } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseText } from '../../../server/src/core/textformat/textParser';
import { encodeText } from '../../../server/src/core/textformat/textEncoder';
import { TextMessage } from '../../../server/src/core/textformat/textTree';
import { CORPUS_DIR } from '../../helpers/corpus';
import { protocDecode, protocEncode } from '../../helpers/protoc';

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** Rejected texts checked against protoc: one in this many. */
  rejectSample: number;
}

export interface FuzzReport {
  accepted: number;
  rejectedChecked: number;
  slowestMs: number;
  failure?: string;
}
const MODELS = ['tf-legacy2016_half_plus_two_v1ckpt', 'tf-x_plus_y_v2_debuginfo', 'tfjs-times_two_int', 'tf-AssetModule'];
const ALPHABET = Buffer.from('{}[]<>:;,"\'\\#-.+0123456789xefnaTtu_ \n\tabcdz/');
const TOKENS = ['inf', '-nan', '0x1F', '1e5f', '"\\u00e9"', '"\\xff"', "'q'", 'true', 'DT_FLOAT', '[1, 2]', '{ }', '< >',
  '[type.googleapis.com/tensorflow.TensorShapeProto] { }', '9223372036854775808', '-2147483649', '\u00e9', '\u0001'];

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

interface Sample {
  typeName: string;
  text: Buffer;
}

/** Whole small texts and the bodies of their mid-sized messages (with their type), so each protoc run is quick. */
function samplesOf(text: Buffer): Sample[] {
  const out: Sample[] = text.length < 20000 ? [{ typeName: 'tensorflow.SavedModel', text }] : [];
  const visit = (msg: TextMessage): void => {
    for (const f of msg.fields) {
      for (const v of f.values) {
        if (v.kind !== 'message') continue;
        if (!v.type.isMapEntry && v.end - v.start > 200 && v.end - v.start < 3000) {
          out.push({ typeName: v.type.fullName, text: text.subarray(v.start + 1, v.end - 1) });
        }
        visit(v);
      }
    }
  };
  visit(parseText(text).root);
  return out;
}

function mutate(base: Buffer, r: (n: number) => number): Buffer {
  let b = Buffer.from(base);
  const edits = 1 + r(3);
  for (let k = 0; k < edits; k++) {
    const at = r(b.length + 1);
    switch (r(7)) {
      case 0: b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + r(12)))]); break;
      case 1: b = Buffer.concat([b.subarray(0, at), Buffer.from([ALPHABET[r(ALPHABET.length)]]), b.subarray(at)]); break;
      case 2: b = Buffer.concat([b.subarray(0, at), Buffer.from(TOKENS[r(TOKENS.length)]), b.subarray(at)]); break;
      case 3: if (at < b.length) b[at] = ALPHABET[r(ALPHABET.length)]; break;
      case 4: { // duplicate a line
        const s = b.lastIndexOf(10, at - 1) + 1;
        const e = b.indexOf(10, at);
        if (e > s) b = Buffer.concat([b.subarray(0, e + 1), b.subarray(s, e + 1), b.subarray(e + 1)]);
        break;
      }
      case 5: if (at < b.length && b[at] >= 48 && b[at] <= 57) b[at] = 48 + r(10); else b = b.subarray(0, at); break;
      default: if (at < b.length) b[at] = r(256);
    }
  }
  return b;
}

export function run({ cases, seed, rejectSample }: FuzzOptions): FuzzReport {
  const samples = MODELS.flatMap((m) => samplesOf(protocDecode(fs.readFileSync(path.join(CORPUS_DIR, m, 'saved_model.pb'))).stdout));
  assert.ok(samples.length > 50, `${samples.length} samples`);
  const r = rng(seed);
  const report: FuzzReport = { accepted: 0, rejectedChecked: 0, slowestMs: 0 };
  for (let i = 0; i < cases; i++) {
    const { typeName, text: base } = samples[r(samples.length)];
    const text = mutate(base, r);
    const t0 = performance.now();
    const parsed = parseText(text, typeName);
    report.slowestMs = Math.max(report.slowestMs, performance.now() - t0);
    for (const e of parsed.errors) {
      assert.ok(!e.message.startsWith('internal'), `case ${i}: ${e.message}`);
      assert.ok(e.start >= 0 && e.start <= e.end && e.end <= text.length, `case ${i}: range of ${e.message}`);
    }
    if (parsed.errors.length === 0) {
      const theirs = protocEncode(text, typeName);
      assert.ok(theirs.ok, `case ${i}: we accept, protoc rejects (${typeName}): ${theirs.stderr}\n${text.toString()}`);
      assert.ok(Buffer.from(encodeText(parsed.root)).equals(theirs.stdout), `case ${i}: bytes differ (${typeName})\n${text.toString()}`);
      report.accepted++;
    } else if (i % rejectSample === 0) {
      const theirs = protocEncode(text, typeName);
      assert.ok(!theirs.ok, `case ${i}: we reject (${parsed.errors[0].message}), protoc accepts (${typeName})\n${text.toString()}`);
      report.rejectedChecked++;
    }
  }
  return report;
}

function main(): void {
  let report: FuzzReport;
  try {
    report = run(workerData as FuzzOptions);
  } catch (e) {
    report = { accepted: 0, rejectedChecked: 0, slowestMs: 0, failure: (e as Error).message };
  }
  parentPort?.postMessage(report);
}

if (parentPort) main();
