// The graph type check (TensorFlow's import-time checks) over a meta graph: used by the rule
// graph-type-error and by shrink before it writes a copy.
export { checkMetaGraph } from './checkGraph';
export type { GraphCheckOptions, GraphProblem } from './checkGraph';
export { declaredOpDefMessages, declaredOpDefs, functionOpDefs, graphVersions, opDefInfo } from './opDefTable';
export type { ArgSpec, AttrSpec, OpDefInfo, OpDefTable } from './opDefTable';
export { coreOpDef, coreOpNames } from './coreOpDefs';
