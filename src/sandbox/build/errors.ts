// Errors raised while finding or building a test-server binary. Each names the binary and the
// value that was wrong, so a failed `npm test` says what to fix without reading the source.

/** An environment variable points at something that is not an executable file. */
export class BinaryOverrideError extends Error {
  override readonly name = 'BinaryOverrideError';
  constructor(
    readonly variable: string,
    readonly value: string,
    options?: { cause?: unknown },
  ) {
    super(`${variable} points at ${value}, which is not an executable file`, options);
  }
}

/** One step of a build (go get, go build, pip install, ...) failed. */
export class BinaryBuildError extends Error {
  override readonly name = 'BinaryBuildError';
  constructor(
    readonly binary: string,
    readonly command: string,
    readonly exitCode: number | null,
    readonly logFile: string,
    readonly outputTail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Building ${binary} failed: \`${command}\` exited with ${exitCode ?? 'a signal'}; ` +
        `full log in ${logFile}\n${outputTail}`,
      options,
    );
  }
}

/** Another process held the build lock for longer than any build takes. */
export class BuildLockTimeoutError extends Error {
  override readonly name = 'BuildLockTimeoutError';
  constructor(
    readonly lockFile: string,
    readonly holderPid: number | null,
    readonly waitedMs: number,
  ) {
    super(
      `Build lock ${lockFile} still held by pid ${holderPid ?? 'unknown'} ` +
        `after ${Math.round(waitedMs / 1000)} s; remove it if that process is gone`,
    );
  }
}
