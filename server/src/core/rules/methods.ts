// The method names a serving signature may have.
export const PREDICT = 'tensorflow/serving/predict';
export const CLASSIFY = 'tensorflow/serving/classify';
export const REGRESS = 'tensorflow/serving/regress';
export const SERVING_METHODS: readonly string[] = [PREDICT, CLASSIFY, REGRESS];
export const DEFAULT_SIGNATURE_KEY = 'serving_default';
