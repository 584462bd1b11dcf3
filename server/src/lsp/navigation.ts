// Go to definition and find references for tensor and function names: `x:0`, `x`, `^x` → node `x`
// of the same graph (or FunctionDef); a function call (NameAttrList, op name, object graph) → the
// FunctionDef whose signature has that name. Works on the tree, so on a .pbtxt and a decoded .pb.
import { Location, Position } from 'vscode-languageserver';
import { DocumentAnalysis } from './documentAnalysis';
import { navigationIndex, Site, siteAt, spanAt } from './navigationIndex';

export function definition(a: DocumentAnalysis, position: Position): Location[] {
  const idx = navigationIndex(a);
  const site = siteAt(idx, a.lines.offsetAt(position));
  if (!site) return [];
  const decl = idx.decls.get(site.target);
  return decl ? [locationOf(a, decl)] : [];
}

/**
 * Every use of the name under the cursor; off a name, of the node (else the function) the cursor
 * is in.
 */
export function references(a: DocumentAnalysis, position: Position, includeDeclaration: boolean): Location[] {
  const idx = navigationIndex(a);
  const offset = a.lines.offsetAt(position);
  const target = siteAt(idx, offset)?.target ?? spanAt(idx.nodes, offset)?.target ?? spanAt(idx.functions, offset)?.target;
  if (!target) return [];
  const sites = idx.byTarget.get(target) ?? [];
  return sites.filter((s) => includeDeclaration || !s.decl).map((s) => locationOf(a, s));
}

function locationOf(a: DocumentAnalysis, s: Site): Location {
  return { uri: a.uri, range: a.lines.rangeOf(s.start, s.end) };
}
