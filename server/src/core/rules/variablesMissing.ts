// variables-missing: the graph holds variables, so the service restores them from variables/ at
// load time; without the index or a data shard it serves uninitialised variables or fails to load.
import { MetaGraph } from '../savedmodel';
import { msgList, msg } from '../protobuf';
import { Issue, MODEL, fileAt } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

const VARIABLE_OPS = new Set(['VarHandleOp', 'VariableV2', 'Variable', 'AutoReloadVariable', '_VarHandlesOp']);
const INDEX = 'variables/variables.index';

export const variablesMissing: Rule = {
  id: 'variables-missing',
  defaultSeverity: 'error',
  description: 'The graph needs variables but the index or a data shard is missing.',
  check(ctx: RuleContext): Issue[] {
    const v = ctx.model.variables;
    if (v.kind === 'v1') return [];
    const evidence = variableEvidence(ctx.serving.candidates);
    if (v.kind === 'error') {
      return [{ message: `The variables checkpoint cannot be read: ${v.message}. Copy variables/ again from where the model was exported.`, location: fileAt(ctx.hasFile(INDEX) ? INDEX : 'variables') }];
    }
    if (!evidence) return [];
    if (v.kind === 'none') {
      return [{
        message: `The graph has variables (${evidence}) but ${INDEX} is missing, so there is nothing to restore them from. ` +
          'Deploy the whole SavedModel directory, variables/ included.',
        location: MODEL,
      }];
    }
    return v.missingShards.map((shard) => ({
      message: `Data shard variables/${shard} is missing: ${INDEX} stores variables in it. Copy the complete variables/ folder.`,
      location: fileAt(INDEX),
    }));
  },
};

/** What shows that the serving meta graphs hold variables, or undefined. */
function variableEvidence(metaGraphs: readonly MetaGraph[]): string | undefined {
  for (const mg of metaGraphs) {
    const i = mg.graph.ops.findIndex((op) => VARIABLE_OPS.has(op));
    if (i >= 0) return `${mg.graph.ops[i]} '${mg.graph.name(i)}'`;
    const variables = msgList(msg(mg.objectGraph).nodes).filter((n) => n.variable !== undefined);
    if (variables.length) return `${variables.length} variable${variables.length > 1 ? 's' : ''} in the object graph`;
    if (mg.hasSaver) return 'a saver to restore them';
  }
  return undefined;
}
