// Completion from the schema: the field names of the message around the cursor (`name: ` for
// scalars, a `name { }` snippet for messages), and after `name:` the values of an enum or bool
// field. The message comes from the tree, which the parser keeps even around errors.
import { CompletionItem, CompletionItemKind, InsertTextFormat, Position, Range } from 'vscode-languageserver';
import { FieldInfo, MessageInfo } from '../core/protobuf';
import { DocumentAnalysis } from './documentAnalysis';
import { messageAt } from './treeQuery';

const SUGGEST_AGAIN = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };

export function completion(a: DocumentAnalysis, position: Position): CompletionItem[] {
  // A decoded binary model is read-only: nothing to type.
  if (a.isDecodedView) return [];
  const offset = a.lines.offsetAt(position);
  const lineStart = a.lines.lineStart(position.line);
  const prefix = Buffer.from(a.bytes.buffer, a.bytes.byteOffset + lineStart, offset - lineStart).toString('utf8');
  if (inStringOrComment(prefix)) return [];
  const type = messageAt(a.tree, offset, a.bytes).type;
  const context = contextOf(prefix);
  if (context.kind === 'value') {
    const field = type.byName.get(context.field);
    return field ? valueItems(field, replaceRange(a, offset, context.word)) : [];
  }
  return context.kind === 'name' ? fieldItems(type, replaceRange(a, offset, context.word)) : [];
}

type Context = { kind: 'value'; field: string; word: string } | { kind: 'name'; word: string } | { kind: 'none' };

const isWordChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c);

/**
 * What the cursor completes, read backwards from it (linear, as lines may be megabytes long):
 * `field: wo` (or `field: [wo`) → a value of `field`; a word at a field start → a field name.
 */
function contextOf(prefix: string): Context {
  let i = prefix.length;
  while (i > 0 && isWordChar(prefix[i - 1])) i--;
  const word = prefix.slice(i);
  let j = i;
  while (j > 0 && /\s/.test(prefix[j - 1])) j--;
  if (j > 0 && prefix[j - 1] === '[') j--;
  while (j > 0 && /\s/.test(prefix[j - 1])) j--;
  if (j > 0 && prefix[j - 1] === ':') {
    let k = j - 1;
    while (k > 0 && /\s/.test(prefix[k - 1])) k--;
    const end = k;
    while (k > 0 && isWordChar(prefix[k - 1])) k--;
    const field = prefix.slice(k, end);
    return /^[A-Za-z_]/.test(field) ? { kind: 'value', field, word } : { kind: 'none' };
  }
  if (word && !/^[A-Za-z_]/.test(word)) return { kind: 'none' };
  return i === 0 || /[\s{<;,]/.test(prefix[i - 1]) ? { kind: 'name', word } : { kind: 'none' };
}

/** The word typed so far (ASCII: one byte per character), which the item replaces. */
function replaceRange(a: DocumentAnalysis, offset: number, word: string): Range {
  return a.lines.rangeOf(offset - word.length, offset);
}

/** Whether the line up to the cursor ends inside a string literal or a `#` comment. */
function inStringOrComment(prefix: string): boolean {
  let quote = '';
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#') {
      return true;
    }
  }
  return quote !== '';
}

function fieldItems(type: MessageInfo, range: Range): CompletionItem[] {
  return type.fields.map((f) => ({
    label: f.name,
    kind: f.type === 'message' ? CompletionItemKind.Struct : f.type === 'enum' ? CompletionItemKind.Enum : CompletionItemKind.Field,
    detail: typeText(f),
    sortText: String(f.number).padStart(6, '0'),
    textEdit: { range, newText: fieldSnippet(f) },
    insertTextFormat: InsertTextFormat.Snippet,
    ...(f.type === 'enum' || f.type === 'bool' ? { command: SUGGEST_AGAIN } : {}),
  }));
}

function fieldSnippet(f: FieldInfo): string {
  if (f.type !== 'message') return `${f.name}: `;
  const entry = f.message;
  if (!entry?.isMapEntry) return `${f.name} {\n\t$0\n}`;
  const [key, value] = entry.fields;
  const keyText = key.type === 'string' ? 'key: "$1"' : 'key: $1';
  const valueText = value.type === 'message' ? 'value {\n\t\t$0\n\t}' : value.type === 'string' ? 'value: "$0"' : 'value: $0';
  return `${f.name} {\n\t${keyText}\n\t${valueText}\n}`;
}

function typeText(f: FieldInfo): string {
  const entry = f.message?.isMapEntry ? f.message : undefined;
  if (entry) return `map<${entry.fields[0].type}, ${scalarOrTypeName(entry.fields[1])}>`;
  return `${f.repeated ? 'repeated ' : ''}${scalarOrTypeName(f)}`;
}

function scalarOrTypeName(f: FieldInfo): string {
  if (f.type === 'message') return f.message?.fullName ?? 'message';
  if (f.type === 'enum') return f.enumInfo?.fullName ?? 'enum';
  return f.type;
}

function valueItems(f: FieldInfo, range: Range): CompletionItem[] {
  if (f.type === 'bool') {
    return ['true', 'false'].map((label) => ({ label, kind: CompletionItemKind.Value, textEdit: { range, newText: label } }));
  }
  if (f.type !== 'enum' || !f.enumInfo) return [];
  return [...f.enumInfo.valueOf].map(([label, value]) => ({
    label,
    kind: CompletionItemKind.EnumMember,
    detail: `${f.enumInfo?.fullName} = ${value}`,
    sortText: String(value + 1_000_000).padStart(8, '0'),
    textEdit: { range, newText: label },
  }));
}
