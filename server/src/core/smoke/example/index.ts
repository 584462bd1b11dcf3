// tf.Example inputs for the built-in runtime: parsed on the host before the graph runs, and
// synthesized when the user sends no request.
export { hoistExampleParsing, runExampleStages, stageFeeds, usedStages } from './hostStage';
export type { ExampleStage } from './hostStage';
export { ExampleError } from './parseExamples';
export { exampleInputSpecs } from './exampleInputs';
export { describeFeatures, synthesizeExample } from './synthesizeExamples';
export type { ParseConfig } from './parseConfig';
export { examplesRequest } from './examplesRequest';
