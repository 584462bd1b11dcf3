// Char codes of the symbols the text-format parser looks for (TextLexer.sym of a Symbol token).

export const COMMA = 44;
export const MINUS = 45;
export const DOT = 46;
export const SLASH = 47;
export const COLON = 58;
export const SEMICOLON = 59;
export const LANGLE = 60;
export const RANGLE = 62;
export const LBRACKET = 91;
export const RBRACKET = 93;
export const LBRACE = 123;
export const RBRACE = 125;
