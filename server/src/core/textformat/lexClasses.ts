// Byte classes of the text format's tokenizer (letters, digits, hex and octal digits) and the
// one-character escapes of its string literals, as lookup tables indexed by byte.

export const LETTER = 1;
export const DIGIT = 2;
export const HEX = 4;
export const OCTAL = 8;
export const ALNUM = LETTER | DIGIT;

/** Class bits of each byte value. */
export const CLASS = buildClasses();

function buildClasses(): Uint8Array {
  const t = new Uint8Array(256);
  const mark = (from: string, to: string, bits: number): void => {
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) t[c] |= bits;
  };
  mark('a', 'z', LETTER);
  mark('A', 'Z', LETTER);
  mark('_', '_', LETTER);
  mark('0', '9', DIGIT | HEX);
  mark('0', '7', OCTAL);
  mark('a', 'f', HEX);
  mark('A', 'F', HEX);
  return t;
}

/** Escapes protoc takes after a backslash as one character: \a \b \f \n \r \t \v \\ \? \' \". 0 = not one. */
export const SIMPLE_ESCAPE = buildSimpleEscapes();

function buildSimpleEscapes(): Uint8Array {
  const t = new Uint8Array(256);
  const pairs: Array<[string, number]> = [['a', 7], ['b', 8], ['f', 12], ['n', 10], ['r', 13], ['t', 9], ['v', 11], ['\\', 92], ['?', 63], ["'", 39], ['"', 34]];
  for (const [k, v] of pairs) t[k.charCodeAt(0)] = v;
  return t;
}
