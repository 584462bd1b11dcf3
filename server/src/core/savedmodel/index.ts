// The SavedModel: the directory, file identification, loading binary or text, the lazy typed
// model, node tables, tensor sizes, the summary, and the builder tests and fixtures write with.
// Imports protobuf/, textformat/ and checkpoint/.
export { sniffBinary, sniffHead, sniffText, sniffTextNamedPb } from './fileKind';
export { loadModel, loadModelFromBytes, withFreshModel } from './loadModel';
export { ModelChangedError, ModelFile } from './modelFile';
export type { LoadFailure, LoadResult, LoadedModel } from './loadModel';
export { filesUnder, listFiles, locateModel } from './modelDirectory';
export type { FileEntry, ModelLocation } from './modelDirectory';
export { formatSummary, summarize } from './modelSummary';
export { NodeTable } from './nodeTable';
export { MetaGraph, formatShape, nodeNameOf } from './savedModel';
export type { FunctionInfo, SavedModelDoc, Signature, TensorSpec } from './savedModel';
export { bytesPerExample, tensorValueSize } from './tensorSize';
export { decodeSavedModel } from './savedModel';
export { constNode, shapeProto } from './modelBuilder';
