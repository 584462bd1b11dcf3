// CRC32C (Castagnoli), the checksum of LevelDB blocks and TensorFlow checkpoint data, plus the
// mask LevelDB applies to CRCs it stores (a CRC of data that itself contains CRCs is weak).

const POLY = 0x82f63b78; // reflected Castagnoli polynomial

// Slicing-by-4 tables: data shards can be megabytes, and one table lookup per byte is 4x slower.
const TABLES: Uint32Array[] = buildTables(4);

function buildTables(n: number): Uint32Array[] {
  const t0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t0[i] = c >>> 0;
  }
  const tables = [t0];
  for (let j = 1; j < n; j++) {
    const prev = tables[j - 1];
    const t = new Uint32Array(256);
    for (let i = 0; i < 256; i++) t[i] = (prev[i] >>> 8) ^ t0[prev[i] & 0xff];
    tables.push(t);
  }
  return tables;
}

/** Extend `crc` (the CRC32C of some prefix) with `data`, as crc32c::Extend does. */
export function crc32cExtend(crc: number, data: Uint8Array, start = 0, end = data.length): number {
  const [t0, t1, t2, t3] = TABLES;
  let c = ~crc >>> 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    c = t3[c & 0xff] ^ t2[(c >>> 8) & 0xff] ^ t1[(c >>> 16) & 0xff] ^ t0[c >>> 24];
  }
  for (; i < end; i++) c = t0[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC32C of data[start, end). */
export function crc32c(data: Uint8Array, start = 0, end = data.length): number {
  return crc32cExtend(0, data, start, end);
}

const MASK_DELTA = 0xa282ead8;

/** LevelDB's crc32c::Mask: rotate right 15 bits and add a constant. */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}

export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}
