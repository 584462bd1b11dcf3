// export-text / export-binary: the binary ↔ text conversions, byte-identical to protoc's.
import * as fs from 'node:fs';
import { parseArgs, option, UsageError } from './args';
import { printTextToFile, printTextChunks } from '../core/textprint';
import { parseText } from '../core/textformat';
import { encodeText } from '../core/textformat';
import { LineIndex } from '../core/textformat';
import { readWholeFile } from '../core/readFile';
import { ModelChangedError, ModelFile, sniffHead, sniffBinary, sniffText, sniffTextNamedPb } from '../core/savedmodel';
import { WireError, loadSchema, refusalLine } from '../core/protobuf';
import { writeFileAtomic } from '../core/atomicWrite';

const VALUED = new Set(['o', 'output', 'type']);

interface ExportArgs {
  input: string;
  output: string | undefined;
  typeName: string;
}

function exportArgs(argv: readonly string[], usage: string): ExportArgs {
  const args = parseArgs(argv, VALUED);
  const [input] = args.positional;
  if (!input || args.positional.length > 1) throw new UsageError(usage);
  const output = option(args, 'o') ?? option(args, 'output');
  if (output && fs.existsSync(output) && !args.flags.has('force')) {
    throw new UsageError(`${output} exists; pass --force to overwrite it`);
  }
  return { input, output, typeName: option(args, 'type') ?? 'tensorflow.SavedModel' };
}

function readInput(file: string): Uint8Array | string {
  try {
    return readWholeFile(file);
  } catch (e) {
    return `${file}: ${(e as Error).message}`;
  }
}

export function exportTextCommand(argv: readonly string[]): number {
  const a = exportArgs(argv, 'usage: export-text <saved_model.pb> [-o FILE] [--force]');
  const head = readHead(a.input);
  if (typeof head === 'string') return fail(head);
  const early = sniffHead(head.bytes, head.size, a.input);
  if (early?.kind === 'other') return fail(`${a.input} is ${early.what}`);
  const textual = a.typeName === 'tensorflow.SavedModel' ? sniffTextNamedPb(head.bytes) : undefined;
  if (textual?.kind === 'other') return fail(`${a.input} is ${textual.what}`);
  const type = loadSchema().findMessage(a.typeName);
  if (!type) return fail(`unknown message type ${a.typeName}`);
  // Read by positions, with the same walk and line as show and check, before a byte of output is
  // written; the payloads it skipped are then streamed from the file to the output in pieces.
  let opened: ReturnType<typeof ModelFile.open>;
  try {
    opened = ModelFile.open(a.input, type);
  } catch (e) {
    return fail(`${a.input}: ${(e as Error).message}`);
  }
  if (opened.verdict.error) return fail(refusalLine(a.input, a.typeName, opened.verdict.error, opened.file.size));
  const bytes = opened.file.bytes;
  const kind = a.typeName === 'tensorflow.SavedModel' ? sniffBinary(bytes) : undefined;
  if (kind?.kind === 'other') return fail(`${a.input} is ${kind.what}`);
  try {
    if (a.output) printTextToFile(bytes, a.output, a.typeName);
    else printTextChunks(bytes, a.typeName, (chunk) => writeAllSync(1, chunk));
  } catch (e) {
    if (e instanceof WireError) return fail(`${a.input}: not a valid ${a.typeName} (${e.message})`);
    if (e instanceof ModelChangedError) return fail(e.message);
    throw e;
  }
  return 0;
}

/** The first 4 KiB and the size, or why the file cannot be read. */
function readHead(file: string): { bytes: Uint8Array; size: number } | string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const bytes = new Uint8Array(Math.min(4096, size));
      const n = fs.readSync(fd, bytes, 0, bytes.length, 0);
      return { bytes: bytes.subarray(0, n), size };
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    return `${file}: ${(e as Error).message}`;
  }
}

export function exportBinaryCommand(argv: readonly string[]): number {
  const a = exportArgs(argv, 'usage: export-binary <saved_model.pbtxt> [-o FILE] [--force]');
  const bytes = readInput(a.input);
  if (typeof bytes === 'string') return fail(bytes);
  const head = sniffHead(bytes.subarray(0, 4096), bytes.length, a.input.endsWith('.pbtxt') ? a.input : `${a.input}.pbtxt`);
  const kind = head ?? (a.typeName === 'tensorflow.SavedModel' ? sniffText(bytes.subarray(0, 4096)) : undefined);
  if (kind?.kind === 'other') return fail(`${a.input} is ${kind.what}`);
  const parse = parseText(bytes, a.typeName);
  if (parse.errors.length) {
    const lines = new LineIndex(bytes);
    for (const e of parse.errors.slice(0, 50)) {
      const p = lines.positionAt(e.start);
      process.stderr.write(`${a.input}:${p.line + 1}:${p.character + 1}: ${e.code}: ${e.message}\n`);
    }
    return fail(`${a.input}: ${parse.errors.length} error(s); nothing written`);
  }
  const out = encodeText(parse.root);
  if (a.output) writeFileAtomic(a.output, out);
  else writeAllSync(1, out);
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`savedmodel-lens: ${message}\n`);
  return 2;
}

function writeAllSync(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += fs.writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      // A pipe that is full answers EAGAIN; wait for it rather than lose output.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}
