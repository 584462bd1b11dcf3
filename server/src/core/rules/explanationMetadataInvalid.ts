// explanation-metadata-invalid: AI Explanations reads explanation_metadata.json beside the model;
// every input_tensor_name / output_tensor_name in it must be a tensor of the serving signature
// (TF1 metadata names graph tensors, `x:0`; TF2 metadata names signature keys, so both count).
import { Issue, fileAt, ByteRange } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

export const EXPLANATION_METADATA = 'explanation_metadata.json';

interface Names {
  readonly inputs: ReadonlySet<string>;
  readonly outputs: ReadonlySet<string>;
}

export const explanationMetadataInvalid: Rule = {
  id: 'explanation-metadata-invalid',
  defaultSeverity: 'warning',
  description: '`explanation_metadata.json` names tensors the serving signature lacks.',
  check(ctx: RuleContext): Issue[] {
    const bytes = ctx.readFile(EXPLANATION_METADATA);
    if (!bytes) return [];
    const text = new TextDecoder().decode(bytes);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return [issue(`${EXPLANATION_METADATA} is not valid JSON (${(e as Error).message}). AI Explanations cannot read it.`)];
    }
    if (!isObject(json) || !isObject(json.inputs) || !isObject(json.outputs)) {
      return [issue(`${EXPLANATION_METADATA} needs "inputs" and "outputs" objects keyed by name, each entry naming a tensor ({"input_tensor_name": "x:0"}).`)];
    }
    const names = signatureNames(ctx);
    return [
      ...entries(text, json.inputs, 'input_tensor_name', names.inputs, 'input'),
      ...entries(text, json.outputs, 'output_tensor_name', names.outputs, 'output'),
    ];
  },
};

function issue(message: string, range?: ByteRange): Issue {
  return { message, location: fileAt(EXPLANATION_METADATA, range) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function signatureNames(ctx: RuleContext): Names {
  const inputs = new Set<string>();
  const outputs = new Set<string>();
  for (const mg of ctx.serving.candidates) {
    for (const sig of mg.clientSignatures) {
      for (const t of sig.inputs) addNames(inputs, t.key, t.name);
      for (const t of sig.outputs) addNames(outputs, t.key, t.name);
    }
  }
  return { inputs, outputs };
}

function addNames(set: Set<string>, key: string, name: string | undefined): void {
  set.add(key);
  if (name === undefined) return;
  set.add(name);
  if (name.endsWith(':0')) set.add(name.slice(0, -2));
}

function entries(text: string, group: Record<string, unknown>, field: string, valid: ReadonlySet<string>, side: string): Issue[] {
  const out: Issue[] = [];
  for (const [name, entry] of Object.entries(group)) {
    const tensor = isObject(entry) ? entry[field] : undefined;
    if (typeof tensor !== 'string') {
      out.push(issue(`${side} '${name}' in ${EXPLANATION_METADATA} has no "${field}": name the signature tensor it explains.`, rangeOf(text, JSON.stringify(name))));
    } else if (!valid.has(tensor)) {
      const known = [...valid].filter((n) => n.includes(':')).sort().join(', ');
      out.push(issue(`${side} '${name}' in ${EXPLANATION_METADATA} names tensor '${tensor}', which is not a${side === 'input' ? 'n' : ''} ${side} of the serving signatures` +
        `${known ? ` (they have ${known})` : ''}. Fix the name, or regenerate the metadata from the exported model.`, rangeOf(text, JSON.stringify(tensor))));
    }
  }
  return out;
}

/** Byte range of the first occurrence of `literal` in text (good enough to point at the value). */
function rangeOf(text: string, literal: string): ByteRange | undefined {
  const at = text.indexOf(literal);
  if (at < 0) return undefined;
  const start = Buffer.byteLength(text.slice(0, at));
  return { start, end: start + Buffer.byteLength(literal) };
}
