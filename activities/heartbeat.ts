// Heartbeats for activities that run longer than a few seconds, so a lost worker is noticed
// within the heartbeat timeout and cancellation reaches the activity.
import { Context } from '@temporalio/activity';

const INTERVAL_MS = 2_000;

/** Runs fn while heartbeating every 2 s with whatever details() returns at that moment. */
export async function withHeartbeat<T>(details: () => unknown, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const context = Context.current();
  context.heartbeat(details());
  const timer = setInterval(() => context.heartbeat(details()), INTERVAL_MS);
  try {
    return await fn(context.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}
