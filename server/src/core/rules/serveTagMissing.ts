// serve-tag-missing: TF Serving and the prediction service load the meta graph tagged `serve`.
import { elementAt, Issue } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';
import { formatTags } from './servingMetaGraphs';

export const serveTagMissing: Rule = {
  id: 'serve-tag-missing',
  defaultSeverity: 'error',
  description: 'No meta graph is tagged `serve`.',
  check(ctx: RuleContext): Issue[] {
    const { doc } = ctx.model;
    if (ctx.serving.tagged.length) return [];
    if (!doc.metaGraphs.length) {
      return [{ message: 'The SavedModel has no meta graph at all, so there is nothing to serve. Export the model again.', location: elementAt([]) }];
    }
    const found = doc.metaGraphs.map(formatTags).join(', ');
    return [{
      message: `No meta graph is tagged 'serve' (tag sets: ${found}), and the prediction service loads the one tagged {serve}. ` +
        'Export with the serving tag: tf.saved_model.save adds it; with SavedModelBuilder pass tags=[tf.saved_model.SERVING]. ' +
        'A TF Hub module (empty tag set) must be re-exported as a SavedModel for serving.',
      location: elementAt([...doc.metaGraphs[0].path, { field: 'meta_info_def' }]),
    }];
  },
};
