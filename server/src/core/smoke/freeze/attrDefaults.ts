// Attr defaults for every node. TensorFlow strips attrs equal to their OpDef default when it saves
// (`strip_default_attrs`): a Keras Conv2D then has no `dilations`, which TensorFlow.js reads. The
// defaults come from the meta graph's own OpDefs (stripped_op_list); where it lacks an op, from a
// small table of TensorFlow's registry defaults for common ops (tensorflow/core/ops/*.cc).
import { PlainMessage } from '../../protobuf';
import { FlatNode } from './flatGraph';
import { OpSignatures } from './opDefs';

type Defaults = Readonly<Record<string, PlainMessage>>;

const ints = (...i: number[]): PlainMessage => ({ list: { i } });
const b = (v: boolean): PlainMessage => ({ b: v });
const s = (v: string): PlainMessage => ({ s: new TextEncoder().encode(v) });
const type = (t: string): PlainMessage => ({ type: t });
const f = (v: number): PlainMessage => ({ f: v });
const i = (v: number): PlainMessage => ({ i: v });

const NHWC = s('NHWC');
const CONV: Defaults = { data_format: NHWC, dilations: ints(1, 1, 1, 1), use_cudnn_on_gpu: b(true), explicit_paddings: ints() };
const CONV3D: Defaults = { data_format: s('NDHWC'), dilations: ints(1, 1, 1, 1, 1) };
const POOL: Defaults = { data_format: NHWC };
const BATCH_NORM: Defaults = { epsilon: f(0.0001), data_format: NHWC, is_training: b(true), exponential_avg_factor: f(1) };
const REDUCE: Defaults = { keep_dims: b(false), Tidx: type('DT_INT32') };
const RESIZE: Defaults = { align_corners: b(false), half_pixel_centers: b(false) };

/** TensorFlow's registry defaults for common ops, used when the model carries no OpDef for them. */
export const REGISTRY_DEFAULTS: Readonly<Record<string, Defaults>> = {
  Conv2D: CONV,
  Conv2DBackpropInput: CONV,
  DepthwiseConv2dNative: { data_format: NHWC, dilations: ints(1, 1, 1, 1), explicit_paddings: ints() },
  Conv3D: CONV3D,
  MaxPool: POOL, AvgPool: POOL, MaxPoolV2: POOL,
  MaxPool3D: { data_format: s('NDHWC') }, AvgPool3D: { data_format: s('NDHWC') },
  FusedBatchNorm: BATCH_NORM, FusedBatchNormV2: BATCH_NORM, FusedBatchNormV3: BATCH_NORM,
  BiasAdd: { data_format: NHWC },
  MatMul: { transpose_a: b(false), transpose_b: b(false) },
  BatchMatMul: { adj_x: b(false), adj_y: b(false) }, BatchMatMulV2: { adj_x: b(false), adj_y: b(false) },
  Sum: REDUCE, Mean: REDUCE, Max: REDUCE, Min: REDUCE, Prod: REDUCE, All: REDUCE, Any: REDUCE,
  ArgMax: { output_type: type('DT_INT64'), Tidx: type('DT_INT32') }, ArgMin: { output_type: type('DT_INT64'), Tidx: type('DT_INT32') },
  Cast: { Truncate: b(false) },
  Shape: { out_type: type('DT_INT32') }, Size: { out_type: type('DT_INT32') },
  Squeeze: { squeeze_dims: ints() },
  StridedSlice: { begin_mask: i(0), end_mask: i(0), ellipsis_mask: i(0), new_axis_mask: i(0), shrink_axis_mask: i(0) },
  Pack: { axis: i(0) }, Unpack: { axis: i(0) },
  OneHot: { axis: i(-1) },
  GatherV2: { batch_dims: i(0) },
  LeakyRelu: { alpha: f(0.2) },
  ResizeBilinear: RESIZE, ResizeNearestNeighbor: RESIZE,
  DepthToSpace: { data_format: NHWC }, SpaceToDepth: { data_format: NHWC },
  TopKV2: { sorted: b(true) },
  Cumsum: { exclusive: b(false), reverse: b(false) }, Cumprod: { exclusive: b(false), reverse: b(false) },
  Fill: { index_type: type('DT_INT32') },
  ExpandDims: { Tdim: type('DT_INT32') },
  Transpose: { Tperm: type('DT_INT32') },
  Reshape: { Tshape: type('DT_INT32') },
  Tile: { Tmultiples: type('DT_INT32') },
  ConcatV2: { Tidx: type('DT_INT32') },
  Split: {}, SplitV: { Tlen: type('DT_INT64') },
  Pad: { Tpaddings: type('DT_INT32') }, PadV2: { Tpaddings: type('DT_INT32') }, MirrorPad: { Tpaddings: type('DT_INT32') },
  Range: { Tidx: type('DT_INT32') },
  Einsum: {},
  LookupTableFindV2: {},
  HashTableV2: { container: s(''), shared_name: s(''), use_node_name_sharing: b(false) },
  StatelessWhile: { parallel_iterations: i(10), output_shapes: { list: {} } },
  While: { parallel_iterations: i(10), output_shapes: { list: {} } },
  StatelessIf: { output_shapes: { list: {} } },
  If: { output_shapes: { list: {} } },
};

/**
 * Fill in the attrs each node leaves out from its op's defaults; returns how many were filled.
 * Nodes whose op is a library function (calls) have no defaults to fill.
 */
export function fillAttrDefaults(nodes: Iterable<FlatNode>, sigs: OpSignatures): number {
  let filled = 0;
  for (const node of nodes) {
    const own = sigs.ops.get(node.op)?.defaults;
    const registry = REGISTRY_DEFAULTS[node.op];
    if (!own && !registry) continue;
    const defaults = { ...registry, ...own };
    const missing = Object.keys(defaults).filter((name) => node.attrs[name] === undefined);
    if (!missing.length) continue;
    node.attrs = { ...node.attrs, ...Object.fromEntries(missing.map((name) => [name, defaults[name]])) };
    filled += missing.length;
  }
  return filled;
}
