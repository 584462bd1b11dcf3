// training-artifact: files that training leaves beside a model (intermediate checkpoints,
// TensorBoard event files, notebook checkpoints). Prediction never reads them, yet they are
// uploaded and count against the size limit.
import { FileEntry } from '../savedmodel';
import { formatBytes } from '../units';
import { Issue, fileAt } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

type ArtifactKind = 'TensorBoard event file' | 'training checkpoint' | 'notebook checkpoint folder';

// The SavedModel's own checkpoint: V2 index and shards, V1 file(s), and the `checkpoint` state file
// that TensorFlow's 2016 SavedModelBuilder wrote beside them.
const OWN_VARIABLES = /^variables\/(variables\.index|variables\.data-\d{5}-of-\d{5}|variables|variables-\d{5}-of-\d{5}|checkpoint)$/;

export function artifactKind(rel: string): ArtifactKind | undefined {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (/(^|\/)\.ipynb_checkpoints\//.test(rel)) return 'notebook checkpoint folder';
  if (base.startsWith('events.out.tfevents.')) return 'TensorBoard event file';
  if (OWN_VARIABLES.test(rel)) return undefined;
  if (base === 'checkpoint' || /\.ckpt/.test(base)) return 'training checkpoint';
  if (/\.(index|meta|data-\d{5}-of-\d{5})$/.test(base) && !rel.startsWith('assets')) return 'training checkpoint';
  return undefined;
}

export const trainingArtifact: Rule = {
  id: 'training-artifact',
  defaultSeverity: 'warning',
  description: 'Checkpoints, TensorBoard event files or notebook checkpoints in the model directory.',
  check(ctx: RuleContext): Issue[] {
    const out: Issue[] = [];
    const notebookFolders = new Set<string>();
    for (const f of ctx.model.files) {
      const kind = artifactKind(f.path);
      if (!kind) continue;
      if (kind === 'notebook checkpoint folder') {
        const folder = f.path.slice(0, f.path.indexOf('.ipynb_checkpoints') + '.ipynb_checkpoints'.length);
        if (notebookFolders.has(folder)) continue;
        notebookFolders.add(folder);
        out.push(issue(folder, kind, ctx.model.files.filter((g) => g.path.startsWith(`${folder}/`))));
      } else out.push(issue(f.path, kind, [f]));
    }
    return out;
  },
};

function issue(rel: string, kind: ArtifactKind, files: readonly FileEntry[]): Issue {
  const bytes = files.reduce((s, f) => s + f.bytes, 0);
  return {
    message: `${rel} is a ${kind} (${formatBytes(bytes)}): prediction does not use it, but it is uploaded and counts against the size limit. ` +
      'Leave it out of the model directory (savedmodel-lens export-serving copies only what serving needs).',
    location: fileAt(rel),
  };
}
