/** Exit codes of the scone stand-in; callers may rely on them. */
export const EXIT = {
  ok: 0,
  /** The CAS (or the CLI's own state) refused: wrong token, policy rule, attestation... */
  refused: 1,
  /** The command line is wrong: unknown command or option, missing or malformed value. */
  usage: 2,
  /** No CAS answers at that address, or the CAS stand-in service is down or not configured. */
  unreachable: 3,
} as const;

/** A failure the CLI reports as one `Error: <message>` line and exits with `exitCode`. */
export class SconeCliError extends Error {
  override readonly name = 'SconeCliError';

  constructor(
    readonly exitCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function usageError(message: string): SconeCliError {
  return new SconeCliError(EXIT.usage, message);
}
