// The smoke test and the built-in runtime. What the rest of the core uses: the variable → checkpoint
// key mapping (rule unused-weights), the freeze and the runtime (shrink).
export { variableKeys } from './variableKeys';
export type { GraphNodeView, VariableKeys } from './variableKeys';
