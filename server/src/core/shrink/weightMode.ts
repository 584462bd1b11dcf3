// How shrink stores float weights: float16 (half the bytes), 8-bit (a quarter) or as they are.
export type WeightMode = 'float16' | 'int8' | 'keep';

export const WEIGHT_MODES: readonly WeightMode[] = ['float16', 'int8', 'keep'];

/** Tensors smaller than this stay float32: the restoring ops would cost more than they save. */
export const MIN_CONVERTED_BYTES = 1024;

/** Default tolerance, as a fraction of each output's range. */
export function defaultTolerance(mode: WeightMode): number {
  return mode === 'int8' ? 5e-2 : mode === 'float16' ? 1e-2 : 1e-5;
}
