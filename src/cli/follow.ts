// Follows a running workflow: awaits its result while polling the progress query, and stops (without
// cancelling the workflow) when the operator presses Ctrl-C.
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import type { Progress } from '../domain/progress.ts';
import { progressQuery } from '../../workflows/messages.ts';
import type { ProgressView } from './progress-view.ts';
import type { TemporalAccess } from './temporal-access.ts';

/** A query that takes longer (no worker polling, say) is abandoned and retried on the next tick. */
const QUERY_TIMEOUT_MS = 5_000;

export type FollowOutcome<R> =
  { kind: 'completed'; result: R } | { kind: 'failed'; error: unknown } | { kind: 'interrupted' };

export interface FollowOptions {
  temporal: Pick<TemporalAccess, 'withAbortSignal'>;
  handle: WorkflowHandle;
  /** Ctrl-C: stop following. */
  signal?: AbortSignal;
  /** Omit to wait for the result without polling progress. */
  view?: ProgressView;
  pollMs?: number;
  /** Called with each query error (the workflow may not have run its first task yet). */
  onQueryError?: (error: unknown) => void;
}

async function queryOnce(options: FollowOptions, stop: AbortSignal): Promise<Progress | undefined> {
  const signal = AbortSignal.any([stop, AbortSignal.timeout(QUERY_TIMEOUT_MS)]);
  try {
    return await options.temporal.withAbortSignal(signal, () => options.handle.query(progressQuery));
  } catch (error) {
    if (!stop.aborted) options.onQueryError?.(error);
    return undefined;
  }
}

async function pollProgress(options: FollowOptions, stop: AbortSignal): Promise<void> {
  while (!stop.aborted) {
    const progress = await queryOnce(options, stop);
    if (progress && !stop.aborted) options.view?.update(progress);
    await sleep(options.pollMs ?? 500, undefined, { signal: stop }).catch(() => undefined);
  }
}

function interruption(signal: AbortSignal | undefined): Promise<{ kind: 'interrupted' }> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve({ kind: 'interrupted' });
    signal.addEventListener('abort', () => resolve({ kind: 'interrupted' }), { once: true });
  });
}

export async function followWorkflow<R>(options: FollowOptions): Promise<FollowOutcome<R>> {
  const stopPolling = new AbortController();
  const stopResult = new AbortController();
  const poller = options.view ? pollProgress(options, stopPolling.signal) : Promise.resolve();

  const result = options.temporal
    .withAbortSignal(stopResult.signal, () => options.handle.result() as Promise<R>)
    .then(
      (value): FollowOutcome<R> => ({ kind: 'completed', result: value }),
      (error: unknown): FollowOutcome<R> => ({ kind: 'failed', error }),
    );
  const outcome = await Promise.race([result, interruption(options.signal)]);

  stopPolling.abort();
  stopResult.abort();
  await poller;
  if (outcome.kind !== 'interrupted' && options.view) {
    // One last look so the final step states are shown, not the ones from up to 500 ms ago.
    const final = await queryOnce({ ...options, onQueryError: undefined }, new AbortController().signal);
    if (final) options.view.update(final);
  }
  options.view?.finish();
  return outcome;
}
