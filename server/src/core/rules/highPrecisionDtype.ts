// high-precision-dtype: int64 and float64 take twice the bytes of int32 and float32. Variables
// stored that way double their share of the model; inputs double every request. Scalars are left
// out: step counters are int64 by design and weigh nothing.
import { formatBytes } from '../units';
import { OBJECT_GRAPH_KEY, BundleEntry } from '../checkpoint';
import { TensorSpec } from '../savedmodel';
import { Issue, elementAt, fileAt } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

const NARROWER: Readonly<Record<string, string>> = { DT_INT64: 'int32', DT_DOUBLE: 'float32' };
const SHORT: Readonly<Record<string, string>> = { DT_INT64: 'int64', DT_DOUBLE: 'float64' };

export const highPrecisionDtype: Rule = {
  id: 'high-precision-dtype',
  defaultSeverity: 'info',
  description: 'int64/float64 variables or inputs, with the bytes a narrower type would save.',
  check(ctx: RuleContext): Issue[] {
    return [...variablesIssue(ctx), ...inputIssues(ctx)];
  },
};

function variablesIssue(ctx: RuleContext): Issue[] {
  const v = ctx.model.variables;
  if (v.kind !== 'v2') return [];
  const wide = v.index.entries.filter((e) => NARROWER[e.dtype] && e.slices === 0 && e.shape.length > 0 && e.name !== OBJECT_GRAPH_KEY);
  if (!wide.length) return [];
  const bytes = wide.reduce((s, e) => s + e.size, 0);
  const top = [...wide].sort((a, b) => b.size - a.size).slice(0, 3).map(describe).join(', ');
  return [{
    message: `${wide.length} variable${wide.length > 1 ? 's are' : ' is'} int64/float64 (${formatBytes(bytes)}): ${top}${wide.length > 3 ? ', ...' : ''}. ` +
      `Stored as int32/float32 they would take ${formatBytes(bytes / 2)}, saving ${formatBytes(bytes / 2)}, if their values fit.`,
    location: fileAt('variables/variables.index'),
  }];
}

function describe(e: BundleEntry): string {
  return `'${e.name}' ${SHORT[e.dtype]} [${e.shape.join(', ')}] ${formatBytes(e.size)}`;
}

function inputIssues(ctx: RuleContext): Issue[] {
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const mg of ctx.serving.candidates) {
    for (const sig of mg.clientSignatures) {
      for (const t of sig.inputs) {
        const id = `${mg.index}/${t.name ?? `${sig.key}/${t.key}`}`;
        if (!NARROWER[t.dtype] || seen.has(id)) continue;
        seen.add(id);
        out.push(inputIssue(sig.key, t));
      }
    }
  }
  return out;
}

function inputIssue(sigKey: string, t: TensorSpec): Issue {
  const inner = t.shape.dims?.slice(1);
  const perInstance = inner && inner.every((d) => d >= 0) ? inner.reduce((a, d) => a * d, 1) * 4 : undefined;
  return {
    message: `Signature '${sigKey}' input '${t.key}' is ${SHORT[t.dtype]}: every value takes 8 bytes where ${NARROWER[t.dtype]} takes 4` +
      `${perInstance !== undefined ? ` (${formatBytes(perInstance)} less per instance)` : ''}. If the values fit, ${NARROWER[t.dtype] === 'int32' ? 'an' : 'a'} ${NARROWER[t.dtype]} input halves request tensors.`,
    location: elementAt([...t.path, { field: 'dtype' }]),
  };
}
