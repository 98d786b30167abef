// Heartbeats for activities, so a lost worker is noticed within the heartbeat timeout and
// cancellation reaches the activity. One interval per activity: a nested withHeartbeat (a wait
// inside the generic wrapper of index.ts) only changes what the heartbeats carry.
import { Context } from '@temporalio/activity';

const INTERVAL_MS = 2_000;

const active = new WeakMap<Context, { details: () => unknown }>();

/** Runs fn while heartbeating every 2 s with whatever details() returns at that moment. */
export async function withHeartbeat<T>(details: () => unknown, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const context = Context.current();
  const outer = active.get(context);
  if (outer) {
    const previous = outer.details;
    outer.details = details;
    try {
      return await fn(context.cancellationSignal);
    } finally {
      outer.details = previous;
    }
  }

  const state = { details };
  active.set(context, state);
  context.heartbeat(state.details());
  const timer = setInterval(() => context.heartbeat(state.details()), INTERVAL_MS);
  try {
    return await fn(context.cancellationSignal);
  } finally {
    clearInterval(timer);
    active.delete(context);
  }
}
