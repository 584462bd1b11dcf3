// multiple-serve-meta-graphs: the loader takes the first meta graph whose tag set is exactly the
// requested one; a second {serve} meta graph is silently ignored, which is never what was meant.
import { elementAt, Issue } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

export const multipleServeMetaGraphs: Rule = {
  id: 'multiple-serve-meta-graphs',
  defaultSeverity: 'error',
  description: 'More than one meta graph has exactly the tag set {serve}.',
  check(ctx: RuleContext): Issue[] {
    const [first, ...others] = ctx.serving.exact;
    return others.map((mg) => ({
      message: `Meta graphs ${first.index} and ${mg.index} both have exactly the tag set {serve}: TensorFlow loads the first and ignores this one. ` +
        'Keep one serving meta graph, or tell them apart with more tags (e.g. {serve, gpu}).',
      location: elementAt([...mg.path, { field: 'meta_info_def' }]),
      related: [{ location: elementAt([...first.path, { field: 'meta_info_def' }]), message: `meta graph ${first.index}, the one that is loaded` }],
    }));
  },
};
