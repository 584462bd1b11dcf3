// tf.Example messages read and written with our protobuf engine (the schema in
// server/proto/tensorflow/core/example/): a serialized Example as its features by name, and back.
import { PlainMessage, PlainValue, Schema, decodePlain, encodePlain, entries, isPlainMessage, list, loadSchemaFiles } from '../../protobuf';

/** One feature's values: the kind of list it holds, or `none` for a feature with no list set. */
export type FeatureValues =
  | { readonly kind: 'bytes'; readonly values: readonly Uint8Array[] }
  | { readonly kind: 'float'; readonly values: readonly number[] }
  | { readonly kind: 'int64'; readonly values: readonly number[] }
  | { readonly kind: 'none' };

export type ExampleFeatures = ReadonlyMap<string, FeatureValues>;

let schema: Schema | undefined;

function exampleSchema(): Schema {
  schema ??= loadSchemaFiles(['tensorflow/core/example/example.proto']);
  return schema;
}

/** Decode one serialized tf.Example; throws WireError (from the wire reader) when it is not one. */
export function decodeExample(bytes: Uint8Array): ExampleFeatures {
  const m = decodePlain(bytes, 0, bytes.length, exampleSchema().message('tensorflow.Example'));
  const features = isPlainMessage(m.features) ? m.features.feature : undefined;
  const out = new Map<string, FeatureValues>();
  // A map field's repeated keys: the decoder keeps the last, as protobuf and TensorFlow do.
  for (const [name, feature] of entries(features)) out.set(name, featureValues(feature));
  return out;
}

function featureValues(f: PlainMessage): FeatureValues {
  // Exactly one kind is set in a valid Feature; the order here only matters for malformed ones.
  if (isPlainMessage(f.bytes_list)) return { kind: 'bytes', values: list(f.bytes_list.value).filter((v): v is Uint8Array => v instanceof Uint8Array) };
  if (isPlainMessage(f.float_list)) return { kind: 'float', values: list(f.float_list.value).map(Number) };
  if (isPlainMessage(f.int64_list)) return { kind: 'int64', values: list(f.int64_list.value).map(Number) };
  return { kind: 'none' };
}

/** Serialize features as a tf.Example (map entries in the given order). */
export function encodeExample(features: ExampleFeatures): Uint8Array {
  const feature: PlainMessage = {};
  for (const [name, v] of features) feature[name] = featureMessage(v);
  return encodePlain({ features: { feature } }, exampleSchema().message('tensorflow.Example'));
}

function featureMessage(v: FeatureValues): PlainMessage {
  switch (v.kind) {
    case 'bytes': return { bytes_list: { value: [...v.values] } };
    case 'float': return { float_list: { value: [...v.values] } };
    case 'int64': return { int64_list: { value: v.values.map((x): PlainValue => x) } };
    case 'none': return {};
  }
}
