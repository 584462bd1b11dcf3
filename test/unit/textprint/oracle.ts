// Compare the printer with `protoc --decode` on one input: both reject, or both print the same bytes.
import assert from 'node:assert/strict';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { WireError } from '../../../server/src/core/protobuf/wire';
import { protocDecode } from '../../helpers/protoc';

export type Outcome = { ok: true; text: string } | { ok: false; error: WireError };

/** Our printer's outcome; any exception other than WireError propagates (a test failure). */
export function ours(bytes: Uint8Array, type: string): Outcome {
  try {
    return { ok: true, text: printText(bytes, type) };
  } catch (e) {
    if (e instanceof WireError) return { ok: false, error: e };
    throw e;
  }
}

/** Assert the printer agrees with protoc; returns protoc's text when it accepted. */
export function assertLikeProtoc(bytes: Uint8Array, type: string, label: string): string | undefined {
  const expected = protocDecode(bytes, type);
  const got = ours(bytes, type);
  if (!expected.ok) {
    assert.ok(!got.ok, `${label}: protoc rejects (${expected.stderr.trim()}) but the printer printed:\n${got.ok ? got.text.slice(0, 400) : ''}`);
    return undefined;
  }
  assert.ok(got.ok, `${label}: protoc accepts but the printer threw ${got.ok ? '' : got.error.message}`);
  assert.equal(got.text, expected.stdout.toString('latin1'), label);
  return got.text;
}
