// The command line: `audicin run|stream|gold|show`. Flags come from one table (flags.ts); each
// command gets them parsed. Errors meant for people are one line, never a stack: exit 2 for
// usage, 1 for an unusable input or option, 70 for an internal error.
import { AudicinError, isAudicinError } from '../core/errors.js';
import { commandHelp, isCommand, mainHelp, parseFlags, type Command, type Parsed } from './flags.js';
import { processIo, writeOut, type CommandIo } from './output.js';

const COMMANDS: Record<Command, (parsed: Parsed, io: CommandIo) => Promise<number>> = {
  // Each command's modules load when it runs: `stream` starts without the Parquet reader or
  // the progress bar, `show` without the engine.
  run: async ({ values }, io) => (await import('./run.js')).runCommand(values, io),
  stream: async ({ values }, io) => (await import('./stream.js')).streamCommand(values, io),
  gold: async ({ values }, io) => (await import('./stream.js')).goldCommand(values, io),
  show: async ({ values, positionals }, io) => (await import('./show.js')).showCommand(values, positionals, io),
};

const ignore = (): void => undefined;

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[], io: CommandIo = processIo()): Promise<number> {
  // Each write to stdout reports its own failure (writeOut); without a listener, the same
  // error would also be thrown as an unhandled 'error' event, with a stack.
  if (!io.stdout.listeners('error').includes(ignore)) io.stdout.on('error', ignore);
  try {
    const [command, ...args] = argv;
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      await writeOut(io.stdout, mainHelp());
      return command === undefined ? 2 : 0;
    }
    if (!isCommand(command)) {
      const what = command.startsWith('-') ? `expected a command before '${command}'` : `unknown command '${command}'`;
      throw new AudicinError('E_USAGE', `${what} (see audicin --help)`);
    }
    // run's messages have always read `audicin: Unknown option …`; the filters name themselves.
    const parsed = await parseFlags(command, args, command === 'run' ? '' : undefined);
    if (parsed.values.help === true) {
      await writeOut(io.stdout, commandHelp(command));
      return 0;
    }
    return await COMMANDS[command](parsed, io);
  } catch (err) {
    if (isAudicinError(err)) {
      io.stderr.write(`${err.message}\n`);
      return err.code === 'E_USAGE' ? 2 : 1;
    }
    io.stderr.write(`audicin: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    return 70;
  }
}
