// TensorFlow's standard op types; anything else in a serving graph is a custom op. The names are
// data (standardOps.json, made by scripts/genStandardOps.ts from the reference op list), which
// esbuild bundles as it bundles code, so the list ships without ../shared.
import names from './standardOps.json';

export const STANDARD_OPS: readonly string[] = names;
