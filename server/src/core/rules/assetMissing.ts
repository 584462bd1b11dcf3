// asset-missing: the graph initialises tables and the like from files in assets/, named by the
// meta graph's asset_file_def (TF2, and TF1 since 1.x) or its `saved_model_assets` collection
// (TF1). A missing file fails the model at load time.
import { MetaGraph } from '../savedmodel';
import { decodePlain } from '../protobuf';
import { msg, msgList, str } from '../protobuf';
import { loadSchema } from '../protobuf';
import { ElementPath } from '../elementPath';
import { Issue, elementAt } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

interface NamedAsset {
  readonly filename: string;
  readonly tensorName: string;
  readonly path: ElementPath;
}

const ASSET_COLLECTION = 'saved_model_assets';

export const assetMissing: Rule = {
  id: 'asset-missing',
  defaultSeverity: 'error',
  description: 'An asset file the graph names is not in assets/.',
  check(ctx: RuleContext): Issue[] {
    const seen = new Set<string>();
    const out: Issue[] = [];
    for (const mg of ctx.serving.candidates) {
      for (const a of namedAssets(mg)) {
        if (seen.has(a.filename)) continue;
        seen.add(a.filename);
        if (ctx.hasFile(`assets/${a.filename}`)) continue;
        out.push({
          message: `Asset '${a.filename}' is not in assets/: the loader feeds its path to tensor '${a.tensorName}', and whatever reads it ` +
            `(a vocabulary table initializer, say) fails. Copy it to assets/${a.filename}, and deploy the whole SavedModel directory.`,
          location: elementAt(a.path),
        });
      }
    }
    return out;
  },
};

export function namedAssets(mg: MetaGraph): NamedAsset[] {
  const out: NamedAsset[] = mg.assetFiles.map((a, j) => ({ ...a, path: [...mg.path, { field: 'asset_file_def', index: j }] }));
  const collection = mg.collections[ASSET_COLLECTION];
  if (!collection) return out;
  const type = loadSchema().message('tensorflow.AssetFileDef');
  for (const any of msgList(msg(collection.any_list).value)) {
    const value = any.value;
    if (!(value instanceof Uint8Array) || !str(any.type_url).endsWith('tensorflow.AssetFileDef')) continue;
    try {
      const def = decodePlain(value, 0, value.length, type);
      out.push({ filename: str(def.filename), tensorName: str(msg(def.tensor_info).name), path: [...mg.path, { field: 'collection_def', key: ASSET_COLLECTION }] });
    } catch {
      // A corrupt entry names no file we could check.
    }
  }
  return out.filter((a) => a.filename.length > 0);
}
