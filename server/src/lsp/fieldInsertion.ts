// A text edit that adds a field to a message of the tree, where protoc would print it (after the
// fields with lower numbers) and laid out like its neighbours: on its own line when they are.
import { TextEdit } from 'vscode-languageserver';
import { TextMessage } from '../core/textformat';
import { DocumentAnalysis } from './documentAnalysis';
import { indentAt, startsLine } from './treeQuery';

/** Indentation one level deeper than a message's own, as the printer writes it. */
export const INDENT_STEP = '  ';

/**
 * `make(indent)` writes the field; indent is the column its lines start at, or undefined when
 * the field goes on a line with others (then it must be written on one line).
 */
export type FieldText = (indent: string | undefined) => string;

export function insertField(a: DocumentAnalysis, msg: TextMessage, fieldNumber: number, make: FieldText): TextEdit {
  const bytes = a.bytes;
  let prev: TextMessage['fields'][number] | undefined;
  for (const f of msg.fields) if (f.info.number <= fieldNumber) prev = f;
  if (prev) {
    const own = startsLine(bytes, prev.nameStart) ? indentAt(bytes, prev.nameStart) : undefined;
    return insertAt(a, prev.end, own === undefined ? ` ${make(undefined)}` : `\n${own}${make(own)}`);
  }
  const first = msg.fields[0];
  if (first) {
    const own = startsLine(bytes, first.nameStart) ? indentAt(bytes, first.nameStart) : undefined;
    return insertAt(a, first.nameStart, own === undefined ? `${make(undefined)} ` : `${make(own)}\n${own}`);
  }
  // An empty message: inside its braces.
  const open = msg.start + 1;
  const closing = msg.end - 1;
  if (a.lines.lineAt(open) !== a.lines.lineAt(closing)) {
    const own = indentAt(bytes, closing) + INDENT_STEP;
    return insertAt(a, open, `\n${own}${make(own)}`);
  }
  return insertAt(a, open, ` ${make(undefined)}`);
}

function insertAt(a: DocumentAnalysis, offset: number, newText: string): TextEdit {
  const p = a.lines.positionAt(offset);
  return { range: { start: p, end: p }, newText };
}
