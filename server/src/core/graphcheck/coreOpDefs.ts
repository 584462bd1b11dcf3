// The OpDefs TensorFlow wrote into the corpus models (coreOpDefs.json, made by
// scripts/genCoreOpDefs.ts): a copy whose source never declared an op (TF2 declares only its main
// graph's ops, and a source may never have used Cast) still declares it as TensorFlow does.
import { PlainMessage, decodePlain, loadSchema } from '../protobuf';
import defs from './coreOpDefs.json';

const BY_NAME = new Map<string, string>(defs.map((d) => [d.name, d.opDef]));

export function coreOpNames(): string[] {
  return [...BY_NAME.keys()];
}

/** The OpDef of a core op as a plain message, or undefined for other ops. */
export function coreOpDef(op: string): PlainMessage | undefined {
  const b64 = BY_NAME.get(op);
  if (b64 === undefined) return undefined;
  const bytes = new Uint8Array(Buffer.from(b64, 'base64'));
  return decodePlain(bytes, 0, bytes.length, loadSchema().message('tensorflow.OpDef'));
}
