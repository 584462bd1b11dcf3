// A model directory's size by part: the graph file, the weights (variables/, or in the copy the
// constants inside the graph), the assets (assets/ and assets.extra/) and anything else.
import * as path from 'node:path';
import type { LoadedModel } from '../savedmodel';
import { filesUnder } from '../savedmodel';

export interface PartSizes {
  readonly graphFile: number;
  readonly variables: number;
  readonly assets: number;
  readonly other: number;
  readonly total: number;
}

export function partSizes(model: Pick<LoadedModel, 'files' | 'location' | 'totalBytes'>): PartSizes {
  const sum = (l: ReadonlyArray<{ bytes: number }>): number => l.reduce((s, f) => s + f.bytes, 0);
  const modelRel = path.basename(model.location.modelFile);
  const graphFile = model.files.find((f) => f.path === modelRel)?.bytes ?? 0;
  const variables = sum(filesUnder(model.files, 'variables'));
  const assets = sum([...filesUnder(model.files, 'assets'), ...filesUnder(model.files, 'assets.extra')]);
  const total = model.totalBytes;
  return { graphFile, variables, assets, other: total - graphFile - variables - assets, total };
}
