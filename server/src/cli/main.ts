// savedmodel-lens: the core as a command-line tool, so CI pipelines can gate deployments with it.
// Exit codes: 0 success, 1 ran and found errors (check, smoke), 2 the input could not be read.
import { parseArgs, UsageError } from './args';
import { showCommand } from './showCommand';
import { exportTextCommand, exportBinaryCommand } from './exportCommands';
import { checkCommand } from './checkCommand';
import { exportServingCommand } from './exportServingCommand';
import { smokeCommand, SMOKE_USAGE } from './smokeCommand';
import { shrinkCommand, SHRINK_USAGE } from './shrinkCommand';

export const USAGE = `usage: savedmodel-lens <command> [options]

commands:
  show <dir|file> [--json]                       signatures, tensors, variables, assets and sizes
  export-text <saved_model.pb> [-o FILE] [--force]      binary to text (protoc-identical)
  export-binary <saved_model.pbtxt> [-o FILE] [--force] text to binary (protoc-identical)
  check <dir|file> [--machine-type mls1|n1] [--max-size BYTES] [--format text|json|sarif] [--rule ID=SEVERITY]...
        [--verify-data]                          serving-readiness findings and the size report;
                                                 --verify-data reads every shard and verifies its checksums
                                                 (exit 0 no errors, 1 errors, 2 unreadable)
  export-serving <dir> <out> [--serve-only] [--force] [--machine-type mls1|n1] [--max-size BYTES]
                                                 a deployable copy with only what prediction needs
${SMOKE_USAGE}
${SHRINK_USAGE}

Without -o, exports write to standard output. Existing files are never overwritten without --force.
`;

type Command = (argv: readonly string[]) => number;
// Commands that wait on child processes (smoke) answer with a promise: run them with mainAsync.
type AsyncCommand = (argv: readonly string[]) => Promise<number>;

const ASYNC_COMMANDS: Record<string, AsyncCommand> = {
  smoke: smokeCommand,
  shrink: shrinkCommand,
};

const COMMANDS: Record<string, Command> = {
  show: showCommand,
  'export-text': exportTextCommand,
  'export-binary': exportBinaryCommand,
  check: checkCommand,
  'export-serving': exportServingCommand,
};

export function main(argv: readonly string[]): number {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd && ASYNC_COMMANDS[name]) throw new Error(`${name} runs asynchronously: call mainAsync`);
  if (!cmd) {
    process.stderr.write(`savedmodel-lens: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return cmd(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`savedmodel-lens ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** main, plus the commands that answer with a promise. */
export async function mainAsync(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = name === undefined ? undefined : ASYNC_COMMANDS[name];
  if (!cmd) return main(argv);
  try {
    return await cmd(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`savedmodel-lens ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

export { parseArgs };

if (require.main === module) {
  void mainAsync(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
