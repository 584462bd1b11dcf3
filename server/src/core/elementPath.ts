// Element paths name a place in a SavedModel message independent of its encoding, e.g.
// `meta_graphs[0].signature_def["serving_default"].inputs["x"]`. Rules report them for binary
// files; the editor maps them to ranges in the decoded or parsed text.

export type PathSegment =
  | { readonly field: string }
  | { readonly field: string; readonly index: number }
  | { readonly field: string; readonly key: string };

export type ElementPath = readonly PathSegment[];

export function formatPath(path: ElementPath): string {
  return path
    .map((s, i) => {
      const dot = i === 0 ? '' : '.';
      if ('index' in s) return `${dot}${s.field}[${s.index}]`;
      if ('key' in s) return `${dot}${s.field}[${JSON.stringify(s.key)}]`;
      return `${dot}${s.field}`;
    })
    .join('');
}

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(?:(\d+)|("(?:[^"\\]|\\.)*"))\])?/;

export function parsePath(text: string): ElementPath | undefined {
  const out: PathSegment[] = [];
  let rest = text;
  while (rest.length) {
    const m = SEGMENT.exec(rest);
    if (!m) return undefined;
    if (m[2] !== undefined) out.push({ field: m[1], index: Number(m[2]) });
    else if (m[3] !== undefined) out.push({ field: m[1], key: JSON.parse(m[3]) as string });
    else out.push({ field: m[1] });
    rest = rest.slice(m[0].length);
    if (rest.startsWith('.')) rest = rest.slice(1);
    else if (rest.length) return undefined;
  }
  return out;
}
