// Folding ranges: every message written over several lines, and runs of comment lines. Outer
// messages come first when there are more than the cap, as editors keep the outer levels too.
import { FoldingRange, FoldingRangeKind } from 'vscode-languageserver';
import { TextMessage } from '../core/textformat';
import { DocumentAnalysis } from './documentAnalysis';

/** More ranges than this only cost transfer time: editors show a few thousand at most. */
export const MAX_FOLDING_RANGES = 50000;

export function foldingRanges(a: DocumentAnalysis): FoldingRange[] {
  const out = messageRanges(a);
  for (const r of commentRanges(a)) out.push(r);
  return out.sort((x, y) => x.startLine - y.startLine || y.endLine - x.endLine);
}

/** Breadth first, so the cap drops the innermost levels. */
function messageRanges(a: DocumentAnalysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  let level: TextMessage[] = [a.tree];
  while (level.length) {
    const next: TextMessage[] = [];
    for (const msg of level) {
      for (const occ of msg.fields) {
        for (const v of occ.values) {
          if (v.kind !== 'message') continue;
          next.push(v);
          // Fold from the line of the field name to the line before the closing brace.
          const startLine = a.lines.lineAt(occ.values.length === 1 ? occ.nameStart : v.start);
          const endLine = closingLine(a, v) - 1;
          if (endLine > startLine) out.push({ startLine, endLine });
          if (out.length >= MAX_FOLDING_RANGES) return out;
        }
      }
    }
    level = next;
  }
  return out;
}

/** The line of a message's closing brace (one past the last line of a message left open). */
function closingLine(a: DocumentAnalysis, msg: TextMessage): number {
  const last = a.bytes[msg.end - 1];
  const closed = msg.end > msg.start + 1 && (last === 0x7d || last === 0x3e);
  return closed ? a.lines.lineAt(msg.end - 1) : a.lines.lineAt(msg.end) + 1;
}

/** Runs of two or more lines that hold only a `#` comment. */
function commentRanges(a: DocumentAnalysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  const bytes = a.bytes;
  let runStart = -1;
  for (let line = 0; line <= a.lines.lineCount; line++) {
    let p = a.lines.lineStart(line);
    while (p < bytes.length && (bytes[p] === 32 || bytes[p] === 9)) p++;
    const isComment = line < a.lines.lineCount && bytes[p] === 0x23;
    if (isComment && runStart < 0) runStart = line;
    if (!isComment && runStart >= 0) {
      if (line - 1 > runStart) out.push({ startLine: runStart, endLine: line - 1, kind: FoldingRangeKind.Comment });
      runStart = -1;
    }
  }
  return out;
}
