// InitializeTableFromTextFileV2 on the host: one table entry per line of a text file (a vocabulary
// asset). `key_index`/`value_index` name the column (split by `delimiter`, default tab), or -2 for
// the whole line, -1 for the line number (plus `offset`) (TensorFlow's TextFileIndex); `vocab_size` (when not -1) is how many
// lines are read. TensorFlow reads this file when the model loads; so do we, from its assets.
import { PlainMessage, msg, num, str } from '../../protobuf';
import { RawTensor } from '../request/rawTensor';
import { NotComputable } from './hostEval';

export interface TableContents {
  readonly keys: RawTensor;
  readonly values: RawTensor;
}

const WHOLE_LINE = -2;
const LINE_NUMBER = -1;

export function textFileTable(text: string, attrs: PlainMessage, keyDtype: string, valueDtype: string, file: string): TableContents {
  const delimiter = bytesText(msg(attrs.delimiter).s) || '\t';
  const vocabSize = num(msg(attrs.vocab_size).i, -1);
  const offset = num(msg(attrs.offset).i, 0);
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (vocabSize >= 0 && lines.length < vocabSize) throw new NotComputable(`${file} has ${lines.length} lines; the table expects vocab_size ${vocabSize}`);
  const used = vocabSize >= 0 ? lines.slice(0, vocabSize) : lines;
  const column = (index: number, what: string): string[] => used.map((line, n) => {
    if (index === LINE_NUMBER) return String(n + offset);
    if (index === WHOLE_LINE) return line;
    const cols = line.split(delimiter);
    if (index >= cols.length) throw new NotComputable(`${file} line ${n + 1} has ${cols.length} column(s); the table's ${what} is column ${index}`);
    return cols[index];
  });
  const keyIndex = num(msg(attrs.key_index).i, WHOLE_LINE);
  const valueIndex = num(msg(attrs.value_index).i, LINE_NUMBER);
  return {
    keys: tensorOf(column(keyIndex, 'key'), keyDtype, file),
    values: tensorOf(column(valueIndex, 'value'), valueDtype, file),
  };
}

function bytesText(v: PlainMessage[string]): string {
  return v instanceof Uint8Array ? new TextDecoder().decode(v) : str(v);
}

/** A 1-D tensor of the given dtype from the file's fields. */
function tensorOf(fields: readonly string[], dtype: string, file: string): RawTensor {
  const shape = [fields.length];
  if (dtype === 'DT_STRING') return { dtype, shape, strings: fields.map((f) => new TextEncoder().encode(f)) };
  const parse = (f: string): number => {
    const v = Number(f.trim());
    if (f.trim() === '' || !Number.isFinite(v)) throw new NotComputable(`${file}: '${f}' is not a number (the table holds ${dtype})`);
    return v;
  };
  switch (dtype) {
    case 'DT_INT64': {
      const a = new BigInt64Array(fields.map((f) => BigInt(Math.trunc(parse(f)))));
      return { dtype, shape, data: new Uint8Array(a.buffer) };
    }
    case 'DT_INT32': return { dtype, shape, data: new Uint8Array(new Int32Array(fields.map(parse)).buffer) };
    case 'DT_FLOAT': return { dtype, shape, data: new Uint8Array(new Float32Array(fields.map(parse)).buffer) };
    case 'DT_DOUBLE': return { dtype, shape, data: new Uint8Array(new Float64Array(fields.map(parse)).buffer) };
    default: throw new NotComputable(`a text-file table of ${dtype} is not supported`);
  }
}
