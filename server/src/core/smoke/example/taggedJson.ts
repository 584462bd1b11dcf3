// JSON read with each number's literal kind kept: TensorFlow Serving's classify and regress APIs
// type a feature by how its numbers are written (`5` is an int64 feature, `5.0` a float one), and
// JSON.parse forgets the difference.

export type TaggedJson =
  | null | boolean | string
  | { readonly number: number; readonly integer: boolean }
  | TaggedJson[]
  | { readonly object: ReadonlyMap<string, TaggedJson> };

export class JsonSyntaxError extends Error {}

// Sticky: matched where the parser stands, without copying the rest of the text.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

export function parseTaggedJson(text: string): TaggedJson {
  const p = new Parser(text);
  const v = p.value();
  p.space();
  if (p.at < text.length) p.fail('unexpected text after the JSON value');
  return v;
}

class Parser {
  at = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new JsonSyntaxError(`${what} at character ${this.at}`);
  }

  space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  value(): TaggedJson {
    this.space();
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return v;
      }
    }
    return this.number();
  }

  private object(): TaggedJson {
    const out = new Map<string, TaggedJson>();
    this.at++;
    this.space();
    if (this.text[this.at] === '}') return (this.at++, { object: out });
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail('expected a string key');
      const key = this.string();
      this.space();
      if (this.text[this.at++] !== ':') this.fail('expected ":"');
      out.set(key, this.value());
      this.space();
      const c = this.text[this.at++];
      if (c === '}') return { object: out };
      if (c !== ',') this.fail('expected "," or "}"');
    }
  }

  private array(): TaggedJson {
    const out: TaggedJson[] = [];
    this.at++;
    this.space();
    if (this.text[this.at] === ']') return (this.at++, out);
    for (;;) {
      out.push(this.value());
      this.space();
      const c = this.text[this.at++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected "," or "]"');
    }
  }

  private string(): string {
    STRING.lastIndex = this.at;
    const m = STRING.exec(this.text);
    if (!m) this.fail('invalid string');
    this.at += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  private number(): TaggedJson {
    NUMBER.lastIndex = this.at;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail('invalid JSON value');
    this.at += m[0].length;
    return { number: Number(m[0]), integer: m[1] === undefined && m[2] === undefined };
  }
}
