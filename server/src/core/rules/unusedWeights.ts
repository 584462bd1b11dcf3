// unused-weights: checkpoint entries no serving signature reads. TensorFlow restores the whole
// checkpoint at load, so optimizer slots, the global step and EMA shadows are uploaded, count
// against the size limit and are read into memory for nothing. Info, or a warning when they are
// over a tenth of the directory.
import { BundleEntry } from '../checkpoint';
import { formatBytes } from '../units';
import { Issue, fileAt } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

export type UnusedKind = 'optimizer' | 'global-step' | 'ema' | 'metrics' | 'other';

const OPTIMIZER_SLOT = /(\.OPTIMIZER_SLOT\/|^optimizer\/|^training\/|\/(Adam|Adam_1|Momentum|RMSProp|RMSProp_1|Adagrad|AdagradDA|Adadelta|Adadelta_1|Ftrl|Ftrl_1|Adamax|Nadam)(_\d+)?$|^(beta1_power|beta2_power)(_\d+)?$)/;

export function unusedKind(key: string): UnusedKind {
  if (/(^|\/)global_step$|^save_counter\//.test(key)) return 'global-step';
  if (/ExponentialMovingAverage/.test(key)) return 'ema';
  if (OPTIMIZER_SLOT.test(key)) return 'optimizer';
  if (/(^|\/)keras_api\/metrics\/|^metrics\//.test(key)) return 'metrics';
  return 'other';
}

const KIND_TEXT: Record<UnusedKind, string> = {
  optimizer: 'optimizer state (slots such as Adam\'s m and v, iterations)',
  'global-step': 'the step counters',
  ema: 'moving-average shadows',
  metrics: 'metric accumulators',
  other: 'variables no signature reads (training-only layers, unused heads)',
};

const WARN_SHARE = 0.1;
const LARGEST = 5;

export const unusedWeights: Rule = {
  id: 'unused-weights',
  defaultSeverity: 'info',
  description: 'Checkpoint entries no serving signature reads (optimizer slots, global step, EMA shadows, training-only layers).',
  check(ctx: RuleContext): Issue[] {
    const served = ctx.served;
    if (!served || !served.unused.length || ctx.model.variables.kind !== 'v2') return [];
    const unusedBytes = total(served.unused);
    const variablesBytes = ctx.sizes.parts.variables;
    const share = ctx.sizes.total > 0 ? unusedBytes / ctx.sizes.total : 0;
    const byKind = groupKinds(served.unused);
    const kinds = [...byKind].map(([k, es]) => `${KIND_TEXT[k]}: ${formatBytes(total(es))} in ${es.length} entr${es.length > 1 ? 'ies' : 'y'}`);
    const optimizer = byKind.has('optimizer');
    return [{
      message: `${formatBytes(unusedBytes)} of ${formatBytes(variablesBytes)} of variables are read by no serving signature` +
        ` (${Math.round(share * 100)}% of the directory): ${kinds.join('; ')}. Largest: ` +
        `${served.unused.slice(0, LARGEST).map((e) => `${e.name} ${formatBytes(e.size)}`).join(', ')}. ` +
        `${optimizer ? 'Export with include_optimizer=False (Keras) or without the optimizer, or run' : 'Run'} ` +
        'savedmodel-lens shrink (SavedModel: Export Smaller Serving Copy) for a copy with only what serving reads.',
      location: fileAt('variables/variables.index'),
      severity: share > WARN_SHARE ? 'warning' : 'info',
    }];
  },
};

function total(es: readonly BundleEntry[]): number {
  return es.reduce((s, e) => s + e.size, 0);
}

function groupKinds(es: readonly BundleEntry[]): Map<UnusedKind, BundleEntry[]> {
  const out = new Map<UnusedKind, BundleEntry[]>();
  for (const e of es) {
    const k = unusedKind(e.name);
    out.set(k, [...(out.get(k) ?? []), e]);
  }
  return out;
}
