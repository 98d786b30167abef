// Entry point of the `scone` stand-in (run through the wrapper from install.ts). It parses
// its arguments itself, never through a shell, and reports every failure as one
// `Error: <reason>` line on stderr with an exit code from errors.ts.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { casClient } from './cas-client.ts';
import { casAttest, casProvision, casSetDefault, casShowCertificate, casShowIdentification } from './cas-commands.ts';
import type { CommandContext } from './context.ts';
import { EXIT, SconeCliError, usageError } from './errors.ts';
import { cliMrenclave } from './mrenclave.ts';
import { selfShowKeyHash } from './self-commands.ts';
import { sessionFromFile, sessionRead } from './session-commands.ts';
import { USAGE } from './usage.ts';

type Command = (argv: string[], ctx: CommandContext) => Promise<void>;

const COMMANDS: Record<string, Record<string, Command>> = {
  cas: {
    attest: casAttest,
    provision: casProvision,
    'set-default': casSetDefault,
    'show-identification': casShowIdentification,
    'show-certificate': casShowCertificate,
  },
  session: {
    create: (argv, ctx) => sessionFromFile('create', argv, ctx),
    update: (argv, ctx) => sessionFromFile('update', argv, ctx),
    verify: (argv, ctx) => sessionFromFile('verify', argv, ctx),
    read: sessionRead,
  },
  self: { 'show-key-hash': selfShowKeyHash },
};

export interface SconeIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs one scone command; resolves to its exit code. */
export async function runScone(argv: string[], env: NodeJS.ProcessEnv, io: SconeIo): Promise<number> {
  try {
    if (env.SCONE_HASH === '1') {
      io.out(`${cliMrenclave(env)}\n`);
      return EXIT.ok;
    }
    if (argv.length === 0) {
      io.err(USAGE);
      return EXIT.usage;
    }
    if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
      io.out(USAGE);
      return EXIT.ok;
    }

    const [group, verb, ...rest] = argv;
    const command = COMMANDS[group!]?.[verb ?? ''];
    if (!command) throw unknownCommand(group!, verb);
    await command(rest, { env, out: io.out, call: casClient(env) });
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof SconeCliError)) {
      io.err(`Error: internal failure of the scone stand-in: ${(err as Error).message}\n`);
      return EXIT.refused;
    }
    io.err(`Error: ${err.message}\n`);
    return err.exitCode;
  }
}

function unknownCommand(group: string, verb: string | undefined): SconeCliError {
  const verbs = COMMANDS[group];
  if (!verbs) return usageError(`Unknown command '${group}'; expected one of: ${Object.keys(COMMANDS).join(', ')}`);
  const known = Object.keys(verbs).join(', ');
  return usageError(
    verb
      ? `Unknown command 'scone ${group} ${verb}'; expected one of: ${known}`
      : `'scone ${group}' needs a command: ${known}`,
  );
}

function isMain(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
}

if (isMain()) {
  const io: SconeIo = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };
  process.exitCode = await runScone(process.argv.slice(2), process.env, io);
}
