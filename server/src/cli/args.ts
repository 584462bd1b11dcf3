// A small argument parser: positional arguments, `--flag`, `--key value`, `--key=value`, and
// repeatable options. The CLI's commands are few; a dependency would be heavier than this.

export interface ParsedArgs {
  readonly positional: string[];
  readonly options: Map<string, string[]>;
  readonly flags: Set<string>;
}

export function parseArgs(argv: readonly string[], valued: ReadonlySet<string>): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    const [rawKey, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const key = rawKey.replace(/^--?/, '');
    if (valued.has(key)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`--${key} needs a value`);
      options.set(key, [...(options.get(key) ?? []), v]);
    } else {
      if (inline !== undefined) throw new UsageError(`--${key} takes no value`);
      flags.add(key);
    }
  }
  return { positional, options, flags };
}

export function option(args: ParsedArgs, key: string): string | undefined {
  const v = args.options.get(key);
  return v ? v[v.length - 1] : undefined;
}

export class UsageError extends Error {}
