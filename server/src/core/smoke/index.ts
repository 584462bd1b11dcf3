// The smoke test and the built-in runtime. The CLI and the language server run it (runSmokeTest)
// and print its report; what the rest of the core uses: the variable → checkpoint
// key mapping (rule unused-weights); the freeze's building blocks, the request and the built-in
// runtime (shrink writes the frozen graph back as a SavedModel and runs both).
export { variableKeys } from './variableKeys';
export type { GraphNodeView, VariableKeys } from './variableKeys';
export { FlatGraph, FreezeError, normalizeRef, refIndex, refNode } from './flatGraph';
export type { FlatNode, TensorRef } from './flatGraph';
export { inlineCalls, calledFunction } from './inline';
export { readOpSignatures } from './opDefs';
export { variablesToConstants } from './resourceReads';
export { ValueError, checkpointValue, tensorProtoValue } from './rawTensor';
export type { RawTensor } from './rawTensor';
export { smokeModel, pickSignature } from './smokeModel';
export type { SmokeModel } from './smokeModel';
export { parseRequestText, validateRequest } from './request';
export type { ParsedRequest } from './request';
export { synthesizeRequest } from './synthesize';
export { BuiltinRuntime } from './builtinRuntime';
export type { WorkerEntry } from './builtinRuntime';
export type { OutputTensor, RunResult } from './runtime';
export type { HostTensor } from './hostTensor';
export { halfToFloat } from './weights';
export { loadTopLevel, isInitNode, assetPaths } from './topLevel';
export { initRoots, initEffects, tableIdentity, TABLE_OPS } from './initPhase';
export type { InitEffects } from './initPhase';
export { tableReason } from './tableSetup';
export { checkpointReader } from './checkpointValues';
export { runSmokeTest } from './runSmoke';
export type { SmokeOptions } from './runSmoke';
export { exitCode, formatReport, failedReport } from './report';
export { deviceSummary } from './deviceSummary';
export type { BackendName, DeviceRequest, RuntimeChoice } from './runtime';
export { exampleInputSpecs } from './example';
