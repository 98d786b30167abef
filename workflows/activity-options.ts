// Activity timeouts and retries shared by the workflows.
import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_TYPES } from '../src/domain/failures.ts';

/** Short steps: a Kubernetes call or a few scone CLI calls. */
export const STEP_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '3m',
  // Activities heartbeat every 2 s, so a worker that dies is noticed after 10 s, not 3 minutes.
  heartbeatTimeout: '10s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 8,
    nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
  },
};

/** A wait that ends at deadlineAt; the activity's own timeout only catches a wait that overruns it. */
export function waitOptions(deadlineAt: number, now: number): ActivityOptions {
  return {
    ...STEP_OPTIONS,
    startToCloseTimeout: Math.max(deadlineAt - now, 0) + 60_000,
    retry: { ...STEP_OPTIONS.retry, maximumAttempts: 20 },
  };
}
