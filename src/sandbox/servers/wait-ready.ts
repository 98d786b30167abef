// Polls a server's ready check until it passes, the process dies, or time runs out.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedProcess } from '../process.ts';
import { ServerExitedError, ServerNotReadyError } from './errors.ts';

const pollMs = 100;

/** Resolves once `check` returns true; a throwing check counts as "not yet". */
export async function waitReady(proc: ManagedProcess, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;

  while (Date.now() < deadline) {
    if (!proc.running()) {
      const exit = await proc.exited;
      throw new ServerExitedError(proc.name, exit.code, exit.signal, proc.logFile, await logTail(proc.logFile));
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    await sleep(pollMs);
  }
  throw new ServerNotReadyError(proc.name, timeoutMs, proc.logFile, { cause: lastError });
}

async function logTail(file: string | undefined): Promise<string> {
  if (!file) return '';
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-20).join('\n');
}
