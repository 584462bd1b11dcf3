// Which meta graphs the prediction service would serve. TF Serving loads the meta graph whose tag
// set is exactly {serve}; a SavedModel without one is still judged on what it has, so that adding
// the tag is not followed by a second round of surprises.
import { MetaGraph, SavedModelDoc } from '../savedmodel';

export const SERVE_TAG = 'serve';

export interface ServingMetaGraphs {
  /** Meta graphs whose tag set is exactly {serve}. */
  readonly exact: readonly MetaGraph[];
  /** Meta graphs carrying the serve tag among others. */
  readonly tagged: readonly MetaGraph[];
  /** What the signature and graph rules judge: exact, else tagged, else every meta graph. */
  readonly candidates: readonly MetaGraph[];
}

export function servingMetaGraphs(doc: SavedModelDoc): ServingMetaGraphs {
  const tagged = doc.metaGraphs.filter((mg) => mg.tags.includes(SERVE_TAG));
  const exact = tagged.filter((mg) => new Set(mg.tags).size === 1);
  const candidates = exact.length ? exact : tagged.length ? tagged : doc.metaGraphs;
  return { exact, tagged, candidates };
}

export function formatTags(mg: MetaGraph): string {
  return `{${mg.tags.join(', ')}}`;
}
