// Shrink: the serving-only copy of a SavedModel (frozen graph, weights at lower precision, nothing
// of training), proven by the graph type check, the copy's check, and its answers next to the
// source's in the built-in runtime. Imports savedmodel/, graphcheck/, smoke/, export/ and the rules.
export { ShrinkError } from './shrinkError';
export { shrinkModel } from './shrinkModel';
export type { ShrinkOptions, ShrinkReport, ShrinkVerdict } from './shrinkModel';
export { WEIGHT_MODES, defaultTolerance } from './weightMode';
export type { WeightMode } from './weightMode';
export { formatShrinkMarkdown, formatShrinkText } from './reportText';
export type { OutputDiff } from './answerDiff';
export type { SignatureAnswers } from './compareAnswers';
