// The CLI as a function: argv in, exit code out, output on the given streams. main.ts wires it to
// the process; tests and the lead's integration code call it directly.
import { InvalidInputError } from '../domain/validation.ts';
import { CliError, ExitCode } from './cli-error.ts';
import { defaultServices, type CliContext, type CliIo, type CliServices } from './context.ts';
import { helpHint, helpText, type Program } from './help.ts';
import { Output } from './output.ts';
import { parseArgs } from './parse-args.ts';
import { planProvision } from './provision-plan.ts';
import { resolveRequest } from './request.ts';
import { readTemporalConfig } from './temporal-config.ts';
import { casflowVersion } from './version.ts';

export type { CliIo, CliServices } from './context.ts';

function argvOf(argv: readonly string[], program: Program): string[] {
  // kubectl runs kubectl-provision with the words after "provision".
  return program === 'kubectl-provision' ? ['provision', ...argv] : [...argv];
}

async function dispatch(argv: readonly string[], io: CliIo, services: CliServices, early: Output): Promise<number> {
  const program = io.program ?? 'casflow';
  const hint = helpHint(program);
  const parsed = parseArgs(argvOf(argv, program), hint);

  if (parsed.values.help || parsed.positionals[0] === 'help') {
    early.result(helpText(program));
    return ExitCode.ok;
  }
  if (parsed.values.version) {
    early.result(casflowVersion());
    return ExitCode.ok;
  }

  const request = resolveRequest(parsed, io.env, hint);
  const out = new Output(io.stdout, io.stderr, request.output, request.verbose || request.flags.debug === true);
  const ctx: CliContext = { io, out, services, program };
  // Server code is loaded only once the invocation has passed every local check.
  if (request.mode === 'provision') {
    const plan = await planProvision(request, io, out);
    return (await import('./provision.ts')).runProvision(plan, ctx);
  }
  const temporal = readTemporalConfig(io.env);
  return (await import('./checks.ts')).runCheck(request, temporal, ctx);
}

/** Runs one CLI invocation; never throws, returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, services: Partial<CliServices> = {}): Promise<number> {
  const out = new Output(io.stdout, io.stderr, 'text', false);
  const debug = argv.includes('--debug');
  try {
    return await dispatch(argv, io, { ...defaultServices, ...services }, out);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      // A workflow input the shared schema refused: still a bad invocation, found before any server.
      out.error(error.message);
      return ExitCode.usage;
    }
    if (error instanceof CliError) {
      out.error(error.message, error.hint);
      if (debug && error.cause) io.stderr.write(`${(error.cause as Error).stack ?? String(error.cause)}\n`);
      return error.exitCode;
    }
    out.error(`Unexpected failure: ${(error as Error).message ?? String(error)}`);
    if (debug) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return ExitCode.failed;
  }
}
