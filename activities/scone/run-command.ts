// Runs a child process the safe way: no shell, a process group killed on timeout or cancellation,
// bounded output, UTF-8 decoded across chunk boundaries.
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Output beyond this many characters per stream is dropped (and flagged); default 1 MiB. */
  maxOutputChars?: number;
  stdin?: string;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
}

export function runCommand(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const limit = options.maxOutputChars ?? 1_048_576;

  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env,
      shell: false,
      detached: true, // own process group, so a timeout kills grandchildren too
      // No stdin pipe unless there is input: writing to a child that already exited raises EPIPE.
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out = collector(limit);
    const err = collector(limit);
    let timedOut = false;

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => killGroup();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout!.on('data', out.push);
    child.stderr!.on('data', err.push);
    child.on('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        exitCode,
        signal,
        stdout: out.text(),
        stderr: err.text(),
        timedOut,
        truncated: out.truncated() || err.truncated(),
      });
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // the child may exit before reading; its exit code tells
      child.stdin.end(options.stdin);
    }
  });
}

function collector(limit: number) {
  const decoder = new StringDecoder('utf8');
  let text = '';
  let dropped = false;
  return {
    push: (chunk: Buffer) => {
      if (text.length >= limit) {
        dropped = true;
        return;
      }
      text += decoder.write(chunk);
      if (text.length > limit) {
        text = text.slice(0, limit);
        dropped = true;
      }
    },
    text: () => text + decoder.end(),
    truncated: () => dropped,
  };
}
