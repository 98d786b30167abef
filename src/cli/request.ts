// Turns parsed arguments and the environment into one request: which check or operation, on which
// CAS, with which output. Everything here is local; nothing contacts a server.
import { MAX_CAS_NAME_LENGTH } from '../domain/names.ts';
import { UsageError } from './cli-error.ts';
import type { Env } from './env-subst.ts';
import type { FlagValues } from './flags.ts';
import type { ParsedArgs } from './parse-args.ts';

export type Mode = 'provision' | 'is-provisioned' | 'verify' | 'print-public-keys';
export type OutputFormat = 'text' | 'json';

export interface CliRequest {
  mode: Mode;
  name: string;
  namespace: string;
  output: OutputFormat;
  verbose: boolean;
  debug: boolean;
  detach: boolean;
  kubeconfig?: string;
  context?: string;
  flags: Partial<FlagValues>;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The plugin's wording for the length check, plus the value. */
export function casNameProblem(name: string): string | undefined {
  if (name.length > MAX_CAS_NAME_LENGTH) {
    return `Name of the cas must not be longer than ${MAX_CAS_NAME_LENGTH} characters (got "${name}", ${name.length} characters)`;
  }
  if (!DNS1123_LABEL.test(name)) {
    return (
      "Name of the cas must be a DNS-1123 label: lower-case letters, digits and '-', " +
      `starting and ending with a letter or digit (got "${name}")`
    );
  }
  return undefined;
}

function serviceAndName(positionals: readonly string[], hint: string): [string, string] {
  const [command, service, name, extra] = positionals;
  if (command === undefined) throw new UsageError('Missing command: expected "provision SVC [NAME]"', hint);
  if (command !== 'provision') throw new UsageError(`Unknown command "${command}": expected "provision"`, hint);
  if (service === undefined) throw new UsageError('Missing service: expected "cas"', hint);
  if (service === 'vault') throw new UsageError('Service "vault" is not supported yet by casflow', hint);
  if (service !== 'cas') throw new UsageError(`Unknown service "${service}": expected "cas"`, hint);
  if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}"`, hint);
  return [service, name ?? service];
}

function modeOf(flags: Partial<FlagValues>, hint: string): Mode {
  const modes: Mode[] = [];
  if (flags.isProvisioned) modes.push('is-provisioned');
  if (flags.verify) modes.push('verify');
  if (flags.printPublicKeys) modes.push('print-public-keys');
  if (modes.length > 1)
    throw new UsageError(`Flags ${modes.map((m) => `--${m}`).join(' and ')} cannot be combined`, hint);
  if (modes[0] && flags.detach) throw new UsageError(`Flag --detach cannot be combined with --${modes[0]}`, hint);
  return modes[0] ?? 'provision';
}

/** Resolves the request; throws UsageError naming the flag and value at the first problem. */
export function resolveRequest(parsed: ParsedArgs, env: Env, hint: string): CliRequest {
  const flags = parsed.values;
  const [, name] = serviceAndName(parsed.positionals, hint);

  const nameProblem = casNameProblem(name);
  if (nameProblem) throw new UsageError(nameProblem);
  if (flags.noBackup && flags.wait) {
    throw new UsageError('We do not support the simultaneous use of --no-backup and --wait');
  }
  if (flags.webhook !== undefined && flags.ownerConfig !== undefined) {
    // --webhook only shapes the generated owner config; with the user's own it would be dropped silently.
    throw new UsageError(
      '--webhook cannot be combined with --owner-config: put the network sink into the [audit_log] section of your owner config',
    );
  }
  const output = flags.output ?? 'text';
  if (output !== 'text' && output !== 'json') {
    throw new UsageError(`Invalid --output: must be text or json (got "${output}")`);
  }

  const namespace = flags.namespace ?? (env.NAMESPACE || 'default');
  if (!DNS1123_LABEL.test(namespace) || namespace.length > 63) {
    const source = flags.namespace !== undefined ? '--namespace' : 'NAMESPACE';
    throw new UsageError(
      `Invalid ${source}: must be a DNS-1123 label (lower-case letters, digits and '-') (got "${namespace}")`,
    );
  }

  return {
    mode: modeOf(flags, hint),
    name,
    namespace,
    output,
    verbose: flags.verbose ?? false,
    debug: flags.debug ?? false,
    detach: flags.detach ?? false,
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    flags,
  };
}
