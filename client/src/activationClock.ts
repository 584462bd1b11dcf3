// Imported first by extension.ts, so the bundle evaluates it before the language client library:
// the activation time reported then covers loading the bundle as well as activate() itself.
export const bundleLoadStart = performance.now();
