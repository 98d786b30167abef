// Errors the CLI reports to the operator: a message and the process exit code that goes with it.

/** Exit codes: 0 success, 1 the operation or check failed, 2 bad invocation, 130 stopped following. */
export const ExitCode = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A failure with an operator-facing message; `hint` is printed on a second line. */
export class CliError extends Error {
  override readonly name: string = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = ExitCode.failed,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A bad invocation (flag, value, file or environment variable), found before contacting any server. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';

  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}
