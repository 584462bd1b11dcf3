// The asset tensors the loader feeds with each asset's path: the meta graph's asset_file_def, and
// the `saved_model_assets` collection of older TF1 exports (AssetFileDef messages in an Any list).
import type { MetaGraph } from '../../savedmodel';
import { decodePlain, loadSchema, msg, msgList, str } from '../../protobuf';

export interface AssetTensor {
  readonly tensorName: string;
  readonly filename: string;
}

export function assetTensors(mg: MetaGraph): AssetTensor[] {
  const out: AssetTensor[] = mg.assetFiles.map((a) => ({ tensorName: a.tensorName, filename: a.filename }));
  const type = loadSchema().message('tensorflow.AssetFileDef');
  for (const any of msgList(msg(mg.collections.saved_model_assets?.any_list).value)) {
    const value = any.value;
    if (!(value instanceof Uint8Array) || !str(any.type_url).endsWith('tensorflow.AssetFileDef')) continue;
    try {
      const def = decodePlain(value, 0, value.length, type);
      out.push({ filename: str(def.filename), tensorName: str(msg(def.tensor_info).name) });
    } catch {
      // A corrupt entry feeds nothing; rule asset-missing reports it.
    }
  }
  return out.filter((a) => a.filename.length > 0 && a.tensorName.length > 0);
}
