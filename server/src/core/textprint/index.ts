// Writing protobuf text from binary, as protoc --decode does (maps sorted, floats shortest,
// unknown fields kept), optionally recording the parse tree of what it writes. Imports protobuf/,
// and textformat/ for the parse tree's storage.
export { printText, printTextChunks, printTextToFile, printTextWithTree } from './textPrinter';
export type { PrintedText, PrintOptions } from './textPrinter';
