// The diagnostics of one parse: one per token at most (two errors at one token are one mistake
// seen twice, e.g. a bad value, then a bad field start), and at most a limit, then one saying
// the rest of the text was not checked.
import { TextError, TextErrorCode } from './textTree';

export class ParseReporter {
  private lastErrorStart = -1;

  constructor(readonly errors: TextError[], private readonly maxErrors: number) {}

  /** The limit is reached: parsing should stop. */
  get full(): boolean {
    return this.errors.length >= this.maxErrors;
  }

  report(code: TextErrorCode, message: string, start: number, end: number, suggestions?: string[]): void {
    if (this.errors.length >= this.maxErrors || start === this.lastErrorStart) return;
    this.lastErrorStart = start;
    const error: TextError = suggestions?.length ? { code, message, start, end, suggestions } : { code, message, start, end };
    this.errors.push(error);
    if (this.errors.length === this.maxErrors) {
      this.errors.push({ code: 'syntax-error', message: `Too many errors (${this.maxErrors}); the rest of the text was not checked.`, start, end });
    }
  }

  syntax(message: string, start: number, end: number): void {
    this.report('syntax-error', message, start, end);
  }

  schemaError(message: string, start: number, end: number, suggestions?: string[]): void {
    this.report('schema-error', message, start, end, suggestions);
  }
}
