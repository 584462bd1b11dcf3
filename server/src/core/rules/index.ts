// Every rule, in the order of the public table (docs/rules.md). Ids are public and stable:
// settings, CLI output, SARIF and the docs use them; never rename one once released.
import { Rule, RuleInfo } from './rule';
import { RuleId } from './finding';
import { notASavedModel } from './notASavedModel';
import { serveTagMissing } from './serveTagMissing';
import { multipleServeMetaGraphs } from './multipleServeMetaGraphs';
import { predictSignatureMissing } from './predictSignatureMissing';
import { servingDefaultMissing } from './servingDefaultMissing';
import { invalidMethodName } from './invalidMethodName';
import { danglingTensorReference } from './danglingTensorReference';
import { batchDimensionFixed } from './batchDimensionFixed';
import { trainingOpInServingGraph } from './trainingOpInServingGraph';
import { customOp } from './customOp';
import { fileAccessOp } from './fileAccessOp';
import { modelSizeLimit } from './modelSizeLimit';
import { trainingArtifact } from './trainingArtifact';
import { highPrecisionDtype } from './highPrecisionDtype';
import { variablesMissing } from './variablesMissing';
import { variablesCorrupt } from './variablesCorrupt';
import { assetMissing } from './assetMissing';
import { explanationMetadataInvalid } from './explanationMetadataInvalid';
import { syntaxError, schemaError } from './parserErrors';
import { legacyV1Checkpoint } from './legacyV1Checkpoint';
import { constWithoutValue } from './constWithoutValue';
import { graphTypeError } from './graphTypeError';
import { unusedWeights } from './unusedWeights';
import { wireTypeMismatch } from './wireTypeMismatch';

export const RULES: readonly Rule[] = [
  notASavedModel,
  serveTagMissing,
  multipleServeMetaGraphs,
  predictSignatureMissing,
  servingDefaultMissing,
  invalidMethodName,
  danglingTensorReference,
  batchDimensionFixed,
  trainingOpInServingGraph,
  customOp,
  fileAccessOp,
  modelSizeLimit,
  trainingArtifact,
  highPrecisionDtype,
  variablesMissing,
  variablesCorrupt,
  assetMissing,
  constWithoutValue,
  graphTypeError,
  unusedWeights,
  explanationMetadataInvalid,
  syntaxError,
  schemaError,
  legacyV1Checkpoint,
  wireTypeMismatch,
];

/** Where the rules are documented; each rule's section has its id as anchor. */
export const RULES_DOC_URL = 'https://github.com/savedmodel-lens/savedmodel-lens/blob/main/docs/rules.md';

export function ruleDocsUri(id: RuleId): string {
  return `${RULES_DOC_URL}#${id}`;
}

export function findRule(id: RuleId): RuleInfo | undefined {
  return RULES.find((r) => r.id === id);
}

export { Rule, RuleInfo };
