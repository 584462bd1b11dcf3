// Valid tf.Examples made up from what the graph parses, for users without a request: every
// feature the parse ops name, of its dtype, with as many values as its shape takes (one block for
// variable-length features, one value for sparse and ragged ones). Values follow the request
// synthesizer's rules: floats in [-1, 1), small non-negative integers, words from a vocabulary.
import { ExampleFeatures, FeatureValues, encodeExample } from './exampleProto';
import { FeatureDtype, ParseConfig } from './parseConfig';
import { elementCount } from '../request/hostTensor';

export interface ValueSource {
  readonly random: () => number;
  /** Words for string features (a vocabulary asset), else a fixed word. */
  readonly words?: readonly string[];
}

/** One serialized Example holding every feature of the configs (the first config naming a key wins). */
export function synthesizeExample(configs: readonly ParseConfig[], source: ValueSource): Uint8Array {
  const features = new Map<string, FeatureValues>();
  const add = (key: string, dtype: FeatureDtype, count: number): void => {
    if (!features.has(key)) features.set(key, featureValues(dtype, count, source));
  };
  for (const c of configs) {
    for (const d of c.dense) add(d.key, d.dtype, elementCount(d.shape.length && d.shape[0] < 0 ? d.shape.slice(1) : d.shape));
    for (const s of c.sparse) add(s.key, s.dtype, 1);
    for (const r of c.ragged) add(r.key, r.dtype, 1);
  }
  return encodeExample(features as ExampleFeatures);
}

function featureValues(dtype: FeatureDtype, count: number, source: ValueSource): FeatureValues {
  const n = Array.from({ length: count }, () => source.random());
  switch (dtype) {
    case 'DT_FLOAT': return { kind: 'float', values: n.map((r) => Math.round((r * 2 - 1) * 1e4) / 1e4) };
    case 'DT_INT64': return { kind: 'int64', values: n.map((r) => Math.floor(r * 10)) };
    case 'DT_STRING': return { kind: 'bytes', values: n.map((r) => new TextEncoder().encode(word(r, source.words))) };
  }
}

function word(r: number, words: readonly string[] | undefined): string {
  return words?.length ? words[Math.floor(r * words.length)] : 'example';
}

/** A short description for the request's notes. */
export function describeFeatures(configs: readonly ParseConfig[]): string {
  const count = (f: (c: ParseConfig) => number): number => configs.reduce((n, c) => n + f(c), 0);
  const parts = [['dense', count((c) => c.dense.length)], ['sparse', count((c) => c.sparse.length)], ['ragged', count((c) => c.ragged.length)]] as const;
  return parts.filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`).join(', ') || 'no features';
}
