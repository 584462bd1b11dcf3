// Writing protobuf text from binary, as protoc --decode does (maps sorted, floats shortest,
// unknown fields kept). Imports protobuf/ only.
export { printText, printTextChunks, printTextToFile } from './textPrinter';
