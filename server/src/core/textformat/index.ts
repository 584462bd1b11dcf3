// Reading protobuf text: lexer, parser with ranges and recovery, the compact parse tree, scalars,
// Any expansion, the protoc-identical encoder, paths and line positions. Imports protobuf/ only.
export { LineIndex } from './lineIndex';
export { encodeText } from './textEncoder';
export { parseText } from './textParser';
export { storedRoot } from './storedTree';
export { fieldIdOf, RecordKind, TextStore } from './textStore';
export { findPath, findPathPrefix, mapKeyText, pathAt } from './textPaths';
export type { ParseResult, TextError, TextErrorCode, TextField, TextMessage, TextValue } from './textTree';
