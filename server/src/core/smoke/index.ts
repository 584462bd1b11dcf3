// The smoke test and the built-in runtime. The CLI and the language server run it (runSmokeTest)
// and print its report; what the rest of the core uses: the variable → checkpoint
// key mapping (rule unused-weights); the freeze's building blocks, the request and the built-in
// runtime (shrink writes the frozen graph back as a SavedModel and runs both).
export { variableKeys } from './freeze/variableKeys';
export type { GraphNodeView, VariableKeys } from './freeze/variableKeys';
export { FlatGraph, FreezeError, normalizeRef, refIndex, refNode } from './freeze/flatGraph';
export type { FlatNode, TensorRef } from './freeze/flatGraph';
export { inlineCalls, calledFunction } from './freeze/inline';
export { readOpSignatures } from './freeze/opDefs';
export { variablesToConstants } from './freeze/resourceReads';
export { ValueError, checkpointValue, tensorProtoValue } from './request/rawTensor';
export type { RawTensor } from './request/rawTensor';
export { smokeModel, pickSignature } from './smokeModel';
export type { SmokeModel } from './smokeModel';
export { parseRequestText, validateRequest } from './request/request';
export type { ParsedRequest } from './request/request';
export { synthesizeRequest } from './request/synthesize';
export { BuiltinRuntime } from './runtime/builtinRuntime';
export type { WorkerEntry } from './runtime/builtinRuntime';
export type { OutputTensor, RunResult } from './runtime/runtime';
export type { HostTensor } from './request/hostTensor';
export { halfToFloat } from './freeze/weights';
export { loadTopLevel, isInitNode, assetPaths } from './freeze/topLevel';
export { initRoots, initEffects, tableIdentity, TABLE_OPS } from './freeze/initPhase';
export type { InitEffects } from './freeze/initPhase';
export { tableReason } from './freeze/tableSetup';
export { checkpointReader } from './freeze/checkpointValues';
export { runSmokeTest } from './runSmoke';
export type { SmokeOptions } from './runSmoke';
export { exitCode, formatReport, failedReport } from './report';
export { deviceSummary } from './deviceSummary';
export type { BackendName, DeviceRequest, RuntimeChoice } from './runtime/runtime';
export { exampleInputSpecs } from './example';
