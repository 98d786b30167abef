// Calls the `scone` CLI for one CAS with an owner identity materialised in a private directory.
// Arguments are never logged or put into error messages: they can hold the provisioning token.
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { runCommand, type RunResult } from './run-command.ts';

export interface SconeCliOptions {
  /** Path of the scone executable. */
  bin: string;
  /** Environment the CLI runs with (PATH and the like); SCONE_CLI_CONFIG and HOME are set per call. */
  baseEnv: NodeJS.ProcessEnv;
  timeoutMs: number;
}

function activitySignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined; // not inside an activity (tests, scripts)
  }
}

export class SconeCommandError extends Error {
  override readonly name = 'SconeCommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly reason: string,
    readonly timedOut: boolean,
  ) {
    super(
      timedOut
        ? `scone ${command} did not finish in time`
        : `scone ${command} failed with exit code ${exitCode}: ${reason}`,
    );
  }

  /** True when the CLI gave no answer from the CAS: it timed out or was killed by a signal. */
  get noAnswer(): boolean {
    return this.timedOut || this.exitCode === null;
  }
}

/** The first `Error:` line of the CLI's stderr, or its last non-empty line; secrets are masked. */
export function reasonOf(result: RunResult, secrets: readonly string[]): string {
  const lines = result.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => /^error\b/i.test(l)) ?? lines[lines.length - 1] ?? 'no error output';
  return mask(line.replace(/^error:\s*/i, ''), secrets).slice(0, 500);
}

export function mask(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) if (secret.length >= 8) masked = masked.split(secret).join('***');
  return masked;
}

export interface SconeCall {
  /** Words naming the command, e.g. ["cas", "attest"]: safe to report. */
  command: string[];
  /** The rest of the arguments (may contain secrets). */
  args: string[];
  /** Directory holding config.json (the owner identity); becomes SCONE_CLI_CONFIG and HOME. */
  identityDir: string;
  /** Values to mask from any error text. */
  secrets?: string[];
  signal?: AbortSignal;
  env?: Record<string, string>;
}

export async function runScone(options: SconeCliOptions, call: SconeCall): Promise<string> {
  const env = {
    ...options.baseEnv,
    ...call.env,
    HOME: call.identityDir,
    SCONE_CLI_CONFIG: `${call.identityDir}/config.json`,
  };
  // Inside an activity, a cancellation (or worker shutdown) kills the CLI's process group.
  const signal = call.signal ?? activitySignal();
  const result = await runCommand(options.bin, [...call.command, ...call.args], {
    env,
    timeoutMs: options.timeoutMs,
    signal,
  });
  if (signal?.aborted) throw new CancelledFailure(`scone ${call.command.join(' ')} was cancelled`);
  if (result.exitCode === 0 && !result.timedOut) return result.stdout;
  throw new SconeCommandError(
    call.command.join(' '),
    result.exitCode,
    reasonOf(result, call.secrets ?? []),
    result.timedOut,
  );
}
