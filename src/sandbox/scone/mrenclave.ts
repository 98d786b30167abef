// `SCONE_HASH=1 scone ...` prints the MRENCLAVE of the CLI enclave instead of running; the
// plugin uses it to put the CLI's measurement into the backup-controller policy. The
// stand-in's value is fixed per CLI "version" so an upgrade test can make the old and new
// CLI differ: SCONE_SANDBOX_CLI_MRENCLAVE sets it outright, SCONE_SANDBOX_CLI_VERSION
// derives it.
import { createHash } from 'node:crypto';
import { EXIT, SconeCliError } from './errors.ts';

export function cliMrenclave(env: NodeJS.ProcessEnv): string {
  const fixed = env.SCONE_SANDBOX_CLI_MRENCLAVE;
  if (fixed !== undefined) {
    if (!/^[0-9a-f]{64}$/i.test(fixed)) {
      throw new SconeCliError(EXIT.refused, `SCONE_SANDBOX_CLI_MRENCLAVE '${fixed}' is not 64 hex digits`);
    }
    return fixed.toLowerCase();
  }
  const version = env.SCONE_SANDBOX_CLI_VERSION ?? 'default';
  return createHash('sha256').update(`casflow sandbox scone CLI ${version}`).digest('hex');
}
