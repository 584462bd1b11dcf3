// Decoded views of binary models without the round trip. The server prints the text the client
// asks for (decodedTextRequest) and keeps what the print recorded: the parse tree, and the bytes
// the model is decoded from. Right after the answer is sent, while the client is still receiving
// the text, the model is judged and the diagnostics published. When the client then opens the
// view (or changes it, the file having changed) with that very text, the server takes this
// analysis instead of parsing the text it produced.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DecodedTextResult } from '../protocol';
import { printTextWithTree, PrintedText, PrintOptions } from '../core/textprint';
import { ModelChangedError, ModelFile, sniffBinary, sniffHead, sniffTextNamedPb } from '../core/savedmodel';
import { loadSchema, refusalLine } from '../core/protobuf';
import { analyzePrinted, AnalysisConfig, DocumentAnalysis } from './documentAnalysis';
import { afterSend } from './afterSend';

/** A print kept for a view that is not open yet is dropped after this long. */
const KEEP_MS = 120_000;
/** Texts are compared in pieces of this many characters, so no copy of a whole text is made. */
const COMPARE_PIECE = 1 << 20;

export type DecodedPrint = { readonly pb: Uint8Array; readonly printed: PrintedText } | { readonly error: string };

/**
 * The decoded text of a binary model with its recorded tree, or why there is none. The file is
 * read by positions (savedmodel/modelFile.ts): payloads the view elides are never read, the rest
 * as the printer reaches them; a file with a damaged framing gets the one line the CLI and the
 * diagnostics give (offset and element path), from the wire walk.
 */
export function printDecoded(file: string, opts: PrintOptions, tries = 2): DecodedPrint {
  let pb: Uint8Array;
  try {
    const size = fs.statSync(file).size;
    const early = sniffHead(new Uint8Array(0), size, path.basename(file));
    if (early?.kind === 'other') return { error: `${file} is ${early.what}` };
    const opened = ModelFile.open(file, loadSchema().message('tensorflow.SavedModel'));
    if (opened.verdict.error) {
      // A damaged file: the line every command gives (and the diagnostic says), unless it is
      // something else named .pb (an HTML page, a text model), which is said as `check` says it.
      const head = opened.file.bytes.subarray(0, 4096);
      const other = sniffHead(head, size, path.basename(file)) ?? sniffTextNamedPb(head);
      return { error: other?.kind === 'other' ? `${file} is ${other.what}` : refusalLine(file, 'tensorflow.SavedModel', opened.verdict.error, size) };
    }
    pb = opened.file.bytes;
  } catch (e) {
    return { error: `${file}: ${(e as Error).message}` };
  }
  const kind = sniffHead(pb.subarray(0, 4096), pb.length, path.basename(file)) ?? sniffBinary(pb);
  if (kind.kind === 'other') return { error: `${file} is ${kind.what}` };
  try {
    return { pb, printed: printTextWithTree(pb, 'tensorflow.SavedModel', opts) };
  } catch (e) {
    // The file changed under a late read: print the new file, never a mix of the two.
    if (e instanceof ModelChangedError && tries > 1) return printDecoded(file, opts, tries - 1);
    return { error: `${file}: not a valid SavedModel (${(e as Error).message})` };
  }
}

interface Prepared {
  readonly pb: Uint8Array;
  readonly printed: PrintedText;
  /** Made once: right after the answer is sent, or by the open that comes first. */
  analysis: DocumentAnalysis | undefined;
  readonly expiry: NodeJS.Timeout;
}

export class DecodedViews {
  private readonly prepared = new Map<string, Prepared>();

  constructor(
    private readonly config: () => AnalysisConfig,
    /** Publish an analysis's diagnostics (unversioned: the view is not open yet). */
    private readonly publish: (a: DocumentAnalysis) => void,
    /** Whether the view is open now (a dropped print's early diagnostics are cleared if not). */
    private readonly isOpen: (uri: string) => boolean,
    private readonly clear: (uri: string) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Answer decodedTextRequest for view `uri` of `file`; the analysis follows the answer. */
  decode(uri: string, file: string, opts: PrintOptions): DecodedTextResult {
    const r = printDecoded(file, opts);
    if ('error' in r) return r;
    this.forget(uri);
    const expiry = setTimeout(() => this.expire(uri), KEEP_MS);
    expiry.unref();
    const entry: Prepared = { pb: r.pb, printed: r.printed, analysis: undefined, expiry };
    this.prepared.set(uri, entry);
    afterSend(() => {
      if (this.prepared.get(uri) !== entry || entry.analysis) return;
      try {
        this.publish(this.analysisOf(uri, entry, 0));
      } catch (e) {
        // The server must outlive any input: the open analyzes the view again and reports the failure.
        this.forget(uri);
        this.log(`analysis of ${uri} failed: ${(e as Error).stack ?? String(e)}`);
      }
    });
    const text = r.printed.bytes.toString('latin1');
    return { text, elided: text.includes('elided') };
  }

  /**
   * The analysis prepared for `uri`, as version `version`, when `text` is exactly the text printed
   * for it; undefined otherwise (the caller analyzes the text as any other).
   */
  take(uri: string, version: number, text: string): DocumentAnalysis | undefined {
    const entry = this.prepared.get(uri);
    if (!entry || !sameText(text, entry.printed.bytes)) return undefined;
    this.forget(uri);
    return { ...this.analysisOf(uri, entry, version), version };
  }

  /** Drop the print kept for `uri` (closed, or superseded). */
  forget(uri: string): void {
    const entry = this.prepared.get(uri);
    if (!entry) return;
    clearTimeout(entry.expiry);
    this.prepared.delete(uri);
  }

  /** Settings changed: prints judged with the old ones are not to be taken. */
  forgetAll(): void {
    for (const uri of [...this.prepared.keys()]) this.forget(uri);
  }

  private analysisOf(uri: string, entry: Prepared, version: number): DocumentAnalysis {
    entry.analysis ??= analyzePrinted(uri, version, entry.pb, entry.printed, this.config());
    return entry.analysis;
  }

  private expire(uri: string): void {
    this.forget(uri);
    if (!this.isOpen(uri)) this.clear(uri);
  }
}

/**
 * Whether a document's text is these printed bytes, compared piece by piece. The printer writes
 * ASCII only: any other character encodes to bytes of 0x80 and up, or overflows its piece, and so
 * never compares equal.
 */
function sameText(text: string, bytes: Uint8Array): boolean {
  if (text.length !== bytes.length) return false;
  const piece = Buffer.allocUnsafe(Math.min(COMPARE_PIECE, bytes.length));
  for (let at = 0; at < bytes.length; at += COMPARE_PIECE) {
    const expected = Math.min(COMPARE_PIECE, bytes.length - at);
    const n = piece.write(text.slice(at, at + expected), 0, 'utf8');
    if (n !== expected || Buffer.compare(piece.subarray(0, n), bytes.subarray(at, at + n)) !== 0) return false;
  }
  return true;
}
