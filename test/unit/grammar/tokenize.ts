// Tokenizes text with our TextMate grammar through the engine VS Code itself uses
// (vscode-textmate + the Oniguruma regex library compiled to wasm).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

export const GRAMMAR_PATH = path.resolve(__dirname, '..', '..', '..', 'syntaxes', 'pbtxt.tmLanguage.json');
export const SCOPE_NAME = 'source.pbtxt';

/** One token of one line: its text and its scope stack, outermost (source.pbtxt) first. */
export interface Token {
  text: string;
  scopes: string[];
}

let grammar: Promise<textmate.IGrammar> | undefined;

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => scopeName === SCOPE_NAME
      ? textmate.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH)
      : null,
  });
  const loaded = await registry.loadGrammar(SCOPE_NAME);
  if (!loaded) throw new Error(`grammar ${SCOPE_NAME} did not load from ${GRAMMAR_PATH}`);
  return loaded;
}

/** Tokens per line; the rule stack carries over, as in the editor. */
export async function tokenizeLines(lines: readonly string[]): Promise<Token[][]> {
  grammar ??= loadGrammar();
  const g = await grammar;
  let stack = textmate.INITIAL;
  return lines.map((line) => {
    const r = g.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

export async function tokenizeLine(line: string): Promise<Token[]> {
  const [tokens] = await tokenizeLines([line]);
  return tokens;
}

/** The innermost scope of every token, as "text => scope", whitespace-only tokens left out. */
export function innermostScopes(tokens: readonly Token[]): string[] {
  return tokens.filter((t) => t.text.trim() !== '').map((t) => `${t.text} => ${t.scopes[t.scopes.length - 1]}`);
}
