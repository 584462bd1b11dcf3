// TensorFlow checkpoints: the LevelDB table, snappy, crc32c, the variables index and the writer.
// Imports protobuf/ only.
export { CheckpointError } from './checkpointError';
export { OBJECT_GRAPH_KEY, findEntry, loadVariablesDir, readObjectGraphBytes, readTensorBytes } from './checkpointIndex';
export type { BundleEntry, CheckpointIndex, VariablesState } from './checkpointIndex';
export { writeCheckpoint } from './checkpointWriter';
export { decodeStringTensor } from './stringTensor';
export { shardLengthFaults, verifyCheckpointData } from './verifyCheckpoint';
export type { EntryFault } from './verifyCheckpoint';
