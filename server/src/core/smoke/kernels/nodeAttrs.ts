// A custom op's attrs as tfjs-converter hands them (numbers, booleans, lowercased strings, lists).
import { GraphNode } from '@tensorflow/tfjs-converter';

type Attr = GraphNode['attrs'][string];

export const numberAttr = (v: Attr | undefined, fallback: number): number => (typeof v === 'number' ? v : fallback);
export const boolAttr = (v: Attr | undefined, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
export const stringAttr = (v: Attr | undefined, fallback: string): string => (typeof v === 'string' ? v : fallback);
export const numbersAttr = (v: Attr | undefined): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);

/**
 * A string attr's bytes as the graph has them. tfjs-converter lowercases string attrs it hands
 * to custom ops; the node it passes (NodeValueImpl) keeps the raw JSON attrs (bytes as base64).
 */
export function rawStringAttr(node: GraphNode, name: string): Uint8Array | undefined {
  const raw = (node as unknown as { node?: { rawAttrs?: Record<string, { s?: string }> } }).node?.rawAttrs?.[name]?.s;
  return raw === undefined ? undefined : new Uint8Array(Buffer.from(raw, 'base64'));
}

/** An int attr exactly (64-bit: tfjs-converter would round it through a JS number). */
export function rawIntAttr(node: GraphNode, name: string): bigint | undefined {
  const raw = (node as unknown as { node?: { rawAttrs?: Record<string, { i?: string | number }> } }).node?.rawAttrs?.[name]?.i;
  return raw === undefined ? undefined : BigInt(raw);
}
