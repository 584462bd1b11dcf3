// TensorFlow checkpoints: the LevelDB table, snappy, crc32c, the variables index and the writer.
// Imports protobuf/ only.
export { CheckpointError } from './checkpointError';
export { OBJECT_GRAPH_KEY, findEntry, loadVariablesDir, readEntryBytes, readObjectGraphBytes, readTensorBytes } from './checkpointIndex';
export type { BundleEntry, CheckpointIndex, SliceExtent, VariablesState } from './checkpointIndex';
export { tensorSliceKey } from './tensorSliceKey';
export { readV1Checkpoint } from './v1Checkpoint';
export type { V1Tensor } from './v1Checkpoint';
export { writeCheckpoint } from './checkpointWriter';
export type { CheckpointTensor } from './checkpointWriter';
export { decodeStringTensor } from './stringTensor';
export { shardLengthFaults, verifyCheckpointData } from './verifyCheckpoint';
export type { EntryFault } from './verifyCheckpoint';
