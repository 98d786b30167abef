// Errors from starting the test servers. Messages name the server and point at its log, since
// the log is where the real reason is.

/** A server process exited before it became ready. */
export class ServerExitedError extends Error {
  override readonly name = 'ServerExitedError';
  constructor(
    readonly server: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly logFile: string | undefined,
    readonly logTail: string,
  ) {
    const how = signal ? `signal ${signal}` : `exit code ${exitCode}`;
    super(`${server} exited with ${how} before it was ready; log ${logFile ?? '(none)'}:\n${logTail}`);
  }
}

/** A ready server exited although nobody stopped it (crashed, or killed from outside). */
export class ServerDiedError extends Error {
  override readonly name = 'ServerDiedError';
  constructor(
    readonly server: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly logFile: string | undefined,
  ) {
    const how = signal ? `signal ${signal}` : `exit code ${exitCode}`;
    super(`${server} exited unexpectedly with ${how}; log ${logFile ?? '(none)'}`);
  }
}

/** A server kept running but never passed its ready check. */
export class ServerNotReadyError extends Error {
  override readonly name = 'ServerNotReadyError';
  constructor(
    readonly server: string,
    readonly timeoutMs: number,
    readonly logFile: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${server} was not ready after ${timeoutMs} ms; log ${logFile ?? '(none)'}`, options);
  }
}

/** CASFLOW_TEST_SERVERS is set but does not describe test servers. */
export class TestServersEnvError extends Error {
  override readonly name = 'TestServersEnvError';
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`CASFLOW_TEST_SERVERS is not a valid test server description: ${detail}`, options);
  }
}
