// Writing a clean serving copy of a model directory. Imports savedmodel/, protobuf/ and the rules.
export { ServingExportError, checkTarget, planServingExport, replaceFolder, writeServingExport } from './servingExport';
export type { ServingExportPlan } from './servingExport';
