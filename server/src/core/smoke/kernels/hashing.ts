// String hashing ops. StringToHashBucketStrong: SipHash-2-4 of the bytes under the 128-bit key
// (key[0], key[1]), modulo num_buckets (TensorFlow's doc example: ["Hello", "TF"], 3 buckets,
// key [1, 2] → [2, 0]). StringToHashBucketFast is tfjs's Fingerprint64 (register.ts).

const MASK = (1n << 64n) - 1n;

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK;
}

/** SipHash-2-4 (Aumasson and Bernstein), 64-bit output. */
export function sipHash24(k0: bigint, k1: bigint, data: Uint8Array): bigint {
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = (v0 + v1) & MASK; v1 = rotl(v1, 13n); v1 ^= v0; v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & MASK; v3 = rotl(v3, 16n); v3 ^= v2;
    v0 = (v0 + v3) & MASK; v3 = rotl(v3, 21n); v3 ^= v0;
    v2 = (v2 + v1) & MASK; v1 = rotl(v1, 17n); v1 ^= v2; v2 = rotl(v2, 32n);
  };
  const compress = (m: bigint): void => {
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  };
  const full = data.length - (data.length % 8);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < full; i += 8) compress(view.getBigUint64(i, true));
  let last = BigInt(data.length & 0xff) << 56n;
  for (let i = full; i < data.length; i++) last |= BigInt(data[i]) << BigInt(8 * (i - full));
  compress(last);
  v2 ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  return (v0 ^ v1 ^ v2 ^ v3) & MASK;
}

export function stringToHashBucketStrong(values: readonly Uint8Array[], buckets: number, key: readonly number[]): Int32Array {
  const [k0, k1] = [BigInt.asUintN(64, BigInt(key[0] ?? 0)), BigInt.asUintN(64, BigInt(key[1] ?? 0))];
  return Int32Array.from(values, (v) => Number(sipHash24(k0, k1, v) % BigInt(buckets)));
}
