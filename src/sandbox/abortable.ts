// Waits that end early when the stand-ins stop, so stop() never hangs on a timer.
import { setTimeout as delay } from 'node:timers/promises';

/** Sleeps `ms`; resolves `false` instead of waiting on when `signal` aborts. */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
