// Seeded mutations of a file's bytes: what a cut upload, a bad disk or a hostile hand does to a
// model. Binary files also get their length prefixes rewritten (found by walking the fields that
// parse as nested messages), text files get token-level damage. Pure: the same seed, the same mutant.
import { WireReader, type RawField } from '../../../server/src/core/protobuf/wire';

export type Random = () => number;

export interface Mutation {
  /** e.g. `bits 812,90 flipped`: enough to replay the case by hand. */
  readonly label: string;
  readonly bytes: Uint8Array;
}

type Mutator = (src: Uint8Array, random: Random) => Mutation;

const int = (random: Random, n: number): number => Math.floor(random() * n);

function bytesOf(random: Random, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => int(random, 256));
}

function splice(src: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length - remove + insert.length);
  out.set(src.subarray(0, at));
  out.set(insert, at);
  out.set(src.subarray(at + remove), at + insert.length);
  return out;
}

const truncate: Mutator = (src, random) => {
  const cut = int(random, src.length);
  return { label: `truncated at ${cut}`, bytes: src.slice(0, cut) };
};

const bitFlips: Mutator = (src, random) => {
  const bytes = src.slice();
  const flips: number[] = [];
  for (let k = 1 + int(random, 4); k > 0 && bytes.length; k--) {
    const bit = int(random, bytes.length * 8);
    bytes[bit >> 3] ^= 1 << (bit & 7);
    flips.push(bit);
  }
  return { label: `bits ${flips.join(',')} flipped`, bytes };
};

const overwrite: Mutator = (src, random) => {
  const at = int(random, src.length);
  const junk = bytesOf(random, Math.min(1 + int(random, 16), src.length - at));
  const bytes = src.slice();
  bytes.set(junk, at);
  return { label: `${junk.length} random bytes at ${at}`, bytes };
};

const hole: Mutator = (src, random) => {
  const at = int(random, src.length);
  const n = Math.min(1 + int(random, 64), src.length - at);
  return { label: `${n} bytes removed at ${at}`, bytes: splice(src, at, n, new Uint8Array(0)) };
};

const insert: Mutator = (src, random) => {
  const at = int(random, src.length + 1);
  const junk = bytesOf(random, 1 + int(random, 16));
  return { label: `${junk.length} random bytes inserted at ${at}`, bytes: splice(src, at, 0, junk) };
};

const duplicate: Mutator = (src, random) => {
  const from = int(random, src.length);
  const n = Math.min(1 + int(random, 128), src.length - from);
  const at = int(random, src.length + 1);
  return { label: `bytes [${from}, ${from + n}) copied to ${at}`, bytes: splice(src, at, 0, src.slice(from, from + n)) };
};

/** Offsets of length prefixes, from the fields that parse as nested messages. */
export function lengthPrefixes(buf: Uint8Array): Array<{ at: number; size: number; value: number }> {
  const out: Array<{ at: number; size: number; value: number }> = [];
  const walk = (start: number, end: number, depth: number): void => {
    const r = new WireReader(buf, start, end);
    const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
    const found: typeof out = [];
    try {
      while (!r.atEnd()) {
        r.next(f);
        if (f.wireType !== 2) continue;
        const tag = new WireReader(buf, f.tagStart, end);
        tag.varint();
        found.push({ at: tag.pos, size: f.start - tag.pos, value: f.end - f.start });
        if (depth < 40 && f.end > f.start) walk(f.start, f.end, depth + 1);
      }
    } catch {
      return; // not a message: its bytes are a string or packed numbers
    }
    out.push(...found);
  };
  walk(0, buf.length, 0);
  return out;
}

function varint(v: number): number[] {
  const out: number[] = [];
  let x = v;
  while (x >= 0x80) {
    out.push((x % 0x80) | 0x80);
    x = Math.floor(x / 0x80);
  }
  out.push(x);
  return out;
}

