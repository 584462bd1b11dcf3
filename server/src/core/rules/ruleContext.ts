// What every rule sees: the loaded model, the check options, and the things several rules need,
// computed once and only when asked for (the serving graph walk is the costly one).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoadedModel } from '../savedmodel';
import { MetaGraph } from '../savedmodel';
import { CheckOptions } from './checkOptions';
import { ServingMetaGraphs, servingMetaGraphs } from './servingMetaGraphs';
import { ServingReach, servingReach } from './servingGraph';
import { SizeReport, sizeReport } from './sizeReport';
import { ServedWeights, servedWeights } from './servedWeights';

export class RuleContext {
  private servingCache: ServingMetaGraphs | undefined;
  private readonly reachCache = new Map<number, ServingReach>();
  private sizesCache: SizeReport | undefined;
  private servedCache: { value: ServedWeights | undefined } | undefined;

  constructor(readonly model: LoadedModel, readonly options: CheckOptions) {}

  get serving(): ServingMetaGraphs {
    this.servingCache ??= servingMetaGraphs(this.model.doc);
    return this.servingCache;
  }

  /** The serving graph of one meta graph. */
  reach(mg: MetaGraph): ServingReach {
    let r = this.reachCache.get(mg.index);
    if (!r) {
      r = servingReach(mg);
      this.reachCache.set(mg.index, r);
    }
    return r;
  }

  get sizes(): SizeReport {
    this.sizesCache ??= sizeReport(this.model, this.options, this.served);
    return this.sizesCache;
  }

  /** The checkpoint entries serving reads and those it does not; undefined when that cannot be told. */
  get served(): ServedWeights | undefined {
    this.servedCache ??= { value: servedWeights(this.model, (mg) => this.reach(mg)) };
    return this.servedCache.value;
  }

  /** saved_model.pb or saved_model.pbtxt: the model file's path relative to the directory. */
  get modelFileName(): string {
    return path.basename(this.model.location.modelFile);
  }

  hasFile(rel: string): boolean {
    return this.model.files.some((f) => f.path === rel);
  }

  /** A file of the model directory (path relative to it), or undefined if it is not there or unreadable. */
  readFile(rel: string): Uint8Array | undefined {
    if (!this.hasFile(rel)) return undefined;
    try {
      return fs.readFileSync(path.join(this.model.location.dir, ...rel.split('/')));
    } catch {
      return undefined;
    }
  }
}
