// The bytes layer: the schema read from our .proto files, the wire reader, the plain decoder and
// encoder. Imports nothing else of the core; everything above it may use what is exported here.
export { ByteScratch } from './byteScratch';
export { ByteWriter } from './byteWriter';
export { decodePlain } from './plainDecoder';
export { encodePlain } from './plainEncoder';
export { entries, isPlainMessage, list, msg, msgList, num, str } from './plainMessage';
export type { PlainMessage, PlainValue } from './plainMessage';
export { WireType, loadSchema, loadSchemaFiles } from './schema';
export type { EnumInfo, FieldInfo, FieldType, MessageInfo, Schema } from './schema';
export { WireError, WireReader, asInt32, asInt64, fieldsOf, fixed32, isValidUtf8, utf8At, varintBig } from './wire';
export type { RawField } from './wire';
export { describeProblem, refusalLine, validateWire } from './validateWire';
export type { ValidateOptions, WireProblem, WireVerdict, WireWindow } from './validateWire';
export { MessageSpans } from './messageSpans';
export type { SpanRequest } from './messageSpans';
export { bytesAt, eachChunk, isSparse, registerSparse } from './sparseBytes';
export type { ChunkReader, RangeReader } from './sparseBytes';
