// The parse tree of a protobuf text-format document (pbtxt), as its users see it. Every node keeps
// its source range as byte offsets [start, end) into the parsed bytes (texts may exceed what a JS
// string can hold), so the editor can map diagnostics and element paths back to the text. The
// parser stores the tree compactly (textStore.ts) and these objects are made on access
// (storedTree.ts): keep what you need, do not expect the same object twice.
import type { FieldInfo, MessageInfo } from '../protobuf';

/** `-nan`: protoc keeps the sign bit of a negated NaN, which a JS number cannot carry reliably. */
export const NEGATIVE_NAN: unique symbol = Symbol('-nan');
export type NegativeNaN = typeof NEGATIVE_NAN;

/**
 * One decoded scalar, typed by its field:
 * - number: int32, sint32, sfixed32, uint32, fixed32, enum (its number), float (already rounded to
 *   float precision), double;
 * - bigint: int64, sint64, sfixed64 (signed), uint64, fixed64 (unsigned): every bit kept;
 * - boolean: bool;
 * - string: a string field whose bytes are valid UTF-8;
 * - Uint8Array: a bytes field, or a string field whose bytes are not valid UTF-8 (or over 256 MiB);
 * - NEGATIVE_NAN: `-nan` in a float or double field.
 */
export type ScalarValue = number | bigint | boolean | string | Uint8Array | NegativeNaN;

export interface TextScalar {
  readonly kind: 'scalar';
  readonly value: ScalarValue;
  /** From the first token of the value (a `-` sign included) to the end of its last string part. */
  readonly start: number;
  readonly end: number;
}

/** `[type.googleapis.com/pkg.Msg] { ... }` inside a google.protobuf.Any message. */
export interface TextAnyExpansion {
  /** The type URL as written, e.g. `type.googleapis.com/tensorflow.SavedModel`. */
  readonly url: string;
  /** Range of `[ ... ]`. */
  readonly start: number;
  readonly end: number;
  /** The packed message, typed by the URL. */
  readonly message: TextMessage;
}

export interface TextMessage {
  readonly kind: 'message';
  readonly type: MessageInfo;
  /** From the opening `{`/`<` to after the closing one (the root: the whole text). */
  readonly start: number;
  readonly end: number;
  /** Field occurrences in text order. */
  readonly fields: readonly TextField[];
  /** Only in a google.protobuf.Any written in expanded form. */
  readonly any?: TextAnyExpansion;
}

/**
 * One occurrence of a field name in the text with the values written there: one value, or the
 * elements of a `[a, b]` list. A repeated field written several times has several occurrences.
 * A map field's values are its entries (messages of the synthetic `XxxEntry` type).
 */
export interface TextField {
  readonly info: FieldInfo;
  readonly nameStart: number;
  readonly nameEnd: number;
  /** After the last value (or the closing `]` of a list; the name when no value was parsed). */
  readonly end: number;
  readonly values: readonly TextValue[];
}

export type TextValue = TextMessage | TextScalar;

export type TextErrorCode = 'syntax-error' | 'schema-error';

export interface TextError {
  readonly code: TextErrorCode;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** Nearest valid names, for an unknown field or enum value. */
  readonly suggestions?: string[];
}

export interface ParseResult {
  readonly root: TextMessage;
  /** In text order of discovery; empty when protoc would accept the text. */
  readonly errors: TextError[];
}

/**
 * Whether a proto3 implicit-presence field holding this value counts as unset (and is not
 * serialized). Floats compare by bits, as protobuf does: -0 and NaN are set.
 */
export function isDefaultScalar(value: ScalarValue): boolean {
  switch (typeof value) {
    case 'number': return Object.is(value, 0);
    case 'bigint': return value === 0n;
    case 'boolean': return !value;
    case 'string': return value.length === 0;
    case 'symbol': return false;
    default: return value.length === 0;
  }
}

/** The errors found while parsing each root, so encoders can refuse a tree that protoc would reject. */
const rootErrors = new WeakMap<TextMessage, readonly TextError[]>();

export function recordParseErrors(root: TextMessage, errors: readonly TextError[]): void {
  if (errors.length) rootErrors.set(root, errors);
}

/** The parse errors of a root returned by parseText (none for sub-trees and error-free roots). */
export function parseErrorsOf(root: TextMessage): readonly TextError[] {
  return rootErrors.get(root) ?? [];
}
