// SparseCross / SparseCrossHashed (feature columns' crossed_column): for each example, every
// combination of one value from each input column, the last column varying fastest; an example
// with no value in some column has no crosses. As strings, a cross is its values joined with
// "_X_" (TensorFlow's doc example: a, d, f → "a_X_d_X_f"). Hashed, it is
//   h = hash_key; for each value v: h = FingerprintCat64(h, Fingerprint64(v) for strings, v for int64)
// then h mod num_buckets (mod 2^63 - 1 without buckets), as TensorFlow's HashCrosser computes it.
// SparseCrossHashed (HashCrosserV2, keyed columns) has no key: h starts as the first value's hash,
// and an int64 value is hashed too, as TensorFlow does it: the first 4 of its 8 little-endian
// bytes (its kernel takes sizeof the dtype enum); with strong_hash, SipHash-2-4 under the salt
// replaces Fingerprint64.
// Outputs: indices [n, 2] (example, cross number), values, dense_shape [batch, most crosses].
import * as tf from '@tensorflow/tfjs-core';
import { joinBytes } from './stringJoin';
import { sipHash24 } from './hashing';

/** One input column: per example, its values (byte strings or integers). */
export type CrossColumn = ReadonlyArray<ReadonlyArray<Uint8Array | number>>;

export interface Crossed<T> {
  readonly indices: number[];
  readonly values: T[];
  readonly shape: [number, number];
}

const SEPARATOR = new TextEncoder().encode('_X_');
const MASK = (1n << 64n) - 1n;
const K_MUL = 0xc6a4a7935bd1e995n;

export function crossStrings(columns: readonly CrossColumn[], batch: number, separator: Uint8Array = SEPARATOR): Crossed<Uint8Array> {
  return cross(columns, batch, (parts) => joinBytes(parts.map(asBytes), separator));
}

/** How values are hashed: SparseCross's (a key, int64 values as they are) or SparseCrossHashed's. */
export type HashMode = { readonly key: bigint } | { readonly keyed: true; readonly salt?: readonly [bigint, bigint] };

export function crossHashed(columns: readonly CrossColumn[], batch: number, numBuckets: number, mode: HashMode): Crossed<bigint> {
  const hashKey = 'key' in mode ? mode.key : undefined;
  const hash = 'key' in mode ? plainHash : keyedHash(mode.salt);
  return cross(columns, batch, (parts) => {
    let h = hashKey === undefined ? hash(parts[0]) : hashKey & MASK;
    for (const p of hashKey === undefined ? parts.slice(1) : parts) h = fingerprintCat64(h, hash(p));
    return numBuckets > 0 ? h % BigInt(numBuckets) : h % ((1n << 63n) - 1n);
  });
}

function cross<T>(columns: readonly CrossColumn[], batch: number, make: (parts: Array<Uint8Array | number>) => T): Crossed<T> {
  const indices: number[] = [];
  const values: T[] = [];
  let most = 0;
  for (let b = 0; b < batch; b++) {
    const lists = columns.map((c) => c[b] ?? []);
    if (lists.some((l) => l.length === 0)) continue;
    const at = new Array<number>(lists.length).fill(0);
    let count = 0;
    for (let more = true; more; count++) {
      indices.push(b, count);
      values.push(make(lists.map((l, i) => l[at[i]])));
      more = false;
      for (let i = lists.length - 1; i >= 0 && !more; i--) {
        at[i]++;
        if (at[i] < lists[i].length) more = true;
        else at[i] = 0;
      }
    }
    most = Math.max(most, count);
  }
  return { indices, values, shape: [batch, most] };
}

function plainHash(p: Uint8Array | number): bigint {
  return typeof p === 'number' ? BigInt.asUintN(64, BigInt(p)) : fingerprint64(p);
}

function keyedHash(salt: readonly [bigint, bigint] | undefined): (p: Uint8Array | number) => bigint {
  return (p) => {
    const bytes = typeof p === 'number' ? firstFourBytes(p) : p;
    return salt ? sipHash24(salt[0], salt[1], bytes) : fingerprint64(bytes);
  };
}

function firstFourBytes(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
  return b.subarray(0, 4);
}

function shiftMix(v: bigint): bigint {
  return v ^ (v >> 47n);
}

/** TensorFlow's FingerprintCat64 on unsigned 64-bit values. */
export function fingerprintCat64(fp1: bigint, fp2: bigint): bigint {
  let result = fp1 ^ K_MUL;
  result ^= (shiftMix((fp2 * K_MUL) & MASK) * K_MUL) & MASK;
  result = (result * K_MUL) & MASK;
  result = (shiftMix(result) * K_MUL) & MASK;
  return shiftMix(result);
}

/** FarmHash Fingerprint64, as tfjs computes it for StringToHashBucketFast. */
export function fingerprint64(bytes: Uint8Array): bigint {
  const l = tf.util.fingerPrint64(bytes);
  return (BigInt(l.getHighBitsUnsigned()) << 32n) | BigInt(l.getLowBitsUnsigned());
}

function asBytes(p: Uint8Array | number): Uint8Array {
  return typeof p === 'number' ? new TextEncoder().encode(String(p)) : p;
}
