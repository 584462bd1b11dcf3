/**
 * What a field holds, as the printer dispatches on it (Layout.kind). Its own file so that
 * the layout tables and the scalar printer both use it without importing each other.
 */
export const enum Kind {
  Double, Float, Int64, Uint64, Int32, Fixed64, Fixed32, Bool, String, Bytes,
  Uint32, Sfixed32, Sfixed64, Sint32, Sint64, Enum, Message,
}
