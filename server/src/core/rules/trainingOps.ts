// Op types that belong to training, not to a serving graph: input pipelines of TF1 (file readers,
// queues), losses, optimizer updates and summaries. Dropout has no op type of its own; it is
// recognised by its shape in the graph (see dropout.ts).

export type TrainingKind = 'file reader' | 'input queue' | 'loss' | 'optimizer update' | 'summary';

const PATTERNS: ReadonlyArray<[RegExp, TrainingKind]> = [
  [/^(TFRecord|TextLine|WholeFile|FixedLengthRecord|Identity|LMDB)Reader(V2)?$/, 'file reader'],
  [/^Reader(Read|ReadUpTo|Reset|RestoreState|SerializeState|NumRecordsProduced|NumWorkUnitsCompleted)(V2)?$/, 'file reader'],
  [/^(FIFO|PaddingFIFO|RandomShuffle|Priority|Fake)Queue(V2)?$/, 'input queue'],
  [/^Queue(Dequeue|DequeueMany|DequeueUpTo|Enqueue|EnqueueMany|Close|Size|IsClosed)(V2)?$/, 'input queue'],
  [/^(Sparse)?SoftmaxCrossEntropyWithLogits$/, 'loss'],
  // ApplyAdam, ResourceApplyAdam, SparseApplyFtrl, ResourceSparseApplyMomentum, ...
  [/^(Resource)?(Sparse)?Apply[A-Z]/, 'optimizer update'],
  [/^(Scalar|Histogram|Image|Audio|Merge|Tensor)Summary(V2)?$/, 'summary'],
  [/^Write(Scalar|Histogram|Image|Audio|Graph|RawProto)?Summary$/, 'summary'],
  [/^(Create)?Summary(File|Db)?Writer$/, 'summary'],
  [/^(Flush|Close)SummaryWriter$/, 'summary'],
  [/^ImportEvent$/, 'summary'],
];

// Graphs repeat a few dozen op types over many nodes: classify each type once.
const known = new Map<string, TrainingKind | undefined>();

export function trainingKind(op: string): TrainingKind | undefined {
  if (known.has(op)) return known.get(op);
  const kind = PATTERNS.find(([re]) => re.test(op))?.[1];
  known.set(op, kind);
  return kind;
}
