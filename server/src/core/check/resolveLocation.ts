// Where a finding is, in the terms a reader needs: the file (relative to the model directory), the
// element path for binary files, and a line:column range for text (a .pbtxt, via the parse tree;
// other text files, via the byte range a rule gave). Lines and columns are 1-based, columns in
// UTF-16 code units (what editors and SARIF count by default).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoadedModel } from '../savedmodel';
import { ModelLocation } from '../savedmodel';
import { formatPath } from '../elementPath';
import { findPathPrefix } from '../textformat';
import { LineIndex } from '../textformat';
import { FindingLocation } from '../rules/finding';

export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

export interface ResolvedLocation {
  readonly kind: FindingLocation['kind'];
  /** Relative to the model directory, `/`-separated; undefined for the directory as a whole. */
  readonly file: string | undefined;
  /** For element locations: `meta_graphs[0].signature_def["x"]`. */
  readonly element: string | undefined;
  readonly range: { readonly start: TextPosition; readonly end: TextPosition } | undefined;
}

export type LocationResolver = (loc: FindingLocation) => ResolvedLocation;

export function locationResolver(location: ModelLocation | undefined, model: LoadedModel | undefined): LocationResolver {
  const modelFile = location ? path.basename(location.modelFile) : undefined;
  const indexes = new Map<string, LineIndex | undefined>();
  const lineIndex = (file: string): LineIndex | undefined => {
    if (!indexes.has(file)) indexes.set(file, buildIndex(file));
    return indexes.get(file);
  };
  const buildIndex = (file: string): LineIndex | undefined => {
    if (file === modelFile && model?.text) return new LineIndex(model.text.bytes);
    if (!location) return undefined;
    try {
      return new LineIndex(fs.readFileSync(path.join(location.dir, ...file.split('/'))));
    } catch {
      return undefined;
    }
  };
  const toRange = (file: string, start: number, end: number): ResolvedLocation['range'] => {
    const index = lineIndex(file);
    if (!index) return undefined;
    const pos = (offset: number): TextPosition => {
      const p = index.positionAt(offset);
      return { line: p.line + 1, column: p.character + 1 };
    };
    return { start: pos(start), end: pos(end) };
  };
  return (loc) => {
    switch (loc.kind) {
      case 'model':
        return { kind: 'model', file: undefined, element: undefined, range: undefined };
      case 'file':
        return { kind: 'file', file: loc.path, element: undefined, range: loc.range ? toRange(loc.path, loc.range.start, loc.range.end) : undefined };
      case 'element': {
        const element = formatPath(loc.path);
        const text = model?.text;
        if (!text || !modelFile) return { kind: 'element', file: modelFile, element, range: undefined };
        // A path into something the text leaves implicit points at its closest written ancestor.
        const found = findPathPrefix(text.parse.root, loc.path).range ?? { start: 0, end: 0 };
        return { kind: 'element', file: modelFile, element, range: toRange(modelFile, found.start, found.end) };
      }
    }
  };
}