/** A length prefix made too long, too short, huge, overlong (11 bytes) or unterminated. */
const badLength: Mutator = (src, random) => {
  const prefixes = lengthPrefixes(src);
  if (prefixes.length === 0) return overwrite(src, random);
  const p = prefixes[int(random, prefixes.length)];
  const kinds: Array<[string, number[]]> = [
    ['+1', varint(p.value + 1)],
    ['-1', varint(Math.max(0, p.value - 1))],
    ['+1000', varint(p.value + 1000)],
    ['2^31', varint(2 ** 31)],
    ['2^63', [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]],
    ['overlong', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['unterminated', [0xff, 0xff, 0xff]],
    ['0', [0]],
  ];
  const [name, repl] = kinds[int(random, kinds.length)];
  return { label: `length ${p.value} at ${p.at} set ${name}`, bytes: splice(src, p.at, p.size, Uint8Array.from(repl)) };
};

/** A field tag rewritten: another field number or wire type (3, 4 groups; 6, 7 invalid). */
const badTag: Mutator = (src, random) => {
  const prefixes = lengthPrefixes(src);
  if (prefixes.length === 0) return bitFlips(src, random);
  const p = prefixes[int(random, prefixes.length)];
  // The tag is the varint before the length; for field numbers < 16 it is one byte.
  const at = p.at - 1;
  if (at < 0) return bitFlips(src, random);
  const bytes = src.slice();
  const wire = int(random, 8);
  const field = random() < 0.5 ? bytes[at] >> 3 : 1 + int(random, 15);
  bytes[at] = ((field << 3) | wire) & 0x7f;
  return { label: `tag at ${at} set to field ${field} wire type ${wire}`, bytes };
};

const TEXT_DAMAGE = ['{', '}', '"', '<', '>', ':', '\\', '#', '\n', '[', ']', '-', 'e', '0x', '\u00ff', 'nan', ' { ', ' } '];

/** Text damage: a stray or missing bracket, quote or colon, a line dropped or doubled. */
const textEdit: Mutator = (src, random) => {
  const text = Buffer.from(src);
  const lines = text.toString('latin1').split('\n');
  const choice = int(random, 4);
  if (choice === 0 && lines.length > 1) {
    const i = int(random, lines.length);
    lines.splice(i, 1);
    return { label: `line ${i + 1} removed`, bytes: Buffer.from(lines.join('\n'), 'latin1') };
  }
  if (choice === 1 && lines.length > 1) {
    const i = int(random, lines.length);
    lines.splice(i, 0, lines[i]);
    return { label: `line ${i + 1} doubled`, bytes: Buffer.from(lines.join('\n'), 'latin1') };
  }
  const at = int(random, src.length + 1);
  const s = Buffer.from(TEXT_DAMAGE[int(random, TEXT_DAMAGE.length)], 'latin1');
  if (choice === 2) return { label: `${JSON.stringify(s.toString('latin1'))} inserted at ${at}`, bytes: splice(src, at, 0, s) };
  return { label: `byte at ${at} removed`, bytes: splice(src, Math.min(at, src.length - 1), src.length ? 1 : 0, new Uint8Array(0)) };
};

const BINARY: ReadonlyArray<[string, Mutator]> = [
  ['truncate', truncate], ['bit-flip', bitFlips], ['random-bytes', overwrite], ['hole', hole], ['insert', insert],
  ['duplicate', duplicate], ['bad-length', badLength], ['bad-tag', badTag],
];
const TEXT: ReadonlyArray<[string, Mutator]> = [
  ['truncate', truncate], ['bit-flip', bitFlips], ['random-bytes', overwrite], ['hole', hole], ['text-edit', textEdit], ['text-edit', textEdit],
];

/** One mutation of `src`; `kind` says which family (for the tally). */
export function mutate(src: Uint8Array, text: boolean, random: Random): Mutation & { kind: string } {
  const table = text ? TEXT : BINARY;
  const [kind, fn] = table[int(random, table.length)];
  return { kind, ...fn(src, random) };
}
